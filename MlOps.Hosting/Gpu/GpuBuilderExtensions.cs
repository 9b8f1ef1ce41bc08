using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOps.Hosting.Gpu;
using MlOps.Hosting.Runtime;

namespace Aspire.Hosting;

/// <summary>GPU passthrough with a CPU fallback for containers.</summary>
public static class GpuBuilderExtensions
{
    /// <summary>
    /// Gives the container every NVIDIA GPU (<c>--gpus all</c>; Podman: <c>--device nvidia.com/gpu=all</c>) when the host
    /// has one and the engine can pass it through; otherwise it runs on the CPU, and its log and the AppHost's console
    /// say why. With <c>AppHost:RequireGpu=true</c> (<c>--require-gpu</c>) a missing GPU fails the resource instead.
    /// </summary>
    /// <param name="builder">The container's builder.</param>
    /// <param name="probe">Asks the host; the real probe when null.</param>
    /// <returns>The same builder.</returns>
    public static IResourceBuilder<T> WithNvidiaGpuWhenAvailable<T>(this IResourceBuilder<T> builder, IGpuProbe? probe = null)
        where T : ContainerResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        probe ??= new SystemGpuProbe();
        GpuProbeResult? answer = null;
        var cli = "docker";

        builder.ApplicationBuilder.Eventing.Subscribe<BeforeResourceStartedEvent>(builder.Resource, async (e, ct) =>
        {
            cli = e.Services.GetService<RuntimeMode>()?.ContainerCli ?? cli;
            answer ??= await probe.ProbeAsync(cli, ct).ConfigureAwait(false);
            var line = answer.Available ? $"{e.Resource.Name} runs on the GPU ({answer.Reason})" : $"{e.Resource.Name} runs on CPU: {answer.Reason}";
            e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(e.Resource).LogInformation("{Line}", line);
            if (!answer.Available && e.Services.GetRequiredService<IConfiguration>().GetValue<bool>(AppHostArguments.RequireGpuKey))
            {
                throw new DistributedApplicationException($"{e.Resource.Name}: a GPU is required (--require-gpu) but {answer.Reason}");
            }

            e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MlOps.AppHost").LogInformation("{Line}", line);
            await e.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(e.Resource, s => s with
            {
                Properties = [.. s.Properties.Where(p => p.Name != "mlops.gpu"), new ResourcePropertySnapshot("mlops.gpu", line)],
            }).ConfigureAwait(false);
        });

        return builder.WithContainerRuntimeArgs(context =>
        {
            // Publishing describes the target, not this host: the GPU is asked for (the compose export puts it in its own override).
            if (answer?.Available == true || builder.ApplicationBuilder.ExecutionContext.IsPublishMode)
            {
                string[] flags = cli == "podman" ? ["--device", "nvidia.com/gpu=all"] : ["--gpus", "all"];
                foreach (var flag in flags)
                {
                    context.Args.Add(flag);
                }
            }
        });
    }
}
