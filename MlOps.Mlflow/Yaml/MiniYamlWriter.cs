using System.Collections;
using System.Globalization;
using System.Text;

namespace MlOps.Mlflow.Yaml;

/// <summary>
/// Writes values as PyYAML's <c>safe_dump(default_flow_style=False)</c> does for MLmodel files: keys sorted,
/// two-space indentation, indentless sequences under keys, strings plain when they read back as themselves and
/// single-quoted otherwise (double-quoted when they hold line breaks or control characters). Lines are not wrapped.
/// </summary>
internal static class MiniYamlWriter
{
    public static string Write(IReadOnlyDictionary<string, object?> root)
    {
        var sb = new StringBuilder();
        WriteMapping(sb, root, 0, firstLinePrefixed: false);
        return sb.ToString();
    }

    private static void WriteMapping(StringBuilder sb, IReadOnlyDictionary<string, object?> map, int indent, bool firstLinePrefixed)
    {
        var first = true;
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
        {
            if (!(first && firstLinePrefixed))
            {
                sb.Append(' ', indent);
            }

            first = false;
            sb.Append(Scalar(key)).Append(':');
            WriteValue(sb, map[key], indent, isSequenceItem: false);
        }
    }

    private static void WriteValue(StringBuilder sb, object? value, int indent, bool isSequenceItem)
    {
        switch (value)
        {
            case IReadOnlyDictionary<string, object?> { Count: 0 }:
            case IList { Count: 0 } when value is not string:
                sb.Append(' ').Append(value is IList ? "[]" : "{}").Append('\n');
                break;
            case IReadOnlyDictionary<string, object?> map when isSequenceItem:
                sb.Append(' ');
                WriteMapping(sb, map, indent + 2, firstLinePrefixed: true);
                break;
            case IReadOnlyDictionary<string, object?> map:
                sb.Append('\n');
                WriteMapping(sb, map, indent + 2, firstLinePrefixed: false);
                break;
            case IList list when isSequenceItem:
                throw new NotSupportedException("Nested sequences are not written by this MLmodel writer.");
            case IList list:
                sb.Append('\n');
                foreach (var item in list)
                {
                    sb.Append(' ', indent).Append('-');
                    WriteValue(sb, item, indent, isSequenceItem: true);
                }

                break;
            default:
                sb.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    /// <summary>One scalar as YAML text.</summary>
    public static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => String(s),
        double d => Double(d),
        float f => Double(f),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => String(value.ToString() ?? string.Empty),
    };

    private static string Double(double d) => d switch
    {
        double.PositiveInfinity => ".inf",
        double.NegativeInfinity => "-.inf",
        _ when double.IsNaN(d) => ".nan",
        _ => WithPoint(d.ToString("R", CultureInfo.InvariantCulture)),
    };

    // Python writes floats with a point (1.0, 1.0e-05) so they read back as floats.
    private static string WithPoint(string text) =>
        text.Contains('.', StringComparison.Ordinal) ? text.Replace("E", "e", StringComparison.Ordinal)
        : text.Contains('E', StringComparison.Ordinal) ? text.Replace("E", ".0e", StringComparison.Ordinal)
        : text + ".0";

    private static string String(string s)
    {
        if (s.Any(c => char.IsControl(c)))
        {
            return DoubleQuoted(s);
        }

        return NeedsQuotes(s) ? "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'" : s;
    }

    private static bool NeedsQuotes(string s) =>
        s.Length == 0
        || s != s.Trim()
        || "-?:,[]{}#&*!|>'\"%@`".Contains(s[0], StringComparison.Ordinal)
        || s.Contains(": ", StringComparison.Ordinal)
        || s.Contains(" #", StringComparison.Ordinal)
        || s.EndsWith(':')
        || MiniYamlReader.ResolvesToNonString(s);

    private static string DoubleQuoted(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\x{(int)c:X2}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
