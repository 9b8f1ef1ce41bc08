using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace MlOps.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster: <c>initdb</c> into a temp folder, <c>postgres</c> on a free 127.0.0.1 port,
/// stopped and deleted on dispose. As root (CI) the binaries run as the <c>postgres</c> system user, since they
/// refuse to run as root. <see cref="CreateDatabaseAsync"/> gives every test a database of its own.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string SystemUser = "postgres";
    private readonly StringBuilder _log = new();
    private Process? _server;
    private string _folder = "";
    private string _binaries = "";
    private int _databases;

    public int Port { get; private set; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=5";

    public static bool IsRoot => Environment.UserName == "root";

    public async Task InitializeAsync()
    {
        _binaries = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin and PATH); install postgresql.");
        // Under /tmp rather than $TMPDIR: the postgres user must be able to reach it, and unix socket paths are short.
        _folder = Directory.Exists("/tmp")
            ? Directory.CreateDirectory(Path.Combine("/tmp", $"mlops-pg-{Guid.NewGuid():N}")).FullName
            : Directory.CreateTempSubdirectory("mlops-pg-").FullName;
        var data = Path.Combine(_folder, "data");
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", $"{SystemUser}:{SystemUser}", _folder], asPostgres: false);
        }

        await RunAsync(Path.Combine(_binaries, "initdb"),
            ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres: IsRoot);
        await StartServerAsync(data);
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..30];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync().DefaultTimeout();
        await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
        await command.ExecuteNonQueryAsync().DefaultTimeout();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Maximum Pool Size=50";
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            try
            {
                await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["stop", "-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "-t", "20"], asPostgres: IsRoot);
                await _server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                _server.Kill(entireProcessTree: true);
            }
        }

        _server?.Dispose();
        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held for a moment; the OS temp cleaner gets it later.
        }
    }

    private async Task StartServerAsync(string data)
    {
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _server = Start(ServerCommand(data), IsRoot);
            try
            {
                await WaitUntilReadyAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 2 && _server.HasExited)
            {
                // Most likely another process took the port between probing and binding: try another.
                _server.Dispose();
            }
        }
    }

    private string[] ServerCommand(string data) =>
        [Path.Combine(_binaries, "postgres"), "-D", data, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", _folder,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "max_connections=300", "-c", "shared_buffers=64MB"];

    /// <summary>Stops the server (fast shutdown: open connections are cut), keeping its data and port, for an outage test.</summary>
    public async Task StopServerAsync()
    {
        await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["stop", "-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "-t", "20"], asPostgres: IsRoot);
        await _server!.WaitForExitAsync().DefaultTimeout();
    }

    /// <summary>Starts the server stopped by <see cref="StopServerAsync"/> again, on the same port.</summary>
    public async Task StartServerAgainAsync()
    {
        _server?.Dispose();
        _server = Start(ServerCommand(Path.Combine(_folder, "data")), IsRoot);
        await WaitUntilReadyAsync();
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_server!.HasExited)
            {
                throw new InvalidOperationException($"postgres exited with code {_server.ExitCode}:\n{Log()}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
            {
                if (deadline.Elapsed > TaskTimeoutExtensions.DefaultTimeoutDuration)
                {
                    throw new TimeoutException($"postgres did not accept connections on port {Port}:\n{Log()}", e);
                }

                await Task.Delay(100);
            }
        }
    }

    private string Log()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    private Process Start(string[] command, bool asPostgres)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        foreach (var arg in asPostgres ? ["-u", SystemUser, "--", .. command] : command[1..])
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private async Task RunAsync(string file, string[] args, bool asPostgres)
    {
        using var process = Start([file, .. args], asPostgres);
        await process.WaitForExitAsync().DefaultTimeout();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({process.ExitCode}):\n{Log()}");
        }
    }

    private static string? FindBinaries()
    {
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Bin: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Bin, "postgres")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Bin)
                .FirstOrDefault()
            : null;
        return installed ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "postgres")) && File.Exists(Path.Combine(dir, "initdb")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
