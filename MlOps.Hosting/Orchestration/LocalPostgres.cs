using System.Diagnostics;
using System.Globalization;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Orchestration.Runtime;
using Npgsql;

namespace MlOps.Hosting.Orchestration;

/// <summary>PostgreSQL in local mode: finds the server binaries, initialises the data folder once
/// (<c>&lt;data dir&gt;/&lt;name&gt;-data</c>, kept between runs like a volume) and builds the <c>postgres</c> command.
/// As root the server runs as the <c>postgres</c> system user, since it refuses to run as root.</summary>
internal sealed class LocalPostgres(OrchestratorOptions options, DistributedApplicationModel model, IResourceRuntime runtime)
{
    public const string MissingBinaries = "PostgreSQL server binaries not found: install postgresql (Debian: apt-get install postgresql-15; " +
        "macOS: brew install postgresql@15) or set AppHost:PostgresBinDirectory";

    private const string SystemUser = "postgres";

    public static bool IsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    public string DataFolder(PostgresServerResource server) => Path.Combine(model.DataDirectory, $"{server.Name}-data");

    /// <summary>Initialises the data folder when needed and returns the server's launch spec.</summary>
    public async Task<ResourceLaunchSpec> PrepareAsync(PostgresServerResource server, IReadOnlyDictionary<string, string> environment,
        Action<string, bool> output, CancellationToken cancellationToken)
    {
        var bin = FindBinaries() ?? throw new DistributedApplicationException(MissingBinaries);
        var data = DataFolder(server);
        var port = server.PrimaryEndpoint.Annotation.AllocatedEndpoint!.Port;
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            await InitializeAsync(server, bin, data, environment, output, cancellationToken).ConfigureAwait(false);
        }

        // No unix socket: clients use TCP on 127.0.0.1, and socket paths under a deep data folder would be too long.
        string[] args = ["-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories="];
        return new ResourceLaunchSpec(server.Name, Path.Combine(bin, "postgres"), args, environment, data, output)
        {
            StopSignal = ProcessSignal.Interrupt,
            DeathSignal = ProcessSignal.Interrupt,
            RunAsUser = IsRoot ? SystemUser : null,
        };
    }

    /// <summary>Creates the server's databases that do not exist yet.</summary>
    public static async Task CreateDatabasesAsync(PostgresServerResource server, IEnumerable<string> databaseNames, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(await AdminConnectionStringAsync(server, cancellationToken).ConfigureAwait(false));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var name in databaseNames)
        {
            await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection);
            exists.Parameters.Add(new NpgsqlParameter { Value = name });
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The server's connection string for the orchestrator's own connections (no pooling, short timeout).</summary>
    public static async Task<string> AdminConnectionStringAsync(PostgresServerResource server, CancellationToken cancellationToken)
    {
        var value = await server.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Host, cancellationToken).ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(value) { Database = "postgres", Pooling = false, Timeout = 3 }.ConnectionString;
    }

    public string? FindBinaries()
    {
        if (options.PostgresBinDirectory is { } configured)
        {
            return HasServer(configured) ? configured : null;
        }

        return FromPgConfig() ?? Newest("/usr/lib/postgresql")
            ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).FirstOrDefault(d => d.Length > 0 && HasServer(d));
    }

    private async Task InitializeAsync(PostgresServerResource server, string bin, string data, IReadOnlyDictionary<string, string> environment,
        Action<string, bool> output, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(data);
        var passwordFile = Path.Combine(Path.GetDirectoryName(data)!, $".{server.Name}-pw-{Guid.NewGuid():N}");
        File.WriteAllText(passwordFile, "", System.Text.Encoding.ASCII);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            File.WriteAllText(passwordFile, server.PasswordParameter.Value + "\n", System.Text.Encoding.UTF8);
            if (IsRoot)
            {
                await RunAsync("chown", ["-R", $"{SystemUser}:{SystemUser}", data, passwordFile], null, output, cancellationToken).ConfigureAwait(false);
            }

            string[] args = ["-D", data, "--username=postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "--encoding=UTF8", "--locale=C"];
            await RunAsync(Path.Combine(bin, "initdb"), args, IsRoot ? SystemUser : null, output, cancellationToken, environment).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private async Task RunAsync(string executable, string[] args, string? user, Action<string, bool> output, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var spec = new ResourceLaunchSpec("initdb", executable, args, environment ?? new Dictionary<string, string>(), model.DataDirectory, output)
        {
            RunAsUser = user,
        };
        var process = await runtime.StartAsync(spec, cancellationToken).ConfigureAwait(false);
        var code = await process.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new DistributedApplicationException($"{Path.GetFileName(executable)} failed with exit code {code} (see the console log)");
        }
    }

    private static string? FromPgConfig()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, UseShellExecute = false });
            var dir = process?.StandardOutput.ReadToEnd().Trim();
            process?.WaitForExit();
            return process?.ExitCode == 0 && dir is not null && HasServer(dir) ? dir : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string? Newest(string root) => !Directory.Exists(root) ? null : Directory.GetDirectories(root)
        .Select(d => (Bin: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : 0))
        .Where(d => HasServer(d.Bin))
        .OrderByDescending(d => d.Version)
        .Select(d => d.Bin)
        .FirstOrDefault();

    private static bool HasServer(string dir) => File.Exists(Path.Combine(dir, "postgres")) && File.Exists(Path.Combine(dir, "initdb"));
}
