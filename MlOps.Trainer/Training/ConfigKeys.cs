using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Trainer.Training;

/// <summary>
/// Checks a config file's keys and value kinds against the config records before deserializing, so a misspelt
/// key or a wrong value is reported by its dotted name and the file, never by a .NET type.
/// </summary>
internal static class ConfigKeys
{
    /// <summary>Throws a <see cref="BadInputException"/> naming the file and the first key that is wrong.</summary>
    public static void Check(string file, JsonElement root, Type type, JsonNamingPolicy naming)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BadInputException($"{file}: the config must be a JSON object ({{ \"lightgbm\": {{ … }} }}).");
        }

        CheckObject(file, root, type, naming, prefix: string.Empty);
    }

    private static void CheckObject(string file, JsonElement element, Type type, JsonNamingPolicy naming, string prefix)
    {
        var known = Properties(type, naming);
        foreach (var property in element.EnumerateObject())
        {
            var dotted = prefix + property.Name;
            if (!known.TryGetValue(property.Name, out var target))
            {
                var section = prefix.Length == 0 ? "at the top" : $"in '{prefix.TrimEnd('.')}'";
                var suggestion = Closest(property.Name, known.Keys) is { } close ? $" (did you mean '{prefix}{close}'?)" : string.Empty;
                throw new BadInputException(
                    $"{file}: unknown key '{dotted}'{suggestion}; the keys {section} are: {string.Join(", ", known.Keys.Order(StringComparer.Ordinal))}.");
            }

            CheckValue(file, property.Value, target, naming, dotted);
        }
    }

    private static void CheckValue(string file, JsonElement value, Type type, JsonNamingPolicy naming, string dotted)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (value.ValueKind == JsonValueKind.Null && (Nullable.GetUnderlyingType(type) is not null || !type.IsValueType))
        {
            return;
        }

        var ok = value.ValueKind switch
        {
            JsonValueKind.Number when underlying == typeof(int) => value.TryGetInt32(out _),
            JsonValueKind.Number => underlying == typeof(double),
            JsonValueKind.True or JsonValueKind.False => underlying == typeof(bool),
            JsonValueKind.String when underlying.IsEnum => Enum.GetNames(underlying).Any(n => naming.ConvertName(n) == value.GetString()),
            JsonValueKind.String => underlying == typeof(string),
            JsonValueKind.Array => underlying == typeof(IReadOnlyList<string>) && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String),
            JsonValueKind.Object => Properties(underlying, naming).Count > 0,
            _ => false,
        };
        if (!ok)
        {
            throw new BadInputException($"{file}: '{dotted}' must be {Expected(underlying, naming)}, not {Describe(value)}.");
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            CheckObject(file, value, underlying, naming, dotted + ".");
        }
    }

    private static Dictionary<string, Type> Properties(Type type, JsonNamingPolicy naming) =>
        type.IsClass && type != typeof(string) && !type.IsAssignableTo(typeof(System.Collections.IEnumerable))
            ? type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite)
                .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? naming.ConvertName(p.Name), p => p.PropertyType, StringComparer.Ordinal)
            : [];

    private static string Expected(Type type, JsonNamingPolicy naming) => type switch
    {
        _ when type == typeof(int) => "a whole number",
        _ when type == typeof(double) => "a number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(string) => "a string",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type).Select(n => $"\"{naming.ConvertName(n)}\"")),
        _ when type == typeof(IReadOnlyList<string>) => "a list of column names",
        _ => "an object",
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{value.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => value.GetRawText(),
    };

    private static string? Closest(string key, IEnumerable<string> known) =>
        known.Select(k => (k, d: Distance(key, k))).Where(x => x.d <= Math.Max(2, key.Length / 3)).OrderBy(x => x.d).Select(x => x.k).FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
