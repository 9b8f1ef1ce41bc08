using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Trainer.Versioning;

// Folder remotes through the real command line: the layout 'dvc push' leaves in a local remote, and the failures.
public sealed class DirectoryRemoteTests
{
    private const string FixtureObject = "files/md5/2a/6d768a2db6a3ae061c4ec85f74e3d8";

    private static string ObjectIn(string remote, string key) => Path.Combine(remote, key.Replace('/', Path.DirectorySeparatorChar));

    [Fact]
    public async Task PushThenPull_DefaultFolderRemote_RestoresIdenticalBytesInAFreshClone()
    {
        using var workspace = new DvcWorkspace().WithFixtureData();
        var remote = workspace.Folder("storage");
        workspace.WithConfig(DvcWorkspace.RemoteConfig("local", remote));

        var push = await TrainerRunner.RunAsync("data", "push", workspace.DataFile);
        var again = await TrainerRunner.RunAsync("data", "push", workspace.DataFile);
        var clone = workspace.CloneWithoutData();
        var pull = await TrainerRunner.RunAsync("data", "pull", clone);

        Assert.Equal((0, 0, 0), (push.ExitCode, again.ExitCode, pull.ExitCode));
        Assert.Contains("pushed to 'local'", push.Output, StringComparison.Ordinal);
        Assert.Contains("already in 'local'", again.Output, StringComparison.Ordinal);
        Assert.Contains("md5 2a6d768a2db6a3ae061c4ec85f74e3d8 verified", pull.Output, StringComparison.Ordinal);
        Assert.Equal([FixtureObject], Directory.GetFiles(remote, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(remote, f).Replace('\\', '/')));
        Assert.Equal(File.ReadAllBytes(workspace.DataFile), File.ReadAllBytes(clone));
        Assert.Equal(["data.csv", "data.csv.dvc"], DvcWorkspace.FilesIn(Path.GetDirectoryName(clone)!));
    }

    [Fact]
    public async Task Push_Dvc2Pointer_StoresTheObjectAtTheRemoteRoot()
    {
        using var workspace = new DvcWorkspace();
        var data = Path.Combine(workspace.Root, "data", "foo");
        File.Copy(DvcWorkspace.Fixture("foo"), data);
        File.Copy(DvcWorkspace.Fixture("foo.dvc"), data + ".dvc");
        var remote = workspace.Folder("storage");

        var push = await TrainerRunner.RunAsync("data", "push", data, "--remote", remote);

        Assert.Equal(0, push.ExitCode);
        Assert.True(File.Exists(ObjectIn(remote, "ac/bd18db4cc2f85cedef654fccc4a4d8")), push.Output);
    }

    [Fact]
    public async Task Pull_CorruptObject_ExitsOneAndKeepsWorkspaceUnchanged()
    {
        using var workspace = new DvcWorkspace().WithFixtureData();
        var remote = workspace.Folder("storage");
        Assert.Equal(0, (await TrainerRunner.RunAsync("data", "push", workspace.DataFile, "--remote", remote)).ExitCode);
        var bytes = File.ReadAllBytes(workspace.DataFile);
        bytes[5] ^= 1;
        File.WriteAllBytes(ObjectIn(remote, FixtureObject), bytes);
        var clone = workspace.CloneWithoutData();

        var pull = await TrainerRunner.RunAsync("data", "pull", clone, "--remote", remote);

        Assert.Equal(1, pull.ExitCode);
        Assert.Single(pull.Error.Trim().Split('\n'));
        Assert.Contains("the remote object is corrupt", pull.Error, StringComparison.Ordinal);
        Assert.Equal(["data.csv.dvc"], DvcWorkspace.FilesIn(Path.GetDirectoryName(clone)!));
    }

    [Fact]
    public async Task Pull_MissingObject_ExitsTwoNamingTheObject()
    {
        using var workspace = new DvcWorkspace().WithFixtureData();
        var clone = workspace.CloneWithoutData();

        var pull = await TrainerRunner.RunAsync("data", "pull", clone, "--remote", workspace.Folder("empty"));

        Assert.Equal(2, pull.ExitCode);
        Assert.Contains(Path.Combine("files", "md5", "2a", "6d768a2db6a3ae061c4ec85f74e3d8"), pull.Error, StringComparison.Ordinal);
        Assert.Contains("push it first", pull.Error, StringComparison.Ordinal);
        Assert.Equal(["data.csv.dvc"], DvcWorkspace.FilesIn(Path.GetDirectoryName(clone)!));
    }

    [Fact]
    public async Task Pull_LocalChanges_RefusedUnlessForced()
    {
        using var workspace = new DvcWorkspace().WithFixtureData();
        var remote = workspace.Folder("storage");
        Assert.Equal(0, (await TrainerRunner.RunAsync("data", "push", workspace.DataFile, "--remote", remote)).ExitCode);
        File.WriteAllText(workspace.DataFile, "local edits");

        var refused = await TrainerRunner.RunAsync("data", "pull", workspace.DataFile, "--remote", remote);
        var kept = File.ReadAllText(workspace.DataFile);
        var forced = await TrainerRunner.RunAsync("data", "pull", workspace.DataFile, "--remote", remote, "--force");

        Assert.Equal((2, 0), (refused.ExitCode, forced.ExitCode));
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal("local edits", kept);
        Assert.Equal(File.ReadAllBytes(DvcWorkspace.Fixture("data.csv")), File.ReadAllBytes(workspace.DataFile));
    }

    [Fact]
    public async Task Pull_FileAlreadyMatches_SaysUpToDateWithoutTheRemote()
    {
        using var workspace = new DvcWorkspace().WithFixtureData();

        var pull = await TrainerRunner.RunAsync("data", "pull", workspace.DataFile, "--remote", workspace.Folder("never-created"));

        Assert.Equal(0, pull.ExitCode);
        Assert.Contains("up to date", pull.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_DataChangedSinceAdd_ExitsTwoAndWritesNothing()
    {
        using var workspace = new DvcWorkspace().WithFixtureData();
        var remote = workspace.Folder("storage");
        File.AppendAllText(workspace.DataFile, "9,x,0\n");

        var push = await TrainerRunner.RunAsync("data", "push", workspace.DataFile, "--remote", remote);

        Assert.Equal(2, push.ExitCode);
        Assert.Contains("does not match", push.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(remote, "files")));
    }

    [Fact]
    public async Task Push_MalformedDvcConfig_ExitsTwoNamingFileAndLine()
    {
        using var workspace = new DvcWorkspace().WithFixtureData().WithConfig("[core]\n    remote = storage\n['remote \"storage\"'\n    url = /srv/dvc\n");

        var push = await TrainerRunner.RunAsync("data", "push", workspace.DataFile);

        Assert.Equal(2, push.ExitCode);
        Assert.Single(push.Error.Trim().Split('\n'));
        Assert.Contains($"{Path.Combine(workspace.Root, ".dvc", "config")}:3:", push.Error, StringComparison.Ordinal);
    }
}
