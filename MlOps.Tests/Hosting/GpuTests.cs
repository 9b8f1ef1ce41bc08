using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Hosting.Gpu;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting;

/// <summary>GPU passthrough with a CPU fallback, decided when the container is about to start. The host's GPU is a
/// boundary this machine cannot offer, so a hand-written <see cref="FakeGpuProbe"/> answers for it.</summary>
[Collection(MlOps.Tests.AppHost.AppHostCollection.Name)] // Aspire.Hosting.Testing watches every builder made in the process.
public sealed class GpuTests
{
    [Fact]
    public async Task NoGpu_RunsOnCpu_WithoutGpuFlags_AndSaysWhy()
    {
        var (args, line) = await StartAsync(new FakeGpuProbe(false, "no NVIDIA GPU on this machine"));
        Assert.DoesNotContain("--gpus", args);
        Assert.Equal("trainer runs on CPU: no NVIDIA GPU on this machine", line);
    }

    [Fact]
    public async Task Gpu_GetsEveryGpu()
    {
        var (args, line) = await StartAsync(new FakeGpuProbe(true, "NVIDIA GPU and the nvidia runtime"));
        Assert.Equal(["--gpus", "all"], args);
        Assert.Contains("runs on the GPU", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireGpu_WithoutOne_FailsTheResource()
    {
        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() =>
            StartAsync(new FakeGpuProbe(false, "no NVIDIA GPU on this machine"), "--AppHost:RequireGpu=true"));
        Assert.Contains("a GPU is required (--require-gpu) but no NVIDIA GPU", error.Message, StringComparison.Ordinal);
    }

    // Builds a model with one container and raises the event Aspire raises before starting it; returns the runtime
    // arguments Aspire would pass and the resource's "mlops.gpu" property.
    private static async Task<(List<string> Args, string? Line)> StartAsync(IGpuProbe probe, params string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = args, DisableDashboard = true });
        var trainer = builder.AddContainer("trainer", "local/trainer").WithNvidiaGpuWhenAvailable(probe);
        await using var app = builder.Build();
        await builder.Eventing.PublishAsync(new BeforeResourceStartedEvent(trainer.Resource, app.Services)).DefaultTimeout();

        var runtimeArgs = new List<object>();
        foreach (var callback in trainer.Resource.Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>())
        {
            await callback.Callback(new ContainerRuntimeArgsCallbackContext(runtimeArgs)).DefaultTimeout();
        }

        app.Services.GetRequiredService<ResourceNotificationService>().TryGetCurrentState(trainer.Resource.Name, out var state);
        var line = state?.Snapshot.Properties.FirstOrDefault(p => p.Name == "mlops.gpu")?.Value as string;
        return ([.. runtimeArgs.Select(a => a.ToString()!)], line);
    }
}

/// <summary>Answers as the host would (a GPU is a boundary this machine cannot offer).</summary>
internal sealed class FakeGpuProbe(bool available, string reason) : IGpuProbe
{
    public Task<GpuProbeResult> ProbeAsync(string containerCli, CancellationToken cancellationToken) =>
        Task.FromResult(new GpuProbeResult(available, reason));
}
