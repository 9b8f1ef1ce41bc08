using System.Globalization;

namespace MlOps.Trainer.Remotes;

/// <summary>
/// The part of ConfigObj's INI dialect that DVC writes and reads: <c>[section]</c> (the name may be quoted, as in
/// <c>['remote "storage"']</c>), <c>key = value</c> with an optional quoted value, <c># comments</c> on their own line
/// or after an unquoted value. Everything else (nested <c>[[sections]]</c>, triple-quoted values, duplicate names) is an
/// error naming the file and line, as ConfigObj raises one.
/// </summary>
internal static class DvcConfigParser
{
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Parse(string text, string path)
    {
        var sections = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        var lineNumber = 0;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line[0] == '[')
            {
                var name = SectionName(line, path, lineNumber);
                if (sections.ContainsKey(name))
                {
                    throw Error(path, lineNumber, $"duplicate section '{name}'");
                }

                current = new Dictionary<string, string>(StringComparer.Ordinal);
                sections[name] = current;
                continue;
            }

            var (key, value) = KeyValue(line, path, lineNumber);
            // Keys before the first section are ConfigObj's root keys; DVC's schema has none, so they are ignored.
            if (current is not null && !current.TryAdd(key, value))
            {
                throw Error(path, lineNumber, $"duplicate key '{key}'");
            }
        }

        return sections;
    }

    private static string SectionName(string line, string path, int lineNumber)
    {
        if (line.StartsWith("[[", StringComparison.Ordinal))
        {
            throw Error(path, lineNumber, "nested sections are not part of DVC's config");
        }

        var close = line.LastIndexOf(']');
        var rest = close < 0 ? "#" : line[(close + 1)..].Trim();
        if (close < 0 || (rest.Length > 0 && rest[0] != '#'))
        {
            throw Error(path, lineNumber, "a section header must end with ']'");
        }

        var name = Unquote(line[1..close].Trim());
        return name.Length == 0
            ? throw Error(path, lineNumber, "empty section name")
            : name.ToLowerInvariant();
    }

    private static (string Key, string Value) KeyValue(string line, string path, int lineNumber)
    {
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw Error(path, lineNumber, "expected 'key = value' or '[section]'");
        }

        var key = Unquote(line[..equals].Trim()).ToLowerInvariant();
        var value = Value(line[(equals + 1)..].Trim(), path, lineNumber);
        return (key, value);
    }

    private static string Value(string text, string path, int lineNumber)
    {
        if (text.StartsWith("'''", StringComparison.Ordinal) || text.StartsWith("\"\"\"", StringComparison.Ordinal))
        {
            throw Error(path, lineNumber, "triple-quoted values are not supported");
        }

        if (text.Length > 0 && text[0] is '\'' or '"')
        {
            var close = text.IndexOf(text[0], 1);
            var rest = close < 0 ? string.Empty : text[(close + 1)..].Trim();
            if (close < 0 || (rest.Length > 0 && rest[0] != '#'))
            {
                throw Error(path, lineNumber, "unterminated or trailing text after a quoted value");
            }

            return text[1..close];
        }

        // An unquoted value ends at '#' (ConfigObj's inline comment).
        var hash = text.IndexOf('#', StringComparison.Ordinal);
        return (hash >= 0 ? text[..hash] : text).Trim();
    }

    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] is '\'' or '"' && text[^1] == text[0] ? text[1..^1] : text;

    private static BadInputException Error(string path, int lineNumber, string reason) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{path}:{lineNumber}: {reason}."));
}
