using MlOps.Trainer;
using MlOps.Trainer.Devices;

namespace MlOps.Tests.Trainer.LightGbm;

public sealed class DeviceSelectorTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Select_Cpu_AlwaysCpuRequested(bool gpu, bool cuda)
    {
        var decision = DeviceSelector.Select(DeviceRequest.Cpu, new FakeGpuEnvironment(gpu, cuda));

        Assert.Equal(new DeviceDecision("cpu", "requested"), decision);
    }

    [Fact]
    public void Select_AutoWithGpuAndCudaLibrary_Cuda()
    {
        var decision = DeviceSelector.Select(DeviceRequest.Auto, new FakeGpuEnvironment(gpu: true, cuda: true));

        Assert.Equal("cuda", decision.Device);
    }

    [Fact]
    public void Select_AutoWithoutGpu_CpuNamingMissingGpu()
    {
        var decision = DeviceSelector.Select(DeviceRequest.Auto, new FakeGpuEnvironment(gpu: false, cuda: true));

        Assert.Equal("cpu", decision.Device);
        Assert.Contains("no GPU visible", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("fake gpu detail", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_AutoWithGpuButCpuLibrary_CpuNamingMissingCuda()
    {
        var decision = DeviceSelector.Select(DeviceRequest.Auto, new FakeGpuEnvironment(gpu: true, cuda: false));

        Assert.Equal("cpu", decision.Device);
        Assert.Contains("no CUDA support", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("fake cuda detail", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_AutoWithNeither_CpuNamingMissingGpu()
    {
        var decision = DeviceSelector.Select(DeviceRequest.Auto, new FakeGpuEnvironment(gpu: false, cuda: false));

        Assert.Equal("cpu", decision.Device);
        Assert.Contains("no GPU visible", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_CudaWithGpuAndCudaLibrary_Cuda()
    {
        var decision = DeviceSelector.Select(DeviceRequest.Cuda, new FakeGpuEnvironment(gpu: true, cuda: true));

        Assert.Equal("cuda", decision.Device);
        Assert.StartsWith("requested", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_CudaWithoutGpu_ThrowsBadInputNamingGpu()
    {
        var exception = Assert.Throws<BadInputException>(() =>
            DeviceSelector.Select(DeviceRequest.Cuda, new FakeGpuEnvironment(gpu: false, cuda: true)));

        Assert.StartsWith("--device cuda: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains("no GPU is visible", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no CUDA support", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Dockerfile.gpu", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_CudaWithCpuLibrary_ThrowsBadInputNamingLibrary()
    {
        var exception = Assert.Throws<BadInputException>(() =>
            DeviceSelector.Select(DeviceRequest.Cuda, new FakeGpuEnvironment(gpu: true, cuda: false)));

        Assert.Contains("no CUDA support", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no GPU is visible", exception.Message, StringComparison.Ordinal);
        Assert.Contains("-DUSE_CUDA=ON", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_CudaWithNeither_ThrowsBadInputNamingBoth()
    {
        var exception = Assert.Throws<BadInputException>(() =>
            DeviceSelector.Select(DeviceRequest.Cuda, new FakeGpuEnvironment(gpu: false, cuda: false)));

        Assert.Contains("no GPU is visible", exception.Message, StringComparison.Ordinal);
        Assert.Contains("no CUDA support", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProbeLightGbmCuda_RealCpuBuild_ReportsNoCudaWithDetail()
    {
        var support = new SystemGpuEnvironment().ProbeLightGbmCuda();

        Assert.False(support.Supported);
        Assert.Contains("not enabled", support.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', support.Detail);
        Assert.Same(support, new SystemGpuEnvironment().ProbeLightGbmCuda());
    }

    [Fact]
    public void ProbeGpu_Real_ReturnsDetail()
    {
        var probe = new SystemGpuEnvironment().ProbeGpu();

        Assert.False(string.IsNullOrWhiteSpace(probe.Detail));
    }

    /// <summary>
    /// Stands in for the machine: a GPU (and a CUDA build of LightGBM) is a boundary this machine cannot run, so the
    /// selection logic is exercised against fixed answers.
    /// </summary>
    private sealed class FakeGpuEnvironment(bool gpu, bool cuda) : IGpuEnvironment
    {
        public GpuProbe ProbeGpu() => new(gpu, "fake gpu detail");

        public LightGbmCudaSupport ProbeLightGbmCuda() => new(cuda, "fake cuda detail");
    }
}
