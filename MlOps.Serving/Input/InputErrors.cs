namespace MlOps.Serving.Input;

/// <summary>
/// The problems found in one request body, keyed by the field they concern (<c>amount</c>, <c>instances[3].amount</c>),
/// as ASP.NET Core's validation problem details want them. Capped in fields and in messages per field, so a huge bad
/// body (a million copies of one key) gets a small answer.
/// </summary>
public sealed class InputErrors
{
    public const string BodyKey = "$";
    private const int MaxFields = 100;
    private const int MaxMessagesPerField = 5;

    // Created on the first error: a good request allocates nothing here.
    private Dictionary<string, FieldErrors>? _errors;
    private int _droppedFields;

    public bool Any => _errors is { Count: > 0 };

    public int Count => (_errors?.Count ?? 0) + _droppedFields;

    /// <summary>Whether the cap is reached, so a parser can stop looking.</summary>
    public bool Full => _errors is { Count: >= MaxFields };

    public void Add(string field, string message)
    {
        _errors ??= new Dictionary<string, FieldErrors>(StringComparer.Ordinal);
        if (_errors.TryGetValue(field, out var errors))
        {
            errors.Add(message);
        }
        else if (_errors.Count < MaxFields)
        {
            _errors[field] = new FieldErrors(message);
        }
        else
        {
            _droppedFields++;
        }
    }

    public Dictionary<string, string[]> ToDictionary()
    {
        var result = (_errors ?? []).ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
        if (_droppedFields > 0)
        {
            result["..."] = [$"{_droppedFields} more fields have errors; fix the ones above and send again."];
        }

        return result;
    }

    private sealed class FieldErrors(string first)
    {
        private readonly List<string> _messages = [first];
        private int _dropped;

        public void Add(string message)
        {
            if (_messages.Count < MaxMessagesPerField)
            {
                _messages.Add(message);
            }
            else
            {
                _dropped++;
            }
        }

        public string[] ToArray() =>
            _dropped == 0 ? [.. _messages] : [.. _messages, $"... and {_dropped} more errors for this field."];
    }
}
