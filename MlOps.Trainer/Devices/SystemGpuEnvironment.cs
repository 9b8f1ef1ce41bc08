using System.Diagnostics;
using System.Globalization;
using MlOps.Trainer.LightGbm;

namespace MlOps.Trainer.Devices;

/// <summary>
/// The real machine: NVIDIA GPUs from /proc/driver/nvidia/gpus or <c>nvidia-smi -L</c>, honouring
/// CUDA_VISIBLE_DEVICES; LightGBM CUDA support by trying to build a tiny CUDA booster (cached per process).
/// </summary>
public sealed class SystemGpuEnvironment : IGpuEnvironment
{
    private const string ProcGpus = "/proc/driver/nvidia/gpus";
    private static readonly TimeSpan s_nvidiaSmiTimeout = TimeSpan.FromSeconds(5);
    private static readonly Lazy<LightGbmCudaSupport> s_cudaSupport = new(ProbeCudaOnce);

    public GpuProbe ProbeGpu()
    {
        var visibleDevices = Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES");
        if (visibleDevices is not null && (visibleDevices.Trim().Length == 0 || visibleDevices.Trim() == "-1"))
        {
            return new GpuProbe(false, $"CUDA_VISIBLE_DEVICES=\"{visibleDevices}\" hides all GPUs");
        }

        try
        {
            if (Directory.Exists(ProcGpus))
            {
                var count = Directory.GetDirectories(ProcGpus).Length;
                if (count > 0)
                {
                    return new GpuProbe(true, $"{count.ToString(CultureInfo.InvariantCulture)} NVIDIA GPU(s) in {ProcGpus}");
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Fall through to nvidia-smi.
        }

        return ProbeNvidiaSmi();
    }

    public LightGbmCudaSupport ProbeLightGbmCuda() => s_cudaSupport.Value;

    private static GpuProbe ProbeNvidiaSmi()
    {
        var start = new ProcessStartInfo("nvidia-smi", "-L")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return new GpuProbe(false, "nvidia-smi could not be started");
            }

            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_nvidiaSmiTimeout))
            {
                process.Kill(entireProcessTree: true);
                return new GpuProbe(false, "nvidia-smi -L did not answer within 5 s");
            }

            var gpus = output.Result
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Count(line => line.StartsWith("GPU ", StringComparison.Ordinal));
            return gpus > 0
                ? new GpuProbe(true, $"nvidia-smi lists {gpus.ToString(CultureInfo.InvariantCulture)} GPU(s)")
                : new GpuProbe(false, $"nvidia-smi -L listed no GPU (exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)})");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new GpuProbe(false, $"no NVIDIA driver: {ProcGpus} is empty and nvidia-smi is not on PATH");
        }
    }

    private static LightGbmCudaSupport ProbeCudaOnce()
    {
        const int rows = 32;
        var values = new double[rows];
        var labels = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            values[i] = i;
            labels[i] = i % 2;
        }

        const string parameters = "objective=binary device_type=cuda num_threads=1 verbosity=-1 min_data_in_leaf=1 min_data_in_bin=1";
        try
        {
            // A CPU build answers with a [Fatal] line: expected here, so it goes nowhere.
            using var silence = LightGbmLog.RouteTo(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            using var dataset = LightGbmDataset.Create(values, rows, 1, labels, parameters);
            using var booster = LightGbmBooster.Create(dataset, parameters, numThreads: 1);
            return new LightGbmCudaSupport(true, "a CUDA booster was created");
        }
        catch (LightGbmException e)
        {
            return new LightGbmCudaSupport(false, "LightGBM: " + OneLine(e.Message));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return new LightGbmCudaSupport(false, "lib_lightgbm could not be loaded: " + OneLine(e.Message));
        }
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
