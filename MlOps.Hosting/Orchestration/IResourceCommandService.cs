namespace MlOps.Hosting.Orchestration;

/// <summary>The commands every resource accepts at run time.</summary>
public static class KnownResourceCommands
{
    /// <summary>Start a resource that is not running (the trainer's "train again").</summary>
    public const string Start = "start";

    /// <summary>Stop a running resource (graceful, then killed after the grace period).</summary>
    public const string Stop = "stop";

    /// <summary>Stop, then start.</summary>
    public const string Restart = "restart";
}

/// <summary>The outcome of a command.</summary>
/// <param name="Success">True when the command was carried out.</param>
/// <param name="ErrorMessage">Why not, in one line.</param>
public sealed record ResourceCommandResult(bool Success, string? ErrorMessage = null);

/// <summary>Start, stop and restart resources while the application runs (used by the dashboard and its API).</summary>
public interface IResourceCommandService
{
    /// <summary>Runs <paramref name="commandName"/> (see <see cref="KnownResourceCommands"/>) on a resource. Returns once
    /// the resource has been started (not necessarily healthy) or stopped.</summary>
    Task<ResourceCommandResult> ExecuteAsync(string resourceName, string commandName, CancellationToken cancellationToken);
}
