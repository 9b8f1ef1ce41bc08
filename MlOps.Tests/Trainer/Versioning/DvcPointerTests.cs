using MlOps.Trainer;
using MlOps.Trainer.Versioning;

namespace MlOps.Tests.Trainer.Versioning;

public sealed class DvcPointerTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "dvc", name);

    [Fact]
    public void Parse_HandWrittenFixture_ReadsOutput()
    {
        var pointer = DvcPointer.Parse(File.ReadAllText(Fixture("data.csv.dvc")), "data.csv.dvc");

        Assert.Equal(new DvcPointer("2a6d768a2db6a3ae061c4ec85f74e3d8", 88, "data.csv"), pointer);
    }

    [Fact]
    public void Format_ParsedFixture_ReproducesBytes()
    {
        var text = File.ReadAllText(Fixture("data.csv.dvc"));

        Assert.Equal(text, DvcPointer.Parse(text, "data.csv.dvc").Format());
    }

    [Fact]
    public void Parse_ExtraKeysQuotesAndCrlf_ReadsOnlyTheOutput()
    {
        var text = File.ReadAllText(Fixture("extra-keys.csv.dvc"));
        Assert.Contains("\r\n", text, StringComparison.Ordinal);

        var pointer = DvcPointer.Parse(text, "extra-keys.csv.dvc");

        Assert.Equal(new DvcPointer("2a6d768a2db6a3ae061c4ec85f74e3d8", 88, "data.csv"), pointer);
    }

    [Theory]
    [InlineData("outs:\n- size: 3\n  path: a.csv\n", "no 'md5'")]
    [InlineData("outs:\n- md5: 2a6d768a2db6a3ae061c4ec85f74e3d8\n  size: 3\n", "no 'path'")]
    [InlineData("outs:\n- md5: 2a6d768a2db6a3ae061c4ec85f74e3d8\n  path: a.csv\n- md5: 2a6d768a2db6a3ae061c4ec85f74e3d8\n  path: b.csv\n", "2 outputs")]
    [InlineData("outs:\n- md5: 2a6d768a2db6a3ae061c4ec85f74e3d8.dir\n  size: 3\n  nfiles: 2\n  path: images\n", "directory")]
    [InlineData("md5: 2a6d768a2db6a3ae061c4ec85f74e3d8\n", "no 'outs'")]
    public void Parse_InvalidPointer_ThrowsNamingFile(string text, string expected)
    {
        var error = Assert.Throws<BadInputException>(() => DvcPointer.Parse(text, "/some/folder/x.csv.dvc"));

        Assert.StartsWith("x.csv.dvc:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoHashKey_IsDvc2Dos2Unix()
    {
        var pointer = DvcPointer.Parse(File.ReadAllText(Fixture("foo.dvc")), "foo.dvc");

        Assert.Equal(DvcHashNames.Md5Dos2Unix, pointer.HashName);
        Assert.Equal(File.ReadAllText(Fixture("foo.dvc")), pointer.Format());
    }

    [Fact]
    public void Parse_RemoteKey_IsKeptAndWrittenAfterPath()
    {
        var text = "outs:\n- md5: 2a6d768a2db6a3ae061c4ec85f74e3d8\n  size: 88\n  hash: md5\n  path: data.csv\n  remote: backup\n";

        var pointer = DvcPointer.Parse(text, "data.csv.dvc");

        Assert.Equal("backup", pointer.Remote);
        Assert.Equal(text, pointer.Format());
    }

    [Fact]
    public void Parse_OtherHashName_ThrowsNamingIt()
    {
        var error = Assert.Throws<BadInputException>(() =>
            DvcPointer.Parse("outs:\n- md5: 2a6d768a2db6a3ae061c4ec85f74e3d8\n  hash: blake3\n  path: a.csv\n", "a.csv.dvc"));

        Assert.Contains("blake3", error.Message, StringComparison.Ordinal);
    }
}
