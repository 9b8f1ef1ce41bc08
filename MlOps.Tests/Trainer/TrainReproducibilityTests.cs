using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Trainer;

public sealed class TrainReproducibilityTests
{
    [Fact]
    public async Task Train_SameDataConfigAndSeed_WritesByteIdenticalOnnx()
    {
        using var temp = new TempDirectory();
        var data = temp.File("tx.parquet");
        Assert.Equal(0, (await TrainerRunner.RunAsync("generate", "--rows", "8000", "--seed", "11", "--out", data)).ExitCode);

        async Task<byte[]> TrainInto(string output)
        {
            var result = await TrainerRunner.RunAsync("train", "--data", data, "--label", "is_fraud", "--output", output,
                "--iterations", "40", "--seed", "3", "--device", "cpu", "--threads", "2");
            Assert.True(result.ExitCode == 0, result.Error);
            return await File.ReadAllBytesAsync(Path.Combine(output, "model", "model.onnx")).DefaultTimeout();
        }

        var first = await TrainInto(temp.File("a"));
        var second = await TrainInto(temp.File("b"));
        var otherSeed = await TrainerRunner.RunAsync("train", "--data", data, "--label", "is_fraud", "--output", temp.File("c"),
            "--iterations", "40", "--seed", "4", "--device", "cpu", "--threads", "2");

        Assert.Equal(first, second);
        Assert.Equal(0, otherSeed.ExitCode);
        Assert.NotEqual(first, await File.ReadAllBytesAsync(temp.File("c/model/model.onnx")).DefaultTimeout());
    }

    [Fact]
    public async Task Generate_SameSeed_WritesSameBytes()
    {
        using var temp = new TempDirectory();
        await TrainerRunner.RunAsync("generate", "--rows", "5000", "--seed", "5", "--out", temp.File("a.csv"));
        await TrainerRunner.RunAsync("generate", "--rows", "5000", "--seed", "5", "--out", temp.File("b.csv"));
        await TrainerRunner.RunAsync("generate", "--rows", "5000", "--seed", "6", "--out", temp.File("c.csv"));

        var a = await File.ReadAllBytesAsync(temp.File("a.csv")).DefaultTimeout();
        Assert.Equal(a, await File.ReadAllBytesAsync(temp.File("b.csv")).DefaultTimeout());
        Assert.NotEqual(a, await File.ReadAllBytesAsync(temp.File("c.csv")).DefaultTimeout());
    }
}
