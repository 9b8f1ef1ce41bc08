namespace MlOps.Trainer.Tracking;

/// <summary>
/// Sits inside the resilience handler, so it sees every attempt: counts the attempts that got no answer since the
/// last answer, for an error message that says how hard the trainer tried.
/// </summary>
internal sealed class AttemptCounter : DelegatingHandler
{
    private int _failedAttempts;

    public int FailedAttempts => Volatile.Read(ref _failedAttempts);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _failedAttempts, 0);
            return response;
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _failedAttempts);
            throw;
        }
    }
}
