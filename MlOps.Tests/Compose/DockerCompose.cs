using System.Diagnostics;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Compose;

/// <summary>Debian's docker-compose (1.29, installed by test.sh) run on a published folder. Builds go through the docker
/// CLI with BuildKit (<c>COMPOSE_DOCKER_CLI_BUILD</c>); <see cref="BuildShim"/> makes that CLI Debian's client, which has
/// BuildKit built in, and hands it the host's CA bundle as the Dockerfiles' optional <c>ca-certificates</c> secret —
/// Compose v1 has no build secrets of its own (the publisher writes them to an override for Compose v2).</summary>
public sealed class DockerCompose(string directory, string project)
{
    private const string CaBundle = "/etc/ssl/certs/ca-certificates.crt";

    public string Project { get; } = project;

    /// <summary>Runs <c>docker-compose -p PROJECT ARGS</c> in the folder; returns the exit code and all output.</summary>
    public async Task<(int Code, string Output)> RunAsync(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("docker-compose") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-p");
        info.ArgumentList.Add(Project);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOCKER_BUILDKIT"] = "1";
        info.Environment["COMPOSE_DOCKER_CLI_BUILD"] = "1";
        info.Environment["PATH"] = $"{BuildShim()}:{Environment.GetEnvironmentVariable("PATH")}";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().DefaultTimeout(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"docker-compose {string.Join(' ', args)} did not finish in {timeout}.");
        }

        return (process.ExitCode, (await stdout.DefaultTimeout()) + (await stderr.DefaultTimeout()));
    }

    /// <summary>Like <see cref="RunAsync"/>, failing the test with compose's output on a non-zero exit.</summary>
    public async Task<string> RunCheckedAsync(TimeSpan timeout, params string[] args)
    {
        var (code, output) = await RunAsync(timeout, args);
        Assert.True(code == 0, $"docker-compose {string.Join(' ', args)} exited {code}:\n{output}");
        return output;
    }

    /// <summary>A folder with a <c>docker</c> that runs <c>build</c> with Debian's BuildKit client and the CA secret and
    /// passes everything else to Debian's client.</summary>
    private static string BuildShim()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mlops-compose-test-shim");
        var script = Path.Combine(folder, "docker");
        var text = $"""
            #!/bin/sh
            # Test shim (MlOps.Tests/Compose/DockerCompose.cs): compose v1 builds with `docker build`.
            if [ "$1" = build ] && [ -f {CaBundle} ]; then shift; exec /usr/bin/docker build --secret id=ca-certificates,src={CaBundle} "$@"; fi
            exec /usr/bin/docker "$@"

            """;
        if (!File.Exists(script) || File.ReadAllText(script) != text)
        {
            Directory.CreateDirectory(folder);
            var temp = script + "." + Guid.NewGuid().ToString("N");
            File.WriteAllText(temp, text);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            File.Move(temp, script, overwrite: true);
        }

        return folder;
    }
}
