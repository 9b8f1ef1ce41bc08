namespace MlOps.Trainer.Devices;

/// <summary>What the user asked for with --device.</summary>
public enum DeviceRequest
{
    Auto,
    Cpu,
    Cuda,
}

/// <summary>Whether an NVIDIA GPU is visible to this process, with a one-line explanation.</summary>
public sealed record GpuProbe(bool Visible, string Detail);

/// <summary>Whether the loaded LightGBM library was built with CUDA, with a one-line explanation.</summary>
public sealed record LightGbmCudaSupport(bool Supported, string Detail);

/// <summary>The device LightGBM trains on ("cpu" or "cuda") and why.</summary>
public sealed record DeviceDecision(string Device, string Reason);

/// <summary>The machine facts device selection depends on.</summary>
public interface IGpuEnvironment
{
    GpuProbe ProbeGpu();

    LightGbmCudaSupport ProbeLightGbmCuda();
}

/// <summary>Chooses LightGBM's device_type from the request and what the machine offers.</summary>
public static class DeviceSelector
{
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";

    public static DeviceDecision Select(DeviceRequest request, IGpuEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        switch (request)
        {
            case DeviceRequest.Cpu:
                return new DeviceDecision(Cpu, "requested");
            case DeviceRequest.Auto:
            {
                var gpu = environment.ProbeGpu();
                if (!gpu.Visible)
                {
                    return new DeviceDecision(Cpu, $"auto: no GPU visible ({gpu.Detail})");
                }

                var cuda = environment.ProbeLightGbmCuda();
                return cuda.Supported
                    ? new DeviceDecision(Cuda, $"auto: GPU visible ({gpu.Detail}) and LightGBM has CUDA ({cuda.Detail})")
                    : new DeviceDecision(Cpu, $"auto: GPU visible but LightGBM has no CUDA support ({cuda.Detail})");
            }

            case DeviceRequest.Cuda:
            {
                var gpu = environment.ProbeGpu();
                var cuda = environment.ProbeLightGbmCuda();
                if (gpu.Visible && cuda.Supported)
                {
                    return new DeviceDecision(Cuda, $"requested; GPU visible ({gpu.Detail})");
                }

                var missing = new List<string>();
                if (!gpu.Visible)
                {
                    missing.Add($"no GPU is visible ({gpu.Detail}); run with the NVIDIA driver and `--gpus all`");
                }

                if (!cuda.Supported)
                {
                    missing.Add($"the LightGBM library has no CUDA support ({cuda.Detail})");
                }

                throw new BadInputException(
                    "--device cuda: " + string.Join(" and ", missing)
                    + "; use the GPU image built from MlOps.Trainer/Dockerfile.gpu (LightGBM built with -DUSE_CUDA=ON) or --device cpu.");
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(request), request, "Unknown device request.");
        }
    }
}
