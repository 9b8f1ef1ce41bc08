using System.Collections.Concurrent;
using System.Diagnostics;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

public sealed class MlflowClientTracingTests
{
    [Fact]
    public async Task Operations_EachOneClientSpanNamedAfterTheOperation()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MlflowClient.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await FakeMlflowServer.StartAsync().DefaultTimeout();
        using var http = server.CreateHttpClient();
        var client = new MlflowClient(http);
        using var parent = new Activity("test-" + Guid.NewGuid()).Start();

        await client.GetExperimentAsync("1").DefaultTimeout();
        await Assert.ThrowsAsync<MlflowException>(() => client.GetRunAsync(Captured.MissingRunId)).DefaultTimeout();

        var ours = spans.Where(s => s.ParentSpanId == parent.SpanId).ToList();
        Assert.Equal(["mlflow experiments/get", "mlflow runs/get"], ours.Select(s => s.DisplayName));
        Assert.All(ours, s => Assert.Equal(ActivityKind.Client, s.Kind));
        Assert.Equal(ActivityStatusCode.Error, ours[1].Status);
    }
}

