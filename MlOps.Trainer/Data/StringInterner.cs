namespace MlOps.Trainer.Data;

/// <summary>Returns one shared string per distinct value of a column, up to a limit of distinct values.</summary>
internal sealed class StringInterner
{
    private const int MaxEntries = 10_000;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringInterner()
    {
        _lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Intern(ReadOnlySpan<char> value)
    {
        if (_lookup.TryGetValue(value, out var existing))
        {
            return existing;
        }

        var text = value.ToString();
        if (_values.Count < MaxEntries)
        {
            _values[text] = text;
        }

        return text;
    }

    public string Intern(string value)
    {
        if (_values.TryGetValue(value, out var existing))
        {
            return existing;
        }

        if (_values.Count < MaxEntries)
        {
            _values[value] = value;
        }

        return value;
    }
}
