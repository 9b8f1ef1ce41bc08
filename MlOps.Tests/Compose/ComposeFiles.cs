using MlOps.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace MlOps.Tests.Compose;

/// <summary>A published compose folder, read back as YAML (parsed, not compared with a golden file).</summary>
public sealed class ComposeFiles(string directory)
{
    public string Directory { get; } = directory;

    public string ComposePath => Path.Combine(Directory, "docker-compose.yml");

    public string Text(string name = "docker-compose.yml") => File.ReadAllText(Path.Combine(Directory, name));

    public YamlMappingNode Root(string name = "docker-compose.yml")
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Text(name));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public YamlMappingNode Service(string name, string file = "docker-compose.yml") => (YamlMappingNode)Root(file)["services"][name];

    public static YamlMappingNode? Mapping(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (YamlMappingNode)child : null;

    public static string? ValueAt(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node!))
            {
                return null;
            }
        }

        return ((YamlScalarNode)node).Value;
    }

    public static string[] ListAt(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node!))
            {
                return [];
            }
        }

        return [.. ((YamlSequenceNode)node).Children.Select(c => ((YamlScalarNode)c).Value!)];
    }

    public static string[] Keys(YamlNode node) => [.. ((YamlMappingNode)node).Children.Keys.Select(k => ((YamlScalarNode)k).Value!)];

    /// <summary>Writes <c>.env</c> from <c>.env.example</c> with the given values, as a user does before <c>up</c>.</summary>
    public async Task WriteEnvAsync(IReadOnlyDictionary<string, string> values)
    {
        var lines = (await File.ReadAllLinesAsync(Path.Combine(Directory, ".env.example")).DefaultTimeout()).Select(line =>
        {
            var name = line.Split('=')[0];
            return !line.StartsWith('#') && values.TryGetValue(name, out var value) ? $"{name}={value}" : line;
        });
        await File.WriteAllLinesAsync(Path.Combine(Directory, ".env"), lines).DefaultTimeout();
    }
}
