namespace MlOps.Tracking.Infrastructure;

/// <summary>MLflow's tag and param shape, <c>{key, value}</c>.</summary>
public sealed record KeyValue(string? Key, string? Value);
