using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MlOps.Hosting.Compose;

/// <summary>Builds compose YAML with YamlDotNet's representation model: keys plain, every string value double-quoted,
/// so nothing depends on YAML 1.1's implicit typing (<c>yes</c>, <c>0777</c>, <c>22:22</c>) that Compose v1 reads.</summary>
internal static class ComposeYaml
{
    public static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    public static YamlScalarNode Plain(string value) => new(value) { Style = ScalarStyle.Plain };

    public static YamlSequenceNode QuotedList(IEnumerable<string> values) => new(values.Select(v => (YamlNode)Quoted(v)));

    public static YamlSequenceNode FlowList(IEnumerable<string> values) =>
        new(values.Select(v => (YamlNode)Quoted(v))) { Style = YamlDotNet.Core.Events.SequenceStyle.Flow };

    public static YamlMappingNode QuotedMap(IEnumerable<KeyValuePair<string, string>> values)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in values)
        {
            map.Add(Plain(key), Quoted(value));
        }

        return map;
    }

    /// <summary>The document's text with <paramref name="header"/> as leading <c>#</c> comments.</summary>
    public static string Serialize(YamlNode root, IEnumerable<string> header)
    {
        var text = new StringBuilder();
        foreach (var line in header)
        {
            text.Append("# ").Append(line).Append('\n');
        }

        using var writer = new StringWriter(text) { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        // YamlStream ends every document with an explicit end marker; a compose file has just one document.
        var yaml = text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        return yaml.EndsWith("...\n", StringComparison.Ordinal) ? yaml[..^4] : yaml;
    }
}
