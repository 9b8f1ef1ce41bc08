using MlOps.Hosting.Orchestration.Runtime.Docker;

namespace MlOps.Tests.Hosting.Docker;

/// <summary>A fake at the hardware boundary: the GPU and the NVIDIA toolkit cannot be had on the test machine, so the
/// probe's answer is given; the decision under test is the real one.</summary>
internal sealed class FakeGpuProbe(bool available, string reason) : IGpuProbe
{
    public int Calls { get; private set; }

    public Task<GpuProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult(new GpuProbeResult(available, reason));
    }
}
