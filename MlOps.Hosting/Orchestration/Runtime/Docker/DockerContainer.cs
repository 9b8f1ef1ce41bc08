using System.Globalization;

namespace MlOps.Hosting.Orchestration.Runtime.Docker;

/// <summary>A running container: its output comes from <c>start --attach</c> (a child process of the AppHost, so it
/// dies with it), its exit code from the engine; stop is <c>stop -t grace</c>, then the container is removed.</summary>
internal sealed class DockerContainer : IResourceProcess
{
    private readonly DockerCli _cli;
    private readonly IResourceProcess _attach;

    private DockerContainer(DockerCli cli, string containerId, int processId, IResourceProcess attach)
    {
        _cli = cli;
        _attach = attach;
        ContainerId = containerId;
        ProcessId = processId;
        Exited = WaitForExitAsync();
    }

    public int ProcessId { get; }

    public string ContainerId { get; }

    public Task<int> Exited { get; }

    /// <summary>Starts the created container attached and waits until the engine reports it started.</summary>
    public static async Task<DockerContainer> StartAsync(DockerCli cli, IResourceRuntime processes, string containerId,
        string resourceName, Action<string, bool> output, CancellationToken cancellationToken)
    {
        var spec = new ResourceLaunchSpec(resourceName, cli.Executable, ["start", "--attach", containerId],
            new Dictionary<string, string>(), Directory.GetCurrentDirectory(), output);
        var attach = await processes.StartAsync(spec, cancellationToken).ConfigureAwait(false);
        var pid = attach.ProcessId;
        for (var i = 0; i < 100; i++)
        {
            var state = await cli.RunAsync(["inspect", "--format", "{{.State.Status}} {{.State.Pid}}", containerId], CancellationToken.None).ConfigureAwait(false);
            var parts = state.Output.FirstOrDefault()?.Split(' ') ?? [];
            if (parts.Length == 2 && parts[0] != "created")
            {
                pid = int.TryParse(parts[1], CultureInfo.InvariantCulture, out var p) && p > 0 ? p : pid;
                break;
            }

            if (attach.Exited.IsCompleted)
            {
                break;
            }

            await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
        }

        return new DockerContainer(cli, containerId, pid, attach);
    }

    public async Task StopAsync(TimeSpan gracePeriod)
    {
        if (!Exited.IsCompleted)
        {
            // The engine sends the image's stop signal, then SIGKILL after the grace period.
            await _cli.RunAsync(["stop", "-t", DockerCli.Seconds(gracePeriod), ContainerId], CancellationToken.None).ConfigureAwait(false);
        }

        await Exited.ConfigureAwait(false);
    }

    private async Task<int> WaitForExitAsync()
    {
        var attachCode = await _attach.Exited.ConfigureAwait(false);
        var inspect = await _cli.RunAsync(["inspect", "--format", "{{.State.ExitCode}}", ContainerId], CancellationToken.None).ConfigureAwait(false);
        var code = int.TryParse(inspect.Output.FirstOrDefault(), CultureInfo.InvariantCulture, out var c) ? c : attachCode;
        await _cli.RunAsync(["rm", "--force", "--volumes", ContainerId], CancellationToken.None).ConfigureAwait(false);
        return code;
    }
}
