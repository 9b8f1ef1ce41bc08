using MlOps.Tests.Infrastructure;
using MlOps.Trainer;
using MlOps.Trainer.Remotes;

namespace MlOps.Tests.Trainer.Versioning;

public sealed class DvcConfigTests
{
    [Fact]
    public void Find_ConfigAsDvcRemoteAddWritesIt_ReadsDefaultRemoteAndItsKeys()
    {
        using var workspace = new DvcWorkspace().WithConfig(
            "[core]\n    remote = storage\n    autostage = true\n['remote \"storage\"']\n    url = s3://mlops-data/fraud\n    endpointurl = http://minio:9000\n");

        var repository = DvcRepository.Find(workspace.DataFile)!;

        Assert.Equal(Path.Combine(workspace.Root, ".dvc"), repository.DvcDirectory);
        Assert.Equal("storage", repository.DefaultRemote);
        Assert.Equal("s3://mlops-data/fraud", repository.Remote("storage")!["url"]);
        Assert.Equal("http://minio:9000", repository.Remote("STORAGE")!["endpointurl"]);
    }

    [Fact]
    public void Find_ConfigLocal_OverridesKeyByKey()
    {
        using var workspace = new DvcWorkspace()
            .WithConfig(DvcWorkspace.RemoteConfig("storage", "s3://bucket/prefix", true, ("region", "eu-west-1")))
            .WithConfig("['remote \"storage\"']\n    access_key_id = AKIA-LOCAL\n    region = us-east-2\n[core]\n    remote = storage\n", local: true);

        var remote = DvcRepository.Find(workspace.DataFile)!.Remote("storage")!;

        Assert.Equal("s3://bucket/prefix", remote["url"]);
        Assert.Equal("us-east-2", remote["region"]);
        Assert.Equal("AKIA-LOCAL", remote["access_key_id"]);
    }

    [Fact]
    public void Parse_CommentsQuotesCaseAndCrlf_ReadAsConfigObjDoes()
    {
        var text = "# written by hand\r\n[CORE]\r\n  Remote = 'My Store'  # the default\r\n[ 'remote \"my store\"' ]\r\n  url = \"/mnt/dvc #1\"\r\n";

        var sections = DvcConfigParser.Parse(text, "config");

        Assert.Equal("My Store", sections["core"]["remote"]);
        Assert.Equal("/mnt/dvc #1", sections["remote \"my store\""]["url"]);
    }

    [Theory]
    [InlineData("[core]\n    remote = a\n[core]\n    remote = b\n", ":3: duplicate section 'core'")]
    [InlineData("[core]\n    remote = a\n    remote = b\n", ":3: duplicate key 'remote'")]
    [InlineData("[core]\n    remote\n", ":2: expected 'key = value'")]
    [InlineData("[core\n", ":1: a section header must end with ']'")]
    [InlineData("[core]\n[[nested]]\n", ":2: nested sections")]
    public void Parse_Malformed_ThrowsNamingFileAndLine(string text, string expected)
    {
        var error = Assert.Throws<BadInputException>(() => DvcConfigParser.Parse(text, "/repo/.dvc/config"));

        Assert.StartsWith("/repo/.dvc/config:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_NestedDataFolder_WalksUpToTheNearestDvcFolder()
    {
        using var workspace = new DvcWorkspace().WithConfig(DvcWorkspace.RemoteConfig("storage", "/srv/dvc"));
        var deep = Path.Combine(workspace.Root, "data", "2024", "06", "tx.csv");

        Assert.Equal(Path.Combine(workspace.Root, ".dvc"), DvcRepository.Find(deep)!.DvcDirectory);
    }

    [Fact]
    public void Find_NoDvcFolderAbove_ReturnsNull()
    {
        using var temp = new TempDirectory();

        Assert.Null(DvcRepository.Find(temp.File("data.csv")));
    }
}
