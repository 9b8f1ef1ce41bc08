namespace MlOps.Trainer.Tracking;

/// <summary>The tracking server did not answer after the HTTP client's bounded retries.</summary>
public sealed class TrackingUnavailableException : Exception
{
    public TrackingUnavailableException()
    {
    }

    public TrackingUnavailableException(string message)
        : base(message)
    {
    }

    public TrackingUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
