using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting;

/// <summary>Golden files under Fixtures/hosting. With MLOPS_UPDATE_GOLDEN=1 the test rewrites the golden file in the
/// source tree (and passes) instead of comparing: review the diff before committing it. Otherwise the comparison is exact.</summary>
internal static class Golden
{
    public static async Task AssertMatchesAsync(string fileName, string actual)
    {
        if (Environment.GetEnvironmentVariable("MLOPS_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(PublishingTopology.RepoRoot, "MlOps.Tests", "Fixtures", "hosting", fileName);
            await File.WriteAllTextAsync(source, actual).DefaultTimeout();
            return;
        }

        var expected = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hosting", fileName)).DefaultTimeout();
        Assert.Equal(expected, actual);
    }
}
