using System.Globalization;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Orchestration;

/// <summary>Thrown when a dependency will never be ready; the waiter fails to start with <see cref="Exception.Message"/>.</summary>
internal sealed class DependencyFailedException(string message) : Exception(message);

/// <summary>Holds a resource in <see cref="ResourceState.Waiting"/> until each of its dependencies is ready:
/// running and healthy (<c>WaitFor</c>) or finished with the expected exit code (<c>WaitForCompletion</c>).</summary>
internal static class DependencyWaiter
{
    public static async Task WaitAsync(ResourcePlan plan, ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        foreach (var wait in plan.Waits)
        {
            var name = wait.Resource.Name;
            var current = notifications.Get(name);
            if (current is not null && Outcome(wait, current) == string.Empty)
            {
                continue;
            }

            notifications.Update(plan.Name, s => s with { State = ResourceState.Waiting, Reason = $"waiting for {name}" });
            var snapshot = await notifications.WaitForAsync(name, s => Outcome(wait, s) is not null, cancellationToken).ConfigureAwait(false);
            if (Outcome(wait, snapshot) is { Length: > 0 } failure)
            {
                throw new DependencyFailedException(failure);
            }
        }
    }

    /// <summary>Null while not decided, empty when ready, otherwise why the dependency will not become ready.</summary>
    internal static string? Outcome(WaitAnnotation wait, ResourceSnapshot dependency)
    {
        var name = dependency.Name;
        var code = dependency.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?";
        return dependency.State switch
        {
            ResourceState.FailedToStart => $"dependency '{name}' failed to start: {dependency.Reason}",
            ResourceState.Exited => $"dependency '{name}' exited with code {code}",
            ResourceState.Running when wait.WaitType == WaitType.WaitUntilHealthy && dependency.Health == ResourceHealthStatus.Healthy => string.Empty,
            ResourceState.Finished when wait.WaitType == WaitType.WaitUntilHealthy => $"dependency '{name}' finished with code {code} instead of running",
            ResourceState.Finished when dependency.ExitCode == wait.ExitCode => string.Empty,
            ResourceState.Finished => $"dependency '{name}' finished with exit code {code} (expected {wait.ExitCode.ToString(CultureInfo.InvariantCulture)})",
            _ => null,
        };
    }
}
