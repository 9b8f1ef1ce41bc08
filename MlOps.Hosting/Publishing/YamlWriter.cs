using System.Globalization;
using System.Text;

namespace MlOps.Hosting.Publishing;

/// <summary>A tiny block-style YAML writer: two-space indentation, every string double-quoted and escaped, so the
/// output is deterministic and never depends on YAML's implicit typing.</summary>
internal sealed class YamlWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    /// <summary>Writes <c># text</c> at the current indentation.</summary>
    public void Comment(string text) => Line($"# {text}");

    /// <summary>Writes an empty line.</summary>
    public void BlankLine() => _text.Append('\n');

    /// <summary>Writes <c>key:</c> and indents what follows until the returned scope is disposed.</summary>
    public IDisposable Mapping(string key)
    {
        Line($"{Key(key)}:");
        return Indent();
    }

    /// <summary>Writes <c>key: "value"</c>.</summary>
    public void Scalar(string key, string value) => Line($"{Key(key)}: {Quote(value)}");

    /// <summary>Writes <c>key: 42</c>.</summary>
    public void Number(string key, int value) => Line($"{Key(key)}: {value.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Writes <c>key: value</c> with a raw (already valid) YAML value such as <c>{}</c> or <c>5s</c>.</summary>
    public void Raw(string key, string value) => Line($"{Key(key)}: {value}");

    /// <summary>Writes <c>key: ["a", "b"]</c> (flow style).</summary>
    public void FlowList(string key, IEnumerable<string> values) =>
        Line($"{Key(key)}: [{string.Join(", ", values.Select(Quote))}]");

    /// <summary>Writes a block list of quoted strings under <c>key:</c>.</summary>
    public void List(string key, IEnumerable<string> values)
    {
        Line($"{Key(key)}:");
        _indent++;
        foreach (var value in values)
        {
            Line($"- {Quote(value)}");
        }

        _indent--;
    }

    /// <summary>Starts a list item that is a mapping (<c>- </c>); the item's keys are indented under it.</summary>
    public IDisposable ListItem(string firstKey, string firstValue)
    {
        Line($"- {Key(firstKey)}: {firstValue}");
        return Indent();
    }

    /// <inheritdoc />
    public override string ToString() => _text.ToString();

    /// <summary>A double-quoted YAML scalar.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case var control when char.IsControl(control):
                    sb.Append("\\u").Append(((int)control).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    // Resource, variable and volume names are plain; anything else is quoted.
    private static string Key(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? key : Quote(key);

    private void Line(string text) => _text.Append(' ', _indent * 2).Append(text).Append('\n');

    private Scope Indent()
    {
        _indent++;
        return new Scope(this);
    }

    private sealed class Scope(YamlWriter writer) : IDisposable
    {
        public void Dispose() => writer._indent--;
    }
}
