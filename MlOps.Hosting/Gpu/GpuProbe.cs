using MlOps.Hosting.Runtime;

namespace MlOps.Hosting.Gpu;

/// <summary>Whether the host can give a container an NVIDIA GPU, and what was found.</summary>
/// <param name="Available">A GPU and the engine's NVIDIA support are both present.</param>
/// <param name="Reason">What was found, in one line.</param>
public sealed record GpuProbeResult(bool Available, string Reason);

/// <summary>Asks the host for a GPU the container engine can pass through (a seam: tests answer with a fake).</summary>
public interface IGpuProbe
{
    /// <summary>Asks once; never throws for a missing tool.</summary>
    Task<GpuProbeResult> ProbeAsync(string containerCli, CancellationToken cancellationToken);
}

/// <summary>The real probe: an NVIDIA device (<c>/dev/nvidia0</c> or a working <c>nvidia-smi</c>) and the engine's support
/// for it (Docker: the <c>nvidia</c> runtime of the NVIDIA Container Toolkit in <c>docker info</c>; Podman: a CDI spec).</summary>
public sealed class SystemGpuProbe : IGpuProbe
{
    private static readonly string[] s_cdiSpecs = ["/etc/cdi/nvidia.yaml", "/var/run/cdi/nvidia.yaml", "/etc/cdi/nvidia.json", "/var/run/cdi/nvidia.json"];
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async Task<GpuProbeResult> ProbeAsync(string containerCli, CancellationToken cancellationToken)
    {
        var smi = File.Exists("/dev/nvidia0") ? null : await CliCommand.RunAsync("nvidia-smi", ["-L"], s_timeout, cancellationToken).ConfigureAwait(false);
        if (smi is not null && (smi.ExitCode != 0 || smi.Output.Length == 0))
        {
            return new GpuProbeResult(false, "no NVIDIA GPU on this machine (no /dev/nvidia0, nvidia-smi not working)");
        }

        if (containerCli == "podman")
        {
            return s_cdiSpecs.Any(File.Exists)
                ? new GpuProbeResult(true, "NVIDIA GPU with a CDI spec")
                : new GpuProbeResult(false, "an NVIDIA GPU is present but Podman has no CDI spec for it (run: nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml)");
        }

        var runtimes = await CliCommand.RunAsync(containerCli, ["info", "--format", "{{json .Runtimes}}"], s_timeout, cancellationToken).ConfigureAwait(false);
        return runtimes.ExitCode == 0 && runtimes.Output.Contains("\"nvidia\"", StringComparison.Ordinal)
            ? new GpuProbeResult(true, "NVIDIA GPU and the nvidia runtime")
            : new GpuProbeResult(false, "an NVIDIA GPU is present but Docker has no 'nvidia' runtime (install the NVIDIA Container Toolkit)");
    }
}
