using System.Text.RegularExpressions;

namespace MlOps.Trainer.Remotes;

/// <summary>
/// The DVC repository a data file belongs to: the nearest folder above it holding <c>.dvc/</c>, with its
/// <c>.dvc/config</c> and <c>.dvc/config.local</c> merged key by key, local winning, as DVC merges its levels.
/// </summary>
internal sealed partial class DvcRepository
{
    public const string DvcFolder = ".dvc";

    private readonly List<DvcConfigFile> _files;

    private DvcRepository(string dvcDirectory, List<DvcConfigFile> files)
    {
        DvcDirectory = dvcDirectory;
        _files = files;
    }

    /// <summary>The <c>.dvc</c> folder; relative remote URLs and credential paths are resolved from it, as DVC does.</summary>
    public string DvcDirectory { get; }

    /// <summary>The config files read, repository first, local last.</summary>
    public IReadOnlyList<string> ConfigPaths => [.. _files.Select(f => f.Path)];

    /// <summary><c>[core] remote</c>: the default remote's name, lowercased as DVC compares names.</summary>
    public string? DefaultRemote => Get("core", "remote")?.ToLowerInvariant() is { Length: > 0 } name ? name : null;

    /// <summary>Walks up from <paramref name="dataPath"/>'s folder; null when no folder above holds <c>.dvc/</c>.</summary>
    public static DvcRepository? Find(string dataPath)
    {
        for (var folder = Path.GetDirectoryName(Path.GetFullPath(dataPath)); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            var dvc = Path.Combine(folder, DvcFolder);
            if (Directory.Exists(dvc))
            {
                return Load(dvc);
            }
        }

        return null;
    }

    public static DvcRepository Load(string dvcDirectory)
    {
        var files = new[] { "config", "config.local" }
            .Select(name => Path.Combine(dvcDirectory, name))
            .Where(File.Exists)
            .Select(DvcConfigFile.Load)
            .ToList();
        return new DvcRepository(dvcDirectory, files);
    }

    public string? Get(string section, string key) =>
        _files.Select(f => f.Get(section, key)).LastOrDefault(v => v is not null);

    /// <summary>The merged keys of <c>['remote "name"']</c>, or null when no file defines it.</summary>
    public IReadOnlyDictionary<string, string>? Remote(string name)
    {
        var wanted = name.ToLowerInvariant();
        Dictionary<string, string>? merged = null;
        foreach (var (_, values) in RemoteSections().Where(r => r.Name == wanted))
        {
            merged ??= new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in values)
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    /// <summary>The names of all remotes the config defines (for error messages).</summary>
    public IEnumerable<string> RemoteNames =>
        RemoteSections().Select(r => r.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    // dvc/config.py _parse_named: a section named 'remote "NAME"', spaces around the parts allowed.
    private IEnumerable<(string Name, IReadOnlyDictionary<string, string> Values)> RemoteSections() =>
        from file in _files
        from section in file.Sections
        let match = RemoteSection().Match(section.Key)
        where match.Success
        select (match.Groups[1].Value, section.Value);

    [GeneratedRegex("^\\s*remote\\s*\"(.*)\"\\s*$")]
    private static partial Regex RemoteSection();
}
