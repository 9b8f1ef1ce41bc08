namespace MlOps.Tracking.Infrastructure;

/// <summary>The <c>{}</c> every MLflow write call answers with.</summary>
public sealed record Empty
{
    public static Empty Instance { get; } = new();
}
