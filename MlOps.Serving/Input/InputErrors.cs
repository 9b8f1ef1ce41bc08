namespace MlOps.Serving.Input;

/// <summary>
/// The problems found in one request body, keyed by the field they concern (<c>amount</c>, <c>instances[3].amount</c>),
/// as ASP.NET Core's validation problem details want them. Capped, so a huge bad batch gets a bounded answer.
/// </summary>
public sealed class InputErrors
{
    public const string BodyKey = "$";
    private const int MaxFields = 100;
    // Created on the first error: a good request allocates nothing here.
    private Dictionary<string, List<string>>? _errors;
    private int _dropped;

    public bool Any => _errors is { Count: > 0 };

    public int Count => (_errors?.Count ?? 0) + _dropped;

    /// <summary>Whether the cap is reached, so a parser can stop looking.</summary>
    public bool Full => _errors is { Count: >= MaxFields };

    public void Add(string field, string message)
    {
        _errors ??= new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (_errors.TryGetValue(field, out var list))
        {
            list.Add(message);
        }
        else if (_errors.Count < MaxFields)
        {
            _errors[field] = [message];
        }
        else
        {
            _dropped++;
        }
    }

    public Dictionary<string, string[]> ToDictionary()
    {
        var result = (_errors ?? []).ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
        if (_dropped > 0)
        {
            result["..."] = [$"{_dropped} more fields have errors; fix the ones above and send again."];
        }

        return result;
    }
}
