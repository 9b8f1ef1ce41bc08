using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Model;

namespace MlOps.Tests.Serving;

/// <summary>
/// Two small models trained by our own trainer on one generated data set: the serving tests load the first and
/// reload to the second. Tests copy a model folder into their own temp folder before pointing a server at it.
/// </summary>
public sealed class ServingModelsFixture : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();

    public string DataPath => _folder.File("transactions.csv");

    public string ModelA => Path.Combine(_folder.File("a"), "model");

    public string ModelB => Path.Combine(_folder.File("b"), "model");

    public ModelCard CardA { get; private set; } = null!;

    public ModelCard CardB { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await RunAsync("generate", "--rows", "20000", "--seed", "7", "--out", DataPath);
        await RunAsync("train", "--data", DataPath, "--label", "is_fraud", "--output", _folder.File("a"),
            "--iterations", "60", "--seed", "7", "--device", "cpu");
        await RunAsync("train", "--data", DataPath, "--label", "is_fraud", "--output", _folder.File("b"),
            "--iterations", "25", "--num-leaves", "7", "--seed", "11", "--device", "cpu");
        CardA = ModelCard.FromJson(await File.ReadAllTextAsync(Path.Combine(ModelA, "model-card.json")));
        CardB = ModelCard.FromJson(await File.ReadAllTextAsync(Path.Combine(ModelB, "model-card.json")));
    }

    private static async Task RunAsync(params string[] args)
    {
        var result = await TrainerRunner.RunAsync(args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"mlops-trainer {args[0]} failed ({result.ExitCode}): {result.Error}\n{result.Output}");
        }
    }

    /// <summary>A copy of a model folder in <paramref name="temp"/>, for one test to serve (and change) alone.</summary>
    public static string CopyModel(string source, TempDirectory temp, string name = "model")
    {
        var target = temp.File(name);
        CopyInto(source, target);
        return target;
    }

    /// <summary>Overwrites <paramref name="target"/>'s files with <paramref name="source"/>'s (a new model at the same URI).</summary>
    public static void CopyInto(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
// PostgreSQL backs the tracking server the registry tests serve from.
public sealed class ServingModelsCollection : ICollectionFixture<ServingModelsFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "serving models";
}
