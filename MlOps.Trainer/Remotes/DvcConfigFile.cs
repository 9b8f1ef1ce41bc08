namespace MlOps.Trainer.Remotes;

/// <summary>
/// One DVC config file (<c>.dvc/config</c>, <c>.dvc/config.local</c>) as DVC reads it with ConfigObj: sections of
/// <c>key = value</c> lines, section names and keys lowercased (dvc/config.py <c>_lower_keys</c>).
/// </summary>
internal sealed class DvcConfigFile
{
    public DvcConfigFile(string path, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> sections)
    {
        Path = path;
        Sections = sections;
    }

    public string Path { get; }

    /// <summary>Section name (as written between the brackets, unquoted, lowercased) → keys → values.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sections { get; }

    public static DvcConfigFile Load(string path) => new(path, DvcConfigParser.Parse(File.ReadAllText(path), path));

    public string? Get(string section, string key) =>
        Sections.TryGetValue(section, out var values) && values.TryGetValue(key, out var value) ? value : null;
}
