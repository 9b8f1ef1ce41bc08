using System.Threading.Channels;
using MlOps.Mlflow;

namespace MlOps.Trainer.Tracking;

/// <summary>
/// Sends metrics to a run from a background loop in batches, so the training loop only enqueues and never waits
/// on the network. <see cref="FlushAsync"/> sends what is left and surfaces the first error.
/// </summary>
internal sealed class MetricStream : IAsyncDisposable
{
    // A short pause between batches turns a fast training loop into a few large log-batch calls.
    private static readonly TimeSpan s_coalesce = TimeSpan.FromMilliseconds(250);

    private readonly Channel<Metric> _channel = Channel.CreateUnbounded<Metric>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly MlflowClient _client;
    private readonly string _runId;
    private readonly Task _pump;

    public MetricStream(MlflowClient client, string runId)
    {
        _client = client;
        _runId = runId;
        _pump = Task.Run(() => PumpAsync(_stop.Token));
    }

    public void Add(Metric metric) => _channel.Writer.TryWrite(metric);

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Only reached when the run already failed or was flushed; the error that matters was reported there.
        }

        _stop.Dispose();
    }

    private async Task PumpAsync(CancellationToken ct)
    {
        var batch = new List<Metric>(MlflowClient.MaxMetricsPerBatch);
        while (await _channel.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (batch.Count < MlflowClient.MaxMetricsPerBatch && _channel.Reader.TryRead(out var metric))
            {
                batch.Add(metric);
            }

            await _client.LogBatchAsync(_runId, metrics: batch, cancellationToken: ct).ConfigureAwait(false);
            batch.Clear();
            if (!_channel.Reader.Completion.IsCompleted)
            {
                await Task.Delay(s_coalesce, ct).ConfigureAwait(false);
            }
        }
    }
}
