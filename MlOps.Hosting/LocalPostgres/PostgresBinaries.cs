using System.Globalization;

namespace MlOps.Hosting.LocalPostgres;

/// <summary>Finds PostgreSQL's server binaries (<c>initdb</c> and <c>postgres</c>): the configured folder, else the newest
/// <c>/usr/lib/postgresql/*/bin</c> (Debian, Ubuntu), Homebrew's <c>postgresql@*</c>, then <c>PATH</c>.</summary>
public static class PostgresBinaries
{
    /// <summary>The setting naming the folder.</summary>
    public const string ConfigurationKey = "AppHost:PostgresBinDirectory";

    /// <summary>What to do when they are missing, in one line.</summary>
    public const string MissingHelp = "PostgreSQL server binaries not found: install them (Debian/Ubuntu: apt-get install postgresql-15; " +
        $"macOS: brew install postgresql@15), set {ConfigurationKey} to the folder holding initdb and postgres, or use containers (--runtime docker)";

    /// <summary>The folder holding <c>initdb</c> and <c>postgres</c>, or null.</summary>
    /// <param name="configured">The configured folder; when set, only it is looked at.</param>
    public static string? Find(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServer(configured) ? configured : null;
        }

        return Newest("/usr/lib/postgresql", d => Path.Combine(d, "bin"))
            ?? Newest("/opt/homebrew/opt", d => Path.Combine(d, "bin"), "postgresql@")
            ?? Newest("/usr/local/opt", d => Path.Combine(d, "bin"), "postgresql@")
            ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).FirstOrDefault(d => d.Length > 0 && HasServer(d));
    }

    private static string? Newest(string root, Func<string, string> bin, string prefix = "") => !Directory.Exists(root) ? null
        : Directory.GetDirectories(root, prefix + "*")
            .Select(d => (Bin: bin(d), Version: double.TryParse(Path.GetFileName(d)[prefix.Length..], CultureInfo.InvariantCulture, out var v) ? v : 0))
            .Where(d => HasServer(d.Bin))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Bin)
            .FirstOrDefault();

    private static bool HasServer(string dir) => File.Exists(Path.Combine(dir, "postgres")) && File.Exists(Path.Combine(dir, "initdb"));
}
