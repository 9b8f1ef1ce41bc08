using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace MlOps.Tests.Mlflow;

/// <summary>
/// Look-ups that are meant to find nothing are answers, not failures: through the real OpenTelemetry SDK and its
/// HttpClient instrumentation, as a service's traces are exported, neither the client's span nor the HTTP span
/// beneath it carries an error; a real failure still does.
/// </summary>
public sealed class MlflowClientExpectedAnswerTracingTests
{
    [Fact]
    public async Task ExpectedAnswers_NoErrorSpans_RealFailure_ErrorSpans()
    {
        await using var server = await FakeMlflowServer.StartAsync().DefaultTimeout();
        var spans = new ConcurrentQueue<Activity>();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [KnownMlflowEnvironment.TrackingUri] = server.BaseAddress.ToString() })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOpenTelemetry().WithTracing(tracing =>
            tracing.AddSource(MlflowClient.ActivitySourceName).AddHttpClientInstrumentation().AddProcessor(new Collector(spans)));
        services.AddMlflowClient();
        await using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<TracerProvider>();
        var client = provider.GetRequiredService<MlflowClient>();
        // A recorded parent, as a service's own span is: the SDK's parent-based sampler then records the children.
        using var parent = new Activity("test-" + Guid.NewGuid()) { ActivityTraceFlags = ActivityTraceFlags.Recorded }.Start();

        await Assert.ThrowsAsync<MlflowException>(() => client.GetExperimentByNameAsync(Captured.MissingExperimentName)).DefaultTimeout();
        await Assert.ThrowsAsync<MlflowException>(() => client.GetModelVersionByAliasAsync(Captured.ModelName, "nope")).DefaultTimeout();
        await Assert.ThrowsAsync<MlflowException>(() => client.CreateRegisteredModelAsync(Captured.ModelName)).DefaultTimeout();
        await Assert.ThrowsAsync<MlflowException>(() => client.GetRunAsync(Captured.MissingRunId)).DefaultTimeout();

        var ours = spans.Where(s => s.TraceId == parent.TraceId).ToList();
        var clientSpans = ours.Where(s => s.Source.Name == MlflowClient.ActivitySourceName).ToDictionary(s => s.DisplayName);
        var httpSpans = ours.Where(s => s.Source.Name != MlflowClient.ActivitySourceName).ToLookup(s => s.ParentSpanId);
        Assert.Equal(4, clientSpans.Count);
        foreach (var name in new[] { "mlflow experiments/get-by-name", "mlflow registered-models/alias", "mlflow registered-models/create" })
        {
            Assert.Equal(ActivityStatusCode.Unset, clientSpans[name].Status);
            var http = Assert.Single(httpSpans[clientSpans[name].SpanId]);
            Assert.True(http.Status == ActivityStatusCode.Unset, $"{name}: HTTP span {http.DisplayName} is {http.Status}");
        }

        var failed = clientSpans["mlflow runs/get"];
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(ActivityStatusCode.Error, Assert.Single(httpSpans[failed.SpanId]).Status);
    }

    private sealed class Collector(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }
}
