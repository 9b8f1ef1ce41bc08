namespace MlOps.Tests.Infrastructure;

/// <summary>Where the repository is, for tests that need its files (built outputs, fixtures, the screenshots folder).</summary>
public static class TestRepository
{
    /// <summary>The folder holding MlOps.sln, found upwards from the test assembly.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MlOps.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MlOps.sln not found above the test folder");
    }
}
