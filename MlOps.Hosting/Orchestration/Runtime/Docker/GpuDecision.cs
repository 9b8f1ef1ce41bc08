namespace MlOps.Hosting.Orchestration.Runtime.Docker;

/// <summary>Whether the host can give a container an NVIDIA GPU, and why not when it cannot.</summary>
/// <param name="Available">True when a GPU and the engine's NVIDIA support are both present.</param>
/// <param name="Reason">What was found, in one line (shown when the answer is no).</param>
internal sealed record GpuProbeResult(bool Available, string Reason);

/// <summary>Asks the host for a GPU the container engine can pass through (a seam: tests answer with a fake).</summary>
internal interface IGpuProbe
{
    Task<GpuProbeResult> ProbeAsync(CancellationToken cancellationToken);
}

/// <summary>What happens to a container's GPU request.</summary>
/// <param name="RuntimeArgs">The runtime arguments to use (GPU flags kept, translated for Podman, or dropped).</param>
/// <param name="Message">A line for the console and the resource's log (null when nothing to say).</param>
/// <param name="Failure">Set when the container must not start (a GPU is required and there is none).</param>
internal sealed record GpuDecision(IReadOnlyList<string> RuntimeArgs, string? Message, string? Failure)
{
    /// <summary>Decides for one container. The request is <c>--gpus &lt;value&gt;</c> (or <c>--gpus=&lt;value&gt;</c>) in its
    /// runtime arguments; without it nothing changes and the probe is not asked.</summary>
    public static async Task<GpuDecision> DecideAsync(string resourceName, IReadOnlyList<string> runtimeArgs, bool isPodman,
        bool requireGpu, IGpuProbe probe, CancellationToken cancellationToken)
    {
        var (others, gpus) = SplitGpuArgs(runtimeArgs);
        if (gpus is null)
        {
            return new GpuDecision(runtimeArgs, null, null);
        }

        var answer = await probe.ProbeAsync(cancellationToken).ConfigureAwait(false);
        if (answer.Available)
        {
            // Podman passes NVIDIA GPUs through CDI devices; --gpus is Docker's flag.
            string[] flags = isPodman ? ["--device", $"nvidia.com/gpu={gpus}"] : ["--gpus", gpus];
            return new GpuDecision([.. others, .. flags], $"{resourceName} runs on the GPU ({answer.Reason})", null);
        }

        return requireGpu
            ? new GpuDecision(others, null, $"a GPU is required (AppHost:RequireGpu) but {answer.Reason}")
            : new GpuDecision(others, $"{resourceName} runs on CPU: {answer.Reason}", null);
    }

    private static (List<string> Others, string? Gpus) SplitGpuArgs(IReadOnlyList<string> args)
    {
        var others = new List<string>();
        string? gpus = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--gpus" && i + 1 < args.Count)
            {
                gpus = args[++i];
            }
            else if (args[i].StartsWith("--gpus=", StringComparison.Ordinal))
            {
                gpus = args[i]["--gpus=".Length..];
            }
            else
            {
                others.Add(args[i]);
            }
        }

        return (others, gpus);
    }
}
