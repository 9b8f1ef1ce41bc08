using MlOps.Tests.Infrastructure;
using MlOps.Trainer;
using MlOps.Trainer.Remotes;
using MlOps.Trainer.Versioning;

namespace MlOps.Tests.Trainer.Versioning;

public sealed class RemoteResolverTests
{
    private static readonly Func<string, string?> s_noVariables = _ => null;

    [Fact]
    public void Resolve_NoArgument_UsesCoreRemote()
    {
        using var workspace = new DvcWorkspace().WithConfig(DvcWorkspace.RemoteConfig("storage", "s3://bucket/fraud", true, ("endpointurl", "http://127.0.0.1:9000")));

        var spec = RemoteResolver.Resolve(workspace.DataFile, null, null, s_noVariables);

        Assert.Equal("storage", spec.Name);
        Assert.Equal("s3://bucket/fraud", spec.Url);
        Assert.Equal("http://127.0.0.1:9000", spec.Options.Get("endpointurl"));
    }

    [Fact]
    public void Resolve_PointerNamesItsRemote_WinsOverCoreRemote()
    {
        using var workspace = new DvcWorkspace().WithConfig(
            DvcWorkspace.RemoteConfig("storage", "s3://bucket/a") + DvcWorkspace.RemoteConfig("backup", "s3://bucket/b", isDefault: false));
        var pointer = new DvcPointer("2a6d768a2db6a3ae061c4ec85f74e3d8", 88, "data.csv") { Remote = "backup" };

        Assert.Equal("s3://bucket/b", RemoteResolver.Resolve(workspace.DataFile, null, pointer, s_noVariables).Url);
    }

    [Fact]
    public void Resolve_RelativeFolderUrl_IsRelativeToTheDvcFolder()
    {
        // 'dvc remote add -d local ../storage' run in the repository root writes the path as seen from .dvc/.
        using var workspace = new DvcWorkspace().WithConfig(DvcWorkspace.RemoteConfig("local", "../../storage"));

        var spec = RemoteResolver.Resolve(workspace.DataFile, null, null, s_noVariables);

        Assert.Equal(Path.GetFullPath(Path.Combine(workspace.Root, "..", "storage")), spec.Url);
    }

    [Fact]
    public void Resolve_RemoteReference_JoinsBaseUrlAndShadowsItsKeys()
    {
        using var workspace = new DvcWorkspace().WithConfig(
            DvcWorkspace.RemoteConfig("base", "s3://bucket/root", false, ("endpointurl", "http://minio:9000"), ("region", "eu-west-1"))
            + DvcWorkspace.RemoteConfig("fraud", "remote://base/projects/fraud", true, ("region", "us-east-2")));

        var spec = RemoteResolver.Resolve(workspace.DataFile, null, null, s_noVariables);

        Assert.Equal("s3://bucket/root/projects/fraud", spec.Url);
        Assert.Equal("http://minio:9000", spec.Options.Get("endpointurl"));
        Assert.Equal("us-east-2", spec.Options.Get("region"));
    }

    [Theory]
    [InlineData("s3://other/prefix", "s3://other/prefix")]
    [InlineData("storage", "s3://bucket/fraud")]
    public void Resolve_Argument_IsAUrlOrAConfiguredName(string argument, string expectedUrl)
    {
        using var workspace = new DvcWorkspace().WithConfig(DvcWorkspace.RemoteConfig("storage", "s3://bucket/fraud"));

        Assert.Equal(expectedUrl, RemoteResolver.Resolve(workspace.DataFile, argument, null, s_noVariables).Url);
    }

    [Fact]
    public void Resolve_ArgumentThatIsNoName_IsAFolder()
    {
        using var workspace = new DvcWorkspace().WithConfig(DvcWorkspace.RemoteConfig("storage", "s3://bucket/fraud"));
        var folder = workspace.Folder("elsewhere");

        var spec = RemoteResolver.Resolve(workspace.DataFile, folder, null, s_noVariables);

        Assert.Null(spec.Name);
        Assert.Equal(folder, spec.Url);
    }

    [Theory]
    [InlineData("gs://bucket/path", "gs:// remotes are not supported")]
    [InlineData("ssh://user:secret@host/path", "ssh:// remotes are not supported")]
    public void Resolve_OtherScheme_ThrowsWithoutCredentials(string url, string expected)
    {
        using var workspace = new DvcWorkspace().WithConfig(DvcWorkspace.RemoteConfig("other", url));

        var error = Assert.Throws<BadInputException>(() => RemoteResolver.Resolve(workspace.DataFile, null, null, s_noVariables));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NoDefaultRemote_ThrowsNamingTheConfigAndTheFix()
    {
        using var workspace = new DvcWorkspace().WithConfig(DvcWorkspace.RemoteConfig("storage", "s3://bucket/fraud", isDefault: false));

        var error = Assert.Throws<BadInputException>(() => RemoteResolver.Resolve(workspace.DataFile, null, null, s_noVariables));

        Assert.Contains(Path.Combine(workspace.Root, ".dvc", "config"), error.Message, StringComparison.Ordinal);
        Assert.Contains("dvc remote add -d", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_DefaultNamesAnUndefinedRemote_ThrowsListingTheDefinedOnes()
    {
        using var workspace = new DvcWorkspace().WithConfig("[core]\n    remote = gone\n" + DvcWorkspace.RemoteConfig("storage", "/srv/dvc", isDefault: false));

        var error = Assert.Throws<BadInputException>(() => RemoteResolver.Resolve(workspace.DataFile, null, null, s_noVariables));

        Assert.Contains("remote 'gone' is not defined", error.Message, StringComparison.Ordinal);
        Assert.Contains("(defined: storage)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NoDvcRepository_AsksForRemote()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<BadInputException>(() => RemoteResolver.Resolve(temp.File("data.csv"), null, null, s_noVariables));

        Assert.Contains("no .dvc/ folder above the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WorktreeRemote_IsRefused()
    {
        using var workspace = new DvcWorkspace().WithConfig(DvcWorkspace.RemoteConfig("storage", "s3://bucket/fraud", true, ("worktree", "true")));
        var spec = RemoteResolver.Resolve(workspace.DataFile, null, null, s_noVariables);

        var error = Assert.Throws<BadInputException>(() => RemoteFactory.Create(spec, s_noVariables));

        Assert.Contains("worktree", error.Message, StringComparison.Ordinal);
    }
}
