using MlOps.Mlflow;

namespace MlOps.Tests.Mlflow;

public sealed class ModelUriTests
{
    [Fact]
    public void Parse_Alias_NameAndAlias()
    {
        var uri = ModelUri.Parse("models:/fraud-detector@production");

        Assert.Equal((ModelUriKind.Registry, "fraud-detector", "production"), (uri.Kind, uri.Name, uri.Alias));
        Assert.Null(uri.Version);
    }

    [Fact]
    public void Parse_Version_NameAndVersion()
    {
        var uri = ModelUri.Parse("models:/fraud-detector/3");

        Assert.Equal((ModelUriKind.Registry, "fraud-detector", "3"), (uri.Kind, uri.Name, uri.Version));
        Assert.Null(uri.Alias);
    }

    [Theory]
    [InlineData("models:/m/latest", "latest", true)]
    [InlineData("models:/m/Production", "Production", false)]
    public void Parse_LatestOrStage_Stage(string text, string stage, bool latest)
    {
        var uri = ModelUri.Parse(text);

        Assert.Equal((stage, latest), (uri.Stage, uri.IsLatest));
    }

    [Fact]
    public void Parse_Run_RunIdAndPath()
    {
        var uri = ModelUri.Parse("runs:/62dbcb19f8464547944d4f58f183219b/model");

        Assert.Equal((ModelUriKind.Run, "62dbcb19f8464547944d4f58f183219b", "model"), (uri.Kind, uri.RunId, uri.ArtifactPath));
    }

    [Fact]
    public void Parse_MlflowArtifacts_ProxiedPath()
    {
        var uri = ModelUri.Parse("mlflow-artifacts:/1/62dbcb19f8464547944d4f58f183219b/artifacts/model");

        Assert.Equal((ModelUriKind.MlflowArtifacts, "1/62dbcb19f8464547944d4f58f183219b/artifacts/model"), (uri.Kind, uri.ArtifactPath));
    }

    [Fact]
    public void Parse_FileUriAndPaths_LocalFullPath()
    {
        var file = ModelUri.Parse("file:///tmp/models/m1");
        var absolute = ModelUri.Parse("/tmp/models/m1");
        var relative = ModelUri.Parse("models/m1");

        Assert.Equal((ModelUriKind.Local, "/tmp/models/m1"), (file.Kind, file.LocalPath));
        Assert.Equal("/tmp/models/m1", absolute.LocalPath);
        Assert.Equal(Path.GetFullPath("models/m1"), relative.LocalPath);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("models:/", "models:/<name>")]
    [InlineData("models:/name", "models:/<name>")]
    [InlineData("models:/name/", "models:/<name>")]
    [InlineData("models:/name@", "alias")]
    [InlineData("models:/@prod", "alias")]
    [InlineData("models:/name/0", "positive integer")]
    [InlineData("models:/name/1/extra", "models:/<name>")]
    [InlineData("models://profile/name/1", "registry host")]
    [InlineData("runs:/", "runs:/<run_id>")]
    [InlineData("runs:/not-hex!/model", "runs:/<run_id>")]
    [InlineData("runs:/abc/../../etc", "..")]
    [InlineData("mlflow-artifacts:/", "no artifact path")]
    [InlineData("s3://bucket/model", "'s3:' is not supported")]
    [InlineData("http://host/model", "'http:' is not supported")]
    public void Parse_Bad_ThrowsFormatSayingWhatIsExpected(string text, string mention)
    {
        var error = Assert.Throws<FormatException>(() => ModelUri.Parse(text));

        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
        Assert.False(ModelUri.TryParse(text, out _));
    }
}
