using System.Security.Cryptography;
using System.Text;

namespace MlOps.Hosting.LocalPostgres;

/// <summary>Where the cluster lives. As root, PostgreSQL runs as the <c>postgres</c> user, which must be able to reach
/// the folder: under a private home (mode 0700) it cannot, so the cluster moves to <c>/var/tmp/mlops-postgres-&lt;hash&gt;</c>,
/// the same folder for the same configured path on every run.</summary>
internal static class PostgresDataFolder
{
    public static bool IsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    /// <summary>The folder to use for <paramref name="configured"/>, and why it differs when it does.</summary>
    public static (string Folder, string? Moved) Resolve(string configured)
    {
        var full = Path.GetFullPath(configured);
        if (!IsRoot || OthersCanReach(full))
        {
            return (full, null);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..12];
        var moved = Path.Combine(Path.GetTempPath() == "/tmp/" ? "/var/tmp" : Path.GetTempPath(), $"mlops-postgres-{hash}");
        return (moved, $"the postgres user cannot reach {full} (a parent folder is private), so the cluster lives in {moved}");
    }

    // Every existing ancestor must be searchable by others; the folders below are created for the postgres user.
    private static bool OthersCanReach(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        for (var dir = Path.GetDirectoryName(path); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir) && !File.GetUnixFileMode(dir).HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }
}
