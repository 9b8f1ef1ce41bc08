using MlOps.Trainer.Devices;

namespace MlOps.Trainer.Training;

/// <summary>Everything <c>train</c> was asked to do, after the command line and the config file are merged.</summary>
public sealed record TrainingRequest
{
    public required string DataPath { get; init; }

    public required string LabelColumn { get; init; }

    public string? PositiveValue { get; init; }

    public required string OutputDirectory { get; init; }

    public TrainingConfig Config { get; init; } = new();

    public int Seed { get; init; } = 42;

    public DeviceRequest Device { get; init; } = DeviceRequest.Auto;

    /// <summary>Train even when the data no longer matches its <c>.dvc</c> pointer (the md5 recorded is the actual one).</summary>
    public bool AllowDataMismatch { get; init; }

    public string ModelName { get; init; } = "fraud-detector";

    /// <summary>Largest allowed |ONNX − LightGBM| probability difference on the test split.</summary>
    public double ParityTolerance { get; init; } = 1e-5;
}
