using Microsoft.Extensions.DependencyInjection;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Console;
using MlOps.Hosting.Orchestration;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting.Console;

public sealed class ResourceConsoleReporterTests
{
    [Fact]
    public void Report_PrintsEachChangeOnce_ThenTheTableWhenSettled_ThenReadyWhenHealthy()
    {
        using var temp = new TempDirectory();
        var (notifications, reporter, output) = Create(temp);
        var db = notifications.Publish(new ResourceSnapshot { Name = "db", ResourceType = "Postgres" });
        var web = notifications.Publish(new ResourceSnapshot { Name = "web", ResourceType = "Project" });
        var job = notifications.Publish(new ResourceSnapshot { Name = "job", ResourceType = "Executable", IsExplicitStart = true });
        reporter.Report(db);
        reporter.Report(web);
        reporter.Report(job);

        reporter.Report(db = db with { State = ResourceState.Running, Health = ResourceHealthStatus.Healthy, Urls = [new("tcp", "tcp://localhost:5432")] });
        reporter.Report(db with { StartCount = 2 });
        reporter.Report(web = web with { State = ResourceState.Running, Health = ResourceHealthStatus.Unhealthy, Urls = [new("http", "http://localhost:8000")] });
        var settled = output.ToString();
        reporter.Report(web with { Health = ResourceHealthStatus.Healthy });

        var text = output.ToString();
        Assert.Single(AllIndexesOf(text, "• db           Running (Healthy)  tcp://localhost:5432"));
        Assert.Contains("web           Project           Running (Unhealthy)   http://localhost:8000", settled, StringComparison.Ordinal);
        Assert.DoesNotContain("all resources ready", settled, StringComparison.Ordinal);
        Assert.Contains("• web          Running (Healthy)", text, StringComparison.Ordinal);
        Assert.Contains("✓ all resources ready after", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ResourceState.FailedToStart, null, "✗ api          FailedToStart  — port 5000 of resource 'api' is already in use")]
    [InlineData(ResourceState.Exited, 3, "✗ api          Exited  exit code 3  — port 5000 of resource 'api' is already in use")]
    [InlineData(ResourceState.Finished, 0, "• api          Finished  exit code 0  — port 5000 of resource 'api' is already in use")]
    public void FormatChange_MarksFailuresAndShowsTheReason(ResourceState state, int? exitCode, string expected)
    {
        var snapshot = new ResourceSnapshot
        {
            Name = "api",
            ResourceType = "Project",
            State = state,
            ExitCode = exitCode,
            Reason = "port 5000 of resource 'api' is already in use",
        };

        Assert.Equal(expected, ResourceConsoleReporter.FormatChange(snapshot, previous: null));
    }

    private static (ResourceNotificationService, ResourceConsoleReporter, StringWriter) Create(TempDirectory temp)
    {
        var notifications = new ResourceNotificationService();
        var model = new DistributedApplicationModel([], new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), temp.Path, temp.Path);
        var output = new StringWriter();
        var services = new ServiceCollection().BuildServiceProvider();
        return (notifications, new ResourceConsoleReporter(notifications, model, services, output), output);
    }

    private static IEnumerable<int> AllIndexesOf(string text, string value)
    {
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            yield return i;
        }
    }
}
