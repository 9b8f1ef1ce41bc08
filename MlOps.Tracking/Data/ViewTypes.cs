using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Data;

/// <summary>MLflow's ViewType: ACTIVE_ONLY (the default), DELETED_ONLY, ALL.</summary>
internal static class ViewTypes
{
    public static string Where(string? viewType, string column) => (viewType ?? "ACTIVE_ONLY").ToUpperInvariant() switch
    {
        "ACTIVE_ONLY" or "1" => $"{column} = 'active'",
        "DELETED_ONLY" or "2" => $"{column} = 'deleted'",
        "ALL" or "3" => "true",
        _ => throw MlflowException.InvalidParameter($"Invalid view type '{viewType}': use ACTIVE_ONLY, DELETED_ONLY or ALL."),
    };
}
