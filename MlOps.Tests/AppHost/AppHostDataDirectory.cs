namespace MlOps.Tests.AppHost;

/// <summary>A fresh <c>.mlops</c> folder for one AppHost run, under /tmp and readable by others: when the tests run as
/// root, the AppHost runs PostgreSQL as the <c>postgres</c> user, which must reach the data folder.</summary>
public sealed class AppHostDataDirectory : IDisposable
{
    public AppHostDataDirectory()
    {
        Path = System.IO.Path.Combine("/tmp", $"mlops-apphost-{Guid.NewGuid():N}"[..26]);
        Directory.CreateDirectory(Path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A process may still hold a file for a moment; the OS temp cleaner gets it later.
        }
    }
}
