using MlOps.Hosting.Orchestration.Runtime.Docker;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting.Docker;

/// <summary>The GPU decision of container mode with both answers of the host (see <see cref="FakeGpuProbe"/>).</summary>
public sealed class GpuDecisionTests
{
    [Fact]
    public async Task GpuRequested_HostHasOne_KeepsGpusAll_OnDocker()
    {
        var decision = await GpuDecision.DecideAsync("trainer", ["--shm-size", "1g", "--gpus", "all"], isPodman: false, requireGpu: false,
            new FakeGpuProbe(true, "NVIDIA GPU and the nvidia runtime"), CancellationToken.None).DefaultTimeout();

        Assert.Equal(["--shm-size", "1g", "--gpus", "all"], decision.RuntimeArgs);
        Assert.Null(decision.Failure);
        Assert.Equal("trainer runs on the GPU (NVIDIA GPU and the nvidia runtime)", decision.Message);
    }

    [Fact]
    public async Task GpuRequested_HostHasOne_BecomesACdiDevice_OnPodman()
    {
        var decision = await GpuDecision.DecideAsync("trainer", ["--gpus=all"], isPodman: true, requireGpu: false,
            new FakeGpuProbe(true, "NVIDIA GPU with a CDI spec"), CancellationToken.None).DefaultTimeout();

        Assert.Equal(["--device", "nvidia.com/gpu=all"], decision.RuntimeArgs);
    }

    [Fact]
    public async Task GpuRequested_HostHasNone_DropsTheFlags_AndSaysTheTrainerRunsOnCpu()
    {
        var decision = await GpuDecision.DecideAsync("trainer", ["--gpus", "all"], isPodman: false, requireGpu: false,
            new FakeGpuProbe(false, "no NVIDIA GPU on this machine"), CancellationToken.None).DefaultTimeout();

        Assert.Empty(decision.RuntimeArgs);
        Assert.Null(decision.Failure);
        Assert.Equal("trainer runs on CPU: no NVIDIA GPU on this machine", decision.Message);
    }

    [Fact]
    public async Task GpuRequired_HostHasNone_IsAFailure()
    {
        var decision = await GpuDecision.DecideAsync("trainer", ["--gpus", "all"], isPodman: false, requireGpu: true,
            new FakeGpuProbe(false, "no NVIDIA GPU on this machine"), CancellationToken.None).DefaultTimeout();

        Assert.Equal("a GPU is required (AppHost:RequireGpu) but no NVIDIA GPU on this machine", decision.Failure);
    }

    [Fact]
    public async Task NoGpuRequested_LeavesTheArgs_AndDoesNotProbe()
    {
        var probe = new FakeGpuProbe(false, "unused");
        var decision = await GpuDecision.DecideAsync("mlflow", ["--shm-size", "1g"], isPodman: false, requireGpu: true, probe, CancellationToken.None)
            .DefaultTimeout();

        Assert.Equal(["--shm-size", "1g"], decision.RuntimeArgs);
        Assert.Null(decision.Message);
        Assert.Null(decision.Failure);
        Assert.Equal(0, probe.Calls);
    }
}
