using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Versioning;

namespace MlOps.Tests.Trainer.Data;

public sealed class GenerateCommandTests
{
    [Fact]
    public async Task Generate_IfMissingWithExistingFile_KeepsTheFileUntouched()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "data.csv");
        await File.WriteAllTextAsync(path, "kept").DefaultTimeout();

        var result = await TrainerRunner.RunAsync("generate", "--rows", "50", "--out", path, "--if-missing");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("kept", await File.ReadAllTextAsync(path).DefaultTimeout());
        Assert.Contains("kept", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_WithDvc_WritesAPointerThatVerifies()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "data.parquet");

        var result = await TrainerRunner.RunAsync("generate", "--rows", "200", "--seed", "3", "--out", path, "--if-missing", "--dvc");

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(DataVersioning.PointerPathFor(path)));
        Assert.Equal(DataVersioning.Md5Of(path), DataVersioning.ReadPointer(path).Md5);
    }
}
