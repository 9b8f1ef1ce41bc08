using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MlOps.Mlflow.Yaml;

/// <summary>
/// Reads the block-style YAML that PyYAML's <c>safe_dump</c> writes for MLmodel files: nested mappings, block
/// sequences (indentless too), plain and quoted scalars folded over lines, empty and simple flow collections.
/// Values become <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, null,
/// <see cref="List{T}"/> of values and <see cref="Dictionary{TKey, TValue}"/> of string to value (in file order).
/// Anchors, tags, block scalars and multi-document streams are refused with the line number.
/// </summary>
internal sealed partial class MiniYamlReader
{
    private readonly List<(int Number, int Indent, string Text)> _lines = [];
    private int _position;

    private MiniYamlReader(string text)
    {
        var number = 0;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            number++;
            var trimmed = raw.TrimEnd();
            var content = trimmed.TrimStart(' ');
            if (content.Length == 0 || content.StartsWith('#') || (number == 1 && content == "---"))
            {
                // Blank lines matter only inside folded scalars; keep them as empty markers.
                _lines.Add((number, -1, string.Empty));
                continue;
            }

            if (content.StartsWith('\t'))
            {
                throw Error(number, "tabs are not allowed for indentation");
            }

            _lines.Add((number, trimmed.Length - content.Length, content));
        }
    }

    /// <summary>Parses a document whose root is a mapping.</summary>
    public static Dictionary<string, object?> ReadMapping(string text)
    {
        var reader = new MiniYamlReader(text);
        reader.SkipBlank();
        if (reader._position >= reader._lines.Count)
        {
            return [];
        }

        var root = reader.ReadNode(reader._lines[reader._position].Indent);
        reader.SkipBlank();
        if (reader._position < reader._lines.Count)
        {
            throw Error(reader._lines[reader._position].Number, "unexpected indentation");
        }

        return root as Dictionary<string, object?>
            ?? throw Error(1, "the document is not a mapping of keys to values");
    }

    private object? ReadNode(int indent)
    {
        var line = _lines[_position];
        return IsSequenceItem(line.Text) ? ReadSequence(indent) : ReadMap(indent);
    }

    private Dictionary<string, object?> ReadMap(int indent)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipBlank();
            if (_position >= _lines.Count || _lines[_position].Indent != indent || IsSequenceItem(_lines[_position].Text))
            {
                return map;
            }

            var (number, _, text) = _lines[_position];
            var match = KeyPattern().Match(text);
            if (!match.Success)
            {
                throw Error(number, $"expected 'key: value', found '{text}'");
            }

            var key = Unquote(match.Groups["key"].Value, number);
            var rest = text[match.Length..].TrimStart();
            _position++;
            if (!map.TryAdd(key, rest.Length == 0 ? ReadNested(indent) : ReadScalar(rest, indent, number)))
            {
                throw Error(number, $"duplicate key '{key}'");
            }
        }
    }

    private List<object?> ReadSequence(int indent)
    {
        var list = new List<object?>();
        while (true)
        {
            SkipBlank();
            if (_position >= _lines.Count || _lines[_position].Indent != indent || !IsSequenceItem(_lines[_position].Text))
            {
                return list;
            }

            var (number, _, text) = _lines[_position];
            var rest = text.Length == 1 ? string.Empty : text[2..].TrimStart();
            if (rest.Length == 0)
            {
                _position++;
                list.Add(ReadNested(indent));
            }
            else if (KeyPattern().IsMatch(rest) || IsSequenceItem(rest))
            {
                // "- key: value" opens a mapping (or "- - x" a sequence) whose column is after the dash.
                var column = indent + (text.Length - rest.Length);
                _lines[_position] = (number, column, rest);
                list.Add(ReadNode(column));
            }
            else
            {
                _position++;
                list.Add(ReadScalar(rest, indent, number));
            }
        }
    }

    // The value of "key:" with nothing after it: a deeper block, an indentless sequence, or null.
    private object? ReadNested(int parentIndent)
    {
        SkipBlank();
        if (_position >= _lines.Count)
        {
            return null;
        }

        var next = _lines[_position];
        if (next.Indent > parentIndent)
        {
            return ReadNode(next.Indent);
        }

        return next.Indent == parentIndent && IsSequenceItem(next.Text) ? ReadSequence(parentIndent) : null;
    }

    private object? ReadScalar(string first, int parentIndent, int number)
    {
        // Continuation lines of a folded scalar are those indented deeper than the entry that opened it.
        var parts = new List<string> { first };
        while (_position < _lines.Count && (_lines[_position].Indent > parentIndent || (_lines[_position].Indent < 0 && MoreContinues(parentIndent))))
        {
            parts.Add(_lines[_position].Text);
            _position++;
        }

        if (parts.Count > 1 && first[0] is not ('\'' or '"') && parts.Skip(1).Any(p => KeyPattern().IsMatch(p)))
        {
            throw Error(number, "a key is indented deeper than its sibling keys (bad indentation)");
        }

        var text = Fold(parts);
        if (text.StartsWith('\''))
        {
            return text.Length >= 2 && text.EndsWith('\'') && !text[1..^1].Replace("''", "", StringComparison.Ordinal).Contains('\'', StringComparison.Ordinal)
                ? text[1..^1].Replace("''", "'", StringComparison.Ordinal)
                : throw Error(number, "unterminated single-quoted string");
        }

        if (text.StartsWith('"'))
        {
            return text.Length >= 2 && text.EndsWith('"') ? Unescape(text[1..^1], number) : throw Error(number, "unterminated double-quoted string");
        }

        var hash = text.IndexOf(" #", StringComparison.Ordinal);
        if (hash >= 0)
        {
            text = text[..hash].TrimEnd();
        }

        return text switch
        {
            "{}" => new Dictionary<string, object?>(StringComparer.Ordinal),
            "[]" => new List<object?>(),
            ['[', .., ']'] => text[1..^1].Split(',').Select(item => ReadScalar(item.Trim(), int.MaxValue, number)).ToList(),
            ['|' or '>', ..] => throw Error(number, "block scalars (| and >) are not supported"),
            ['&' or '*' or '!' or '{', ..] => throw Error(number, "anchors, aliases, tags and flow mappings are not supported"),
            _ => Resolve(text),
        };
    }

    private bool MoreContinues(int parentIndent)
    {
        for (var i = _position; i < _lines.Count; i++)
        {
            if (_lines[i].Indent >= 0)
            {
                return _lines[i].Indent > parentIndent;
            }
        }

        return false;
    }

    // YAML line folding: a single line break becomes a space, each blank line a newline.
    private static string Fold(List<string> parts)
    {
        var sb = new StringBuilder(parts[0]);
        var blank = 0;
        foreach (var part in parts.Skip(1))
        {
            if (part.Length == 0)
            {
                blank++;
                continue;
            }

            sb.Append(blank == 0 ? " " : new string('\n', blank)).Append(part);
            blank = 0;
        }

        return sb.ToString();
    }

    /// <summary>Types a plain scalar the way PyYAML's safe loader does (YAML 1.1 core resolvers).</summary>
    internal static object? Resolve(string text)
    {
        if (text is "" or "~" || NullPattern().IsMatch(text))
        {
            return null;
        }

        if (TruePattern().IsMatch(text))
        {
            return true;
        }

        if (FalsePattern().IsMatch(text))
        {
            return false;
        }

        if (IntPattern().IsMatch(text) && long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return real;
        }

        return SpecialFloatPattern().IsMatch(text) ? SpecialFloat(text) : text;
    }

    /// <summary>Whether a string written plain would be read back as something other than that string.</summary>
    internal static bool ResolvesToNonString(string text) => Resolve(text) is not string
        || IntLikePattern().IsMatch(text) || TimestampPattern().IsMatch(text);

    private static double SpecialFloat(string text) => text.TrimStart('+').ToUpperInvariant() switch
    {
        ".INF" => double.PositiveInfinity,
        "-.INF" => double.NegativeInfinity,
        _ => double.NaN,
    };

    private static string Unquote(string key, int number) => key switch
    {
        ['\'', .., '\''] => key[1..^1].Replace("''", "'", StringComparison.Ordinal),
        ['"', .., '"'] => Unescape(key[1..^1], number),
        _ => key,
    };

    private static string Unescape(string text, int number)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (++i >= text.Length)
            {
                throw Error(number, "a double-quoted string ends with a backslash");
            }

            switch (text[i])
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '0': sb.Append('\0'); break;
                case ' ': break; // an escaped line break folded into a space joins the lines
                case 'x': sb.Append((char)Convert.ToInt32(text.Substring(i + 1, 2), 16)); i += 2; break;
                case 'u': sb.Append((char)Convert.ToInt32(text.Substring(i + 1, 4), 16)); i += 4; break;
                case 'U': sb.Append(char.ConvertFromUtf32(Convert.ToInt32(text.Substring(i + 1, 8), 16))); i += 8; break;
                default: sb.Append(text[i]); break;
            }
        }

        return sb.ToString();
    }

    private void SkipBlank()
    {
        while (_position < _lines.Count && _lines[_position].Indent < 0)
        {
            _position++;
        }
    }

    private static bool IsSequenceItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    private static FormatException Error(int line, string message) => new($"MLmodel YAML line {line}: {message}.");

    [GeneratedRegex("""^(?<key>'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^\s'"#\-?:,\[\]{}&*!|>%@`][^:#]*?|-[^\s:][^:#]*?):(?:\s|$)""")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^(?:null|Null|NULL)$")]
    private static partial Regex NullPattern();

    [GeneratedRegex("^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$")]
    private static partial Regex TruePattern();

    [GeneratedRegex("^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$")]
    private static partial Regex FalsePattern();

    [GeneratedRegex("^[-+]?(?:0|[1-9][0-9_]*)$")]
    private static partial Regex IntPattern();

    // Octal, hex, binary and sexagesimal integers: not read as numbers here, but quoted when written.
    [GeneratedRegex("^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$")]
    private static partial Regex IntLikePattern();

    [GeneratedRegex(@"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?$|^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex SpecialFloatPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")]
    private static partial Regex TimestampPattern();
}
