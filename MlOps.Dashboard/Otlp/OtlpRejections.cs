namespace MlOps.Dashboard.Otlp;

/// <summary>Malformed records of one export request: how many, and the first few distinct reasons (for the
/// <c>partial_success.error_message</c> and the log).</summary>
internal sealed class OtlpRejections
{
    private const int MaxReasons = 3;
    private readonly List<string> _reasons = [];

    public long Count { get; private set; }

    public void Add(long count, string reason)
    {
        Count += count;
        if (_reasons.Count < MaxReasons && !_reasons.Contains(reason))
        {
            _reasons.Add(reason);
        }
    }

    public string Message => string.Join("; ", _reasons) + (Count > 0 && _reasons.Count == MaxReasons ? "; ..." : "");
}
