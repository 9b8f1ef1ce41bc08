using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Trainer;

public sealed class TrainBadInputTests
{
    private static async Task<TrainerRunner.Result> Train(string data, params string[] extra) =>
        await TrainerRunner.RunAsync(["train", "--data", data, "--label", "is_fraud", "--output", Path.Combine(Path.GetDirectoryName(data)!, "out"), "--iterations", "20", .. extra]);

    private static void AssertBadInput(TrainerRunner.Result result, params string[] mentions)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.TrimEnd().Split('\n'));
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, line, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Train_EmptyFile_ExitsTwoNamingFile()
    {
        using var temp = new TempDirectory();
        var data = temp.File("empty.csv");
        await File.WriteAllTextAsync(data, string.Empty).DefaultTimeout();

        AssertBadInput(await Train(data), "empty.csv");
        Assert.False(Directory.Exists(temp.File("out/model")));
    }

    [Fact]
    public async Task Train_OneClassOnly_ExitsTwo()
    {
        using var temp = new TempDirectory();
        var data = temp.File("one.csv");
        await File.WriteAllLinesAsync(data, ["amount,is_fraud", .. Enumerable.Range(0, 200).Select(i => $"{i},0")]).DefaultTimeout();

        AssertBadInput(await Train(data), "is_fraud");
    }

    [Fact]
    public async Task Train_MissingLabelColumn_ExitsTwoNamingColumn()
    {
        using var temp = new TempDirectory();
        var data = temp.File("nolabel.csv");
        await File.WriteAllLinesAsync(data, ["amount,other", "1,0", "2,1"]).DefaultTimeout();

        AssertBadInput(await Train(data), "is_fraud");
    }

    [Fact]
    public async Task Train_TextInNumericColumn_ExitsTwoNamingColumnAndValue()
    {
        using var temp = new TempDirectory();
        var data = temp.File("text.csv");
        var rows = Enumerable.Range(0, 300).Select(i => $"{(i == 150 ? "abc" : i.ToString(System.Globalization.CultureInfo.InvariantCulture))},{i % 10 == 0}").ToList();
        await File.WriteAllLinesAsync(data, ["amount,is_fraud", .. rows]).DefaultTimeout();

        AssertBadInput(await Train(data), "amount", "abc");
    }

    [Fact]
    public async Task Train_DataChangedSincePointer_RefusesUnlessOverridden()
    {
        using var temp = new TempDirectory();
        var data = temp.File("tx.csv");
        await TrainerRunner.RunAsync("generate", "--rows", "3000", "--seed", "1", "--out", data);
        Assert.Equal(0, (await TrainerRunner.RunAsync("data", "add", data)).ExitCode);
        await File.AppendAllTextAsync(data, "tx_99999999,2024-03-01T00:00:00Z,1.00,grocery,0,4,1,1.00,1,10.00,100,0,0\n").DefaultTimeout();

        AssertBadInput(await Train(data), "tx.csv");
        var overridden = await Train(data, "--allow-data-mismatch");
        Assert.True(overridden.ExitCode == 0, overridden.Error);
    }

    [Fact]
    public async Task Train_CudaRequestedWithoutGpu_ExitsTwoSayingWhy()
    {
        using var temp = new TempDirectory();
        var data = temp.File("tx.csv");
        await TrainerRunner.RunAsync("generate", "--rows", "2000", "--seed", "1", "--out", data);

        // This machine has no NVIDIA GPU and the NuGet LightGBM is a CPU build, so cuda must be refused clearly.
        AssertBadInput(await Train(data, "--device", "cuda"), "cuda");
    }

    [Fact]
    public async Task Train_UnknownOption_ExitsTwo()
    {
        var result = await TrainerRunner.RunAsync("train", "--data", "x.csv", "--label", "y", "--no-such-option");

        AssertBadInput(result, "--no-such-option");
    }
}
