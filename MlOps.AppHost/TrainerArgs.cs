using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MlOps.AppHost;

/// <summary>The trainer's command lines, the same in a container (<c>/data</c>) and as a local process.</summary>
internal static class TrainerArgs
{
    public const string DataFile = "transactions.parquet";

    public static object[] Generate(IConfiguration configuration, string dataDir) =>
    [
        "generate",
        "--rows", Setting(configuration, "Training:Rows", 100_000),
        "--seed", Setting(configuration, "Training:Seed", 42),
        "--out", Join(dataDir, DataFile),
        "--if-missing", "--dvc",
    ];

    /// <summary>The training; <paramref name="device"/> <c>cpu</c> for the local process (the NuGet LightGBM is a CPU
    /// build), <c>auto</c> in the container (CUDA when the image and the host have it).</summary>
    public static object[] Train(IConfiguration configuration, string dataDir, string device) =>
    [
        "train",
        "--data", Join(dataDir, DataFile),
        "--label", "is_fraud",
        "--output", Join(dataDir, "runs"),
        "--seed", Setting(configuration, "Training:Seed", 42),
        "--device", device,
    ];

    // Container paths always use '/', host paths the platform's separator.
    private static string Join(string dir, string name) => dir.StartsWith('/') ? $"{dir.TrimEnd('/')}/{name}" : Path.Combine(dir, name);

    private static string Setting(IConfiguration configuration, string key, int fallback) =>
        configuration.GetValue(key, fallback).ToString(CultureInfo.InvariantCulture);
}
