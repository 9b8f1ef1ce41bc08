using Aspire.Hosting.ApplicationModel;

using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.AppHost;

/// <summary>A PostgreSQL that cannot start fails everything waiting for it at once, each with the reason.</summary>
[Collection(AppHostCollection.Name)]
public sealed class FailureTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task PostgresFailingToStart_FailsItsDatabasesAndWaitersAtOnce_WithTheReason()
    {
        using var data = new AppHostDataDirectory();
        await using var app = await MlOpsApp.StartAsync(data.Path, settings: "AppHost:PostgresBinDirectory=/nonexistent/postgresql/bin");

        await app.WaitForAsync("postgres", s => s.State?.Text == KnownResourceStates.FailedToStart, s_wait);
        Assert.Contains("PostgreSQL server binaries not found", await app.LogTailAsync("postgres"), StringComparison.Ordinal);

        // The databases follow their server (Aspire mirrors state only onto children of containers; ours do it themselves).
        await FailedAsync(app, "trackingdb");

        // Waiters fail instead of waiting forever, and their log says on what.
        await FailedAsync(app, "mlflow");
        Assert.Contains("trackingdb", await app.LogTailAsync("mlflow"), StringComparison.Ordinal);
        await FailedAsync(app, "serving");
        Assert.Contains("failed to start", await app.LogTailAsync("serving"), StringComparison.OrdinalIgnoreCase);
    }

    // Here failing is what is waited for, so the harness's fail-fast on a failed dependency does not apply.
    private static Task FailedAsync(MlOpsApp app, string name) =>
        app.Notifications.WaitForResourceAsync(name, KnownResourceStates.FailedToStart).DefaultTimeout(s_wait);
}
