using System.Diagnostics;
using System.Globalization;

namespace MlOps.Hosting.Orchestration.Runtime.Docker;

/// <summary>The container engine's command-line client (<c>docker</c> or <c>podman</c>). The CLI, not the Engine API:
/// it honours <c>DOCKER_HOST</c>, contexts and Podman alike, and negotiates the API version itself. Short commands run
/// here; long-lived ones (<c>start --attach</c>) go through the process runtime so they die with the AppHost.</summary>
internal sealed class DockerCli
{
    public DockerCli(string executable)
    {
        Executable = executable;
        IsPodman = Path.GetFileName(executable).StartsWith("podman", StringComparison.Ordinal);
    }

    /// <summary>The program run.</summary>
    public string Executable { get; }

    /// <summary>True for Podman (GPU flags and build differ).</summary>
    public bool IsPodman { get; }

    /// <summary>The CLI to use: the configured one, else <c>docker</c>, else <c>podman</c> on PATH; null when none.</summary>
    public static DockerCli? Find(string? configured)
    {
        if (configured is not null)
        {
            return new DockerCli(configured);
        }

        var found = new[] { "docker", "podman" }.FirstOrDefault(c => FindOnPath(c) is not null);
        return found is null ? null : new DockerCli(found);
    }

    /// <summary>Runs one command; returns its exit code and output (stdout and stderr lines, in order of arrival).</summary>
    public async Task<DockerCliResult> RunAsync(IEnumerable<string> args, CancellationToken cancellationToken,
        Action<string, bool>? output = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = StartInfo(args, environment);
        using var process = new Process { StartInfo = info };
        var stdout = new List<string>();
        var stderr = new List<string>();
        process.OutputDataReceived += (_, e) => Collect(e.Data, stdout, isError: false);
        process.ErrorDataReceived += (_, e) => Collect(e.Data, stderr, isError: true);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new DockerCliResult(-1, [], [$"{Executable}: {e.Message}"]);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t)
        {
            limit.CancelAfter(t);
        }

        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return new DockerCliResult(-1, [.. stdout], [.. stderr, $"{Executable} did not answer within {timeout}"]);
        }

        process.WaitForExit();
        lock (stdout)
        {
            return new DockerCliResult(process.ExitCode, [.. stdout], [.. stderr]);
        }

        void Collect(string? line, List<string> into, bool isError)
        {
            if (line is null)
            {
                return;
            }

            lock (stdout)
            {
                into.Add(line);
            }

            output?.Invoke(line, isError);
        }
    }

    /// <summary>Runs a command that must succeed; throws with its last error line otherwise.</summary>
    public async Task<IReadOnlyList<string>> RunCheckedAsync(IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var list = args.ToArray();
        var result = await RunAsync(list, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0
            ? result.Output
            : throw new DistributedApplicationException($"{Path.GetFileName(Executable)} {list[0]} failed: {result.LastError}");
    }

    /// <summary>The start info of a command; <paramref name="environment"/> adds variables (used for <c>-e NAME</c> values,
    /// so that secrets never appear on a command line).</summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>The client's version (<c>28.2.2</c>), or null.</summary>
    public async Task<Version?> ClientVersionAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["version", "--format", "{{.Client.Version}}"],
            cancellationToken, timeout: TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        var text = result.Output.FirstOrDefault()?.Split('-', '+', '~')[0];
        return Version.TryParse(text, out var version) ? version : null;
    }

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Where(d => d.Length > 0)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    public static string Seconds(TimeSpan span) => ((int)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>The result of one CLI command.</summary>
internal sealed record DockerCliResult(int ExitCode, IReadOnlyList<string> Output, IReadOnlyList<string> Errors)
{
    /// <summary>The last error line (or output line), for a one-line reason.</summary>
    public string LastError => Errors.LastOrDefault(l => l.Trim().Length > 0) ?? Output.LastOrDefault() ?? $"exit code {ExitCode}";
}
