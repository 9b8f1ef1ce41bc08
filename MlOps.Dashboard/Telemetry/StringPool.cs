using System.Collections.Concurrent;

namespace MlOps.Dashboard.Telemetry;

/// <summary>Shares one instance of the short strings telemetry repeats endlessly (attribute keys and values, span
/// names, scopes), so that stored records do not each keep a copy. Bounded: when full it starts over.
/// Thread-safe (a ConcurrentDictionary; a reset races harmlessly with readers).</summary>
internal static class StringPool
{
    private const int MaxLength = 64;
    private const int MaxCount = 16_384;
    private static readonly ConcurrentDictionary<string, string> s_pool = new(StringComparer.Ordinal);

    public static string Share(string value)
    {
        if (value.Length > MaxLength || value.Length == 0)
        {
            return value;
        }

        if (s_pool.TryGetValue(value, out var shared))
        {
            return shared;
        }

        if (s_pool.Count >= MaxCount)
        {
            s_pool.Clear();
        }

        return s_pool.GetOrAdd(value, value);
    }
}
