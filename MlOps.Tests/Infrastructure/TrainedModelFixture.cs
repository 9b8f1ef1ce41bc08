namespace MlOps.Tests.Infrastructure;

/// <summary>
/// One small model trained by our own trainer on generated data, shared by the tests of a collection
/// (training takes seconds; the tests only read the folder).
/// </summary>
public sealed class TrainedModelFixture : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();

    public string DataPath => _folder.File("transactions.csv");

    public string OutputDirectory => _folder.File("out");

    public string ModelDirectory => Path.Combine(OutputDirectory, "model");

    public async Task InitializeAsync()
    {
        var generate = await TrainerRunner.RunAsync("generate", "--rows", "30000", "--seed", "7", "--out", DataPath);
        if (generate.ExitCode != 0)
        {
            throw new InvalidOperationException($"generate failed: {generate.Error}");
        }

        var train = await TrainerRunner.RunAsync("train", "--data", DataPath, "--label", "is_fraud", "--output", OutputDirectory,
            "--iterations", "80", "--seed", "7", "--device", "cpu");
        if (train.ExitCode != 0)
        {
            throw new InvalidOperationException($"train failed ({train.ExitCode}): {train.Error}\n{train.Output}");
        }
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedModelCollection : ICollectionFixture<TrainedModelFixture>
{
    public const string Name = "trained model";
}
