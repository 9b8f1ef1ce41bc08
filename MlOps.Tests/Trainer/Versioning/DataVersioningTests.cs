using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Versioning;

namespace MlOps.Tests.Trainer.Versioning;

public sealed class DataVersioningTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "dvc", name);

    private static string CopyFixtureData(TempDirectory temp, string folder = "work")
    {
        Directory.CreateDirectory(temp.File(folder));
        var path = temp.File(Path.Combine(folder, "data.csv"));
        File.Copy(Fixture("data.csv"), path);
        return path;
    }

    [Fact]
    public void Md5Of_Fixture_MatchesPointer()
    {
        Assert.Equal("2a6d768a2db6a3ae061c4ec85f74e3d8", DataVersioning.Md5Of(Fixture("data.csv")));
    }

    [Fact]
    public void Add_FixtureData_WritesPointerByteIdenticalToDvc()
    {
        using var temp = new TempDirectory();
        var data = CopyFixtureData(temp);

        var pointer = DataVersioning.Add(data);

        Assert.Equal(File.ReadAllBytes(Fixture("data.csv.dvc")), File.ReadAllBytes(data + ".dvc"));
        Assert.Equal(88, pointer.Size);
        Assert.Equal([".gitignore", "data.csv", "data.csv.dvc"], Directory.GetFiles(Path.GetDirectoryName(data)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("/data.csv\n", File.ReadAllText(Path.Combine(Path.GetDirectoryName(data)!, ".gitignore")));
    }

    [Fact]
    public void Add_ExistingGitIgnore_AppendsEntryOnce()
    {
        using var temp = new TempDirectory();
        var data = CopyFixtureData(temp);
        var gitIgnore = Path.Combine(Path.GetDirectoryName(data)!, ".gitignore");
        File.WriteAllText(gitIgnore, "*.tmp");

        DataVersioning.Add(data);
        DataVersioning.Add(data);

        Assert.Equal("*.tmp\n/data.csv\n", File.ReadAllText(gitIgnore));
    }

    [Fact]
    public void Verify_OneByteChanged_ReportsMismatch()
    {
        using var temp = new TempDirectory();
        var data = CopyFixtureData(temp);
        DataVersioning.Add(data);
        Assert.Equal(VerificationStatus.Match, DataVersioning.Verify(data).Status);

        var bytes = File.ReadAllBytes(data);
        bytes[^2] ^= 1;
        File.WriteAllBytes(data, bytes);
        var result = DataVersioning.Verify(data);

        Assert.Equal(VerificationStatus.Mismatch, result.Status);
        Assert.Equal(88, result.ActualSize);
        Assert.NotEqual(result.Expected!.Md5, result.ActualMd5);
        Assert.Contains("does not match", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NoPointer_ReportsNoPointer()
    {
        using var temp = new TempDirectory();
        var data = CopyFixtureData(temp);

        Assert.Equal(VerificationStatus.NoPointer, DataVersioning.Verify(data).Status);
    }

    [Fact]
    public void Verify_Dvc2PointerWithoutHash_HashesAsDos2UnixAndMatches()
    {
        using var temp = new TempDirectory();
        var data = temp.File("foo");
        File.Copy(Fixture("foo"), data);
        File.Copy(Fixture("foo.dvc"), data + ".dvc");

        var result = DataVersioning.Verify(data);

        Assert.Equal(VerificationStatus.Match, result.Status);
        Assert.Equal(DvcHashNames.Md5Dos2Unix, result.Expected!.HashName);
    }
}
