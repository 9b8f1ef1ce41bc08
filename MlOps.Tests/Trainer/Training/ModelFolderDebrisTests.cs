using MlOps.Tests.Infrastructure;
using MlOps.Trainer;
using MlOps.Trainer.Training;

namespace MlOps.Tests.Trainer.Training;

public sealed class ModelFolderDebrisTests
{
    [Fact]
    public void Prepare_StaleStagingFolders_RemovedButALiveWritersKept()
    {
        using var temp = new TempDirectory();
        var output = temp.File("out");
        var deadPid = DeadPid();
        var stale = Folder(output, $".model.tmp-{deadPid}-{Guid.NewGuid():N}");
        var legacy = Folder(output, $".model.tmp-{Guid.NewGuid():N}");
        // pid 1 is always alive: a trainer writing right now must not lose its folder.
        var live = Folder(output, $".model.tmp-1-{Guid.NewGuid():N}");

        var notes = new ModelFolderWriter(output).Prepare();

        Assert.False(Directory.Exists(stale));
        Assert.False(Directory.Exists(legacy));
        Assert.True(Directory.Exists(live));
        Assert.Equal(2, notes.Count(n => n.StartsWith("removed .model.tmp-", StringComparison.Ordinal)));
    }

    [Fact]
    public void Prepare_CrashBetweenFallbackRenames_RestoresTheOldModel()
    {
        using var temp = new TempDirectory();
        var output = temp.File("out");
        // What the rename fallback leaves when killed between its two renames: the old model aside, no model/.
        var aside = Folder(output, $".model.old-{DeadPid()}-{Guid.NewGuid():N}");
        File.WriteAllText(Path.Combine(aside, "model.onnx"), "old model");

        var notes = new ModelFolderWriter(output).Prepare();

        Assert.Equal("old model", File.ReadAllText(Path.Combine(output, "model", "model.onnx")));
        Assert.False(Directory.Exists(aside));
        Assert.Contains(notes, n => n.StartsWith("restored ", StringComparison.Ordinal));
    }

    [Fact]
    public void Prepare_OutputIsAFileOrUnderOne_BadInputNamingIt()
    {
        using var temp = new TempDirectory();
        var file = temp.File("not-a-folder");
        File.WriteAllText(file, "x");

        Assert.Contains("not-a-folder", Assert.Throws<BadInputException>(() => new ModelFolderWriter(file).Prepare()).Message, StringComparison.Ordinal);
        Assert.Contains("not writable", Assert.Throws<BadInputException>(() => new ModelFolderWriter(Path.Combine(file, "out")).Prepare()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replace_ExistingFolder_SwappedWithNothingLeftBeside()
    {
        using var temp = new TempDirectory();
        var output = temp.File("out");
        var target = Folder(output, "model");
        File.WriteAllText(Path.Combine(target, "version"), "1");
        var staging = Folder(output, ".model.tmp-new");
        File.WriteAllText(Path.Combine(staging, "version"), "2");

        FolderSwap.Replace(staging, target, ".model.old-test");

        Assert.Equal("2", File.ReadAllText(Path.Combine(target, "version")));
        Assert.Equal(["model"], Directory.GetDirectories(output).Select(Path.GetFileName));
    }

    private static string Folder(string parent, string name)
    {
        var path = Path.Combine(parent, name);
        Directory.CreateDirectory(path);
        return path;
    }

    // A process that has exited: its pid is free (and not reused within a test).
    private static int DeadPid()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }
}
