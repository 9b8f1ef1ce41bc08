using System.Globalization;
using System.Runtime.InteropServices;

namespace MlOps.Hosting.Orchestration.Runtime.Docker;

/// <summary>The AppHost's user and group ids (<c>uid:gid</c>), for containers that write to host folders.</summary>
internal static partial class HostUser
{
    public static string UserAndGroup =>
        $"{GetUid().ToString(CultureInfo.InvariantCulture)}:{GetGid().ToString(CultureInfo.InvariantCulture)}";

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    private static partial uint GetGid();
}
