using System.Globalization;
using System.Text;
using System.Text.Json;
using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Cli;
using MlOps.Trainer.Model;

namespace MlOps.Tests.Trainer.Tuning;

// `tune` through the real command line, offline (the tracked search is in TuneTrackingTests).
public sealed class TuneCommandTests
{
    [Fact]
    public async Task Tune_SameSeed_SameTrialsAndByteIdenticalModel()
    {
        using var temp = new TempDirectory();
        var data = await AdditiveTableAsync(temp, rows: 3000);

        var first = await TuneAsync(data, temp.File("a"), "--trials", "5");
        var second = await TuneAsync(data, temp.File("b"), "--trials", "5");

        Assert.True(first.ExitCode == 0, first.Error + first.Output);
        Assert.True(second.ExitCode == 0, second.Error + second.Output);
        Assert.Equal(await TrialsAsync(temp.File("a")), await TrialsAsync(temp.File("b")));
        Assert.Equal(await File.ReadAllBytesAsync(temp.File("a/model/model.onnx")).DefaultTimeout(),
            await File.ReadAllBytesAsync(temp.File("b/model/model.onnx")).DefaultTimeout());
        Assert.True(File.Exists(temp.File("a/tune-best.json")));
        Assert.True(File.Exists(temp.File("a/tune-objective.png")));
    }

    [Fact]
    public async Task Tune_AdditiveTableWhereDefaultLeavesArePoor_BeatsDefaultTrainOnTheTestSplit()
    {
        // Thirty small additive effects: stumps with a high learning rate fit them, the default 15-leaf trees
        // chase interactions that are not there. Same seed, so both are judged on the same test rows.
        using var temp = new TempDirectory();
        var data = await AdditiveTableAsync(temp, rows: 12_000);
        var space = temp.File("space.json");
        await File.WriteAllTextAsync(space, """
            { "learning_rate": { "low": 0.05, "high": 0.5, "log": true }, "num_leaves": { "low": 2, "high": 32, "log": true } }
            """).DefaultTimeout();

        var trained = await TrainerRunner.RunAsync("train", "--data", data, "--label", "label", "--output", temp.File("default"), "--device", "cpu", "--threads", "2");
        var tuned = await TuneAsync(data, temp.File("tuned"), "--trials", "10", "--space", space);

        Assert.True(trained.ExitCode == 0, trained.Error);
        Assert.True(tuned.ExitCode == 0, tuned.Error + tuned.Output);
        var byDefault = (await CardAsync(temp.File("default"))).TestMetrics["pr_auc"];
        var bySearch = (await CardAsync(temp.File("tuned"))).TestMetrics["pr_auc"];
        Assert.True(bySearch > byDefault + 0.005, $"test PR-AUC: tuned {bySearch:F4}, default {byDefault:F4}");
    }

    [Fact]
    public async Task Tune_CtrlCAfterTwoTrials_KeepsTheBestSoFarAndExits130()
    {
        using var temp = new TempDirectory();
        var data = await AdditiveTableAsync(temp, rows: 3000);
        using var cancel = new CancellationTokenSource();
        using var output = new CancellingWriter("trial 2/", cancel);
        using var error = new StringWriter();

        var code = await TrainerCli.RunAsync(
            ["tune", "--data", data, "--label", "label", "--output", temp.File("out"), "--device", "cpu", "--threads", "2", "--trials", "50"],
            output, error, _ => null, cancel.Token).DefaultTimeout(TimeSpan.FromMinutes(5));

        Assert.Equal(TrainerCli.Cancelled, code);
        var trials = await TrialsAsync(temp.File("out"));
        Assert.InRange(trials.Count, 2, 3);
        Assert.True(File.Exists(temp.File("out/tune-best.json")));
        Assert.False(Directory.Exists(temp.File("out/model")));
        Assert.Contains("best so far trial", output.ToString(), StringComparison.Ordinal);
    }

    internal static async Task<string> AdditiveTableAsync(TempDirectory temp, int rows)
    {
        var random = new Random(5);
        var builder = new StringBuilder();
        builder.AppendLine(string.Join(',', Enumerable.Range(0, 30).Select(j => $"f{j}")) + ",label");
        for (var r = 0; r < rows; r++)
        {
            var x = Enumerable.Range(0, 30).Select(_ => Gaussian(random)).ToArray();
            var p = 1 / (1 + Math.Exp(3 - (0.6 * x.Sum())));
            builder.AppendLine(string.Join(',', x.Select(v => v.ToString("F3", CultureInfo.InvariantCulture))) + (random.NextDouble() < p ? ",1" : ",0"));
        }

        var path = temp.File("additive.csv");
        await File.WriteAllTextAsync(path, builder.ToString()).DefaultTimeout();
        return path;
    }

    private static Task<TrainerRunner.Result> TuneAsync(string data, string output, params string[] extra) =>
        TrainerRunner.RunAsync(["tune", "--data", data, "--label", "label", "--output", output, "--device", "cpu", "--threads", "2", .. extra]);

    // Each trial's values and figures; the seconds differ from run to run and are left out.
    private static async Task<List<string>> TrialsAsync(string output)
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "tune-trials.json")).DefaultTimeout());
        return [.. document.RootElement.GetProperty("trials").EnumerateArray().Select(t =>
            $"{t.GetProperty("params").GetRawText()} {t.GetProperty("valid_pr_auc").GetRawText()} {t.GetProperty("best_iteration").GetInt32()}")];
    }

    private static async Task<ModelCard> CardAsync(string output) =>
        ModelCard.FromJson(await File.ReadAllTextAsync(Path.Combine(output, "model", "model-card.json")).DefaultTimeout());

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>Captures what the command prints and presses "Ctrl+C" (cancels) once a marker has been printed.</summary>
internal sealed class CancellingWriter(string marker, CancellationTokenSource cancel) : StringWriter
{
    public override void Write(string? value)
    {
        base.Write(value);
        Check();
    }

    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        Check();
    }

    private void Check()
    {
        if (!cancel.IsCancellationRequested && ToString().Contains(marker, StringComparison.Ordinal))
        {
            cancel.Cancel();
        }
    }
}
