using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Trainer.Versioning;

/// <summary>
/// A DVC repository in a temp folder as <c>dvc init</c> + <c>dvc remote add</c> leave it: <c>.dvc/config</c> (and
/// <c>config.local</c>) in ConfigObj's layout, the data file one folder down with its pointer, as in the seed's repo.
/// </summary>
internal sealed class DvcWorkspace : IDisposable
{
    private readonly TempDirectory _temp = new();

    public DvcWorkspace(string name = "repo")
    {
        Root = _temp.File(name);
        Directory.CreateDirectory(Path.Combine(Root, ".dvc"));
        Directory.CreateDirectory(Path.Combine(Root, "data"));
    }

    public string Root { get; }

    public string DataFile => Path.Combine(Root, "data", "data.csv");

    public string Folder(string name) => _temp.File(name);

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "dvc", name);

    /// <summary>The text <c>dvc remote add [-d] NAME URL</c> (+ <c>dvc remote modify NAME KEY VALUE</c>) writes.</summary>
    public static string RemoteConfig(string name, string url, bool isDefault = true, params (string Key, string Value)[] keys)
    {
        var core = isDefault ? $"[core]\n    remote = {name}\n" : string.Empty;
        var extra = string.Concat(keys.Select(k => $"    {k.Key} = {k.Value}\n"));
        return $"{core}['remote \"{name}\"']\n    url = {url}\n{extra}";
    }

    public DvcWorkspace WithConfig(string text, bool local = false)
    {
        File.WriteAllText(Path.Combine(Root, ".dvc", local ? "config.local" : "config"), text);
        return this;
    }

    /// <summary>The fixture data and its DVC 3 pointer, copied in.</summary>
    public DvcWorkspace WithFixtureData()
    {
        File.Copy(Fixture("data.csv"), DataFile, overwrite: true);
        File.Copy(Fixture("data.csv.dvc"), DataFile + ".dvc", overwrite: true);
        return this;
    }

    /// <summary>The same repository somewhere else without the data file, as a fresh clone (git keeps .dvc/config and the pointer).</summary>
    public string CloneWithoutData(string name = "clone")
    {
        var clone = _temp.File(name);
        Directory.CreateDirectory(Path.Combine(clone, ".dvc"));
        Directory.CreateDirectory(Path.Combine(clone, "data"));
        foreach (var file in Directory.GetFiles(Path.Combine(Root, ".dvc")))
        {
            File.Copy(file, Path.Combine(clone, ".dvc", Path.GetFileName(file)));
        }

        File.Copy(DataFile + ".dvc", Path.Combine(clone, "data", "data.csv.dvc"));
        return Path.Combine(clone, "data", "data.csv");
    }

    /// <summary>Files left in a folder besides the expected ones (temp files of an interrupted transfer would show here).</summary>
    public static string[] FilesIn(string folder) =>
        Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];

    public void Dispose() => _temp.Dispose();
}
