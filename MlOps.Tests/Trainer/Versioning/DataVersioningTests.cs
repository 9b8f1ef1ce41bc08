using MlOps.Tests.Infrastructure;
using MlOps.Trainer;
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
    public void PushThenPull_FreshFolder_RestoresIdenticalBytes()
    {
        using var temp = new TempDirectory();
        var data = CopyFixtureData(temp);
        var remote = temp.File("remote");
        DataVersioning.Add(data);

        Assert.True(DataVersioning.Push(data, remote));
        Assert.False(DataVersioning.Push(data, remote));
        var clone = temp.File("clone");
        Directory.CreateDirectory(clone);
        File.Copy(data + ".dvc", Path.Combine(clone, "data.csv.dvc"));
        DataVersioning.Pull(Path.Combine(clone, "data.csv"), remote);

        Assert.True(File.Exists(Path.Combine(remote, "files", "md5", "2a", "6d768a2db6a3ae061c4ec85f74e3d8")));
        Assert.Equal(File.ReadAllBytes(data), File.ReadAllBytes(Path.Combine(clone, "data.csv")));
        Assert.Equal(["data.csv", "data.csv.dvc"], Directory.GetFiles(clone).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Pull_CorruptRemoteObject_FailsAndKeepsWorkspaceFile()
    {
        using var temp = new TempDirectory();
        var data = CopyFixtureData(temp);
        var remote = temp.File("remote");
        DataVersioning.Add(data);
        DataVersioning.Push(data, remote);
        var objectPath = DataVersioning.ObjectPath(remote, DataVersioning.Md5Of(data));
        File.WriteAllText(objectPath, "corrupted");
        File.WriteAllText(data, "local edits");

        var error = Assert.Throws<BadInputException>(() => DataVersioning.Pull(data, remote));

        Assert.Contains(objectPath, error.Message, StringComparison.Ordinal);
        Assert.Equal("local edits", File.ReadAllText(data));
        Assert.DoesNotContain(Directory.GetFiles(Path.GetDirectoryName(data)!), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Pull_MissingObject_ThrowsNamingObject()
    {
        using var temp = new TempDirectory();
        var data = CopyFixtureData(temp);
        DataVersioning.Add(data);

        var error = Assert.Throws<BadInputException>(() => DataVersioning.Pull(data, temp.File("empty-remote")));

        Assert.Contains(Path.Combine("files", "md5", "2a", "6d768a2db6a3ae061c4ec85f74e3d8"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Push_DataChangedSinceAdd_Throws()
    {
        using var temp = new TempDirectory();
        var data = CopyFixtureData(temp);
        var remote = temp.File("remote");
        DataVersioning.Add(data);
        File.AppendAllText(data, "9,x,0\n");

        var error = Assert.Throws<BadInputException>(() => DataVersioning.Push(data, remote));

        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(remote, "files")));
    }
}
