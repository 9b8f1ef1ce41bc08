using System.Text.Json;

namespace MlOps.Tests.Tracking;

/// <summary>Compares two JSON documents by structure: field names, value kinds, array lengths, and error codes.</summary>
internal static class JsonShape
{
    public static void Compare(JsonElement expected, JsonElement actual, string path, List<string> failures)
    {
        if (Kind(expected) != Kind(actual))
        {
            failures.Add($"{path}: expected a {Kind(expected)}, got a {Kind(actual)} ({actual.GetRawText()})");
            return;
        }

        if (expected.ValueKind == JsonValueKind.Object)
        {
            var expectedNames = expected.EnumerateObject().Select(p => p.Name).ToHashSet();
            var actualNames = actual.EnumerateObject().Select(p => p.Name).ToHashSet();
            foreach (var missing in expectedNames.Except(actualNames))
            {
                failures.Add($"{path}.{missing}: missing");
            }

            foreach (var extra in actualNames.Except(expectedNames))
            {
                failures.Add($"{path}.{extra}: not in the capture ({actual.GetProperty(extra).GetRawText()})");
            }

            foreach (var name in expectedNames.Intersect(actualNames))
            {
                Compare(expected.GetProperty(name), actual.GetProperty(name), $"{path}.{name}", failures);
            }

            if (expected.TryGetProperty("error_code", out var code) && actual.TryGetProperty("error_code", out var actualCode)
                && code.GetString() != actualCode.GetString())
            {
                failures.Add($"{path}.error_code: expected {code.GetString()}, got {actualCode.GetString()}");
            }
        }
        else if (expected.ValueKind == JsonValueKind.Array)
        {
            if (expected.GetArrayLength() != actual.GetArrayLength())
            {
                failures.Add($"{path}: expected {expected.GetArrayLength()} items, got {actual.GetArrayLength()} ({actual.GetRawText()})");
                return;
            }

            for (var i = 0; i < expected.GetArrayLength(); i++)
            {
                Compare(expected[i], actual[i], $"{path}[{i}]", failures);
            }
        }
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "bool",
        var kind => kind.ToString().ToLowerInvariant(),
    };
}
