using System.Net;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

public sealed class MlflowClientArtifactTests : FakeMlflowServerTestBase
{
    private const string ModelBin = FakeMlflowServer.RunArtifactRoot + "/model/model.bin";
    [Fact]
    public async Task UploadDirectory_ModelFolder_PutsEachFileAtCapturedPaths()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("model"));
        await File.WriteAllTextAsync(temp.File("model/MLmodel"), "artifact_path: model\n").DefaultTimeout();
        var bytes = new byte[2048];
        Random.Shared.NextBytes(bytes);
        await File.WriteAllBytesAsync(temp.File("model/model.bin"), bytes).DefaultTimeout();

        var uploaded = await Client.UploadDirectoryAsync(Captured.ArtifactUri, "model", temp.File("model")).DefaultTimeout();

        Assert.Equal(["model/MLmodel", "model/model.bin"], uploaded);
        Assert.Equal(["artifact_upload_model_MLmodel", "artifact_upload_model_model_bin"], Server.Replayed);
        Assert.Equal(bytes, Server.Artifacts[ModelBin]);
        Assert.All(Server.Requests, r => Assert.Equal("application/octet-stream", r.ContentType));
    }

    [Fact]
    public async Task UploadArtifact_Stream_LeavesCallerStreamOpen()
    {
        using var content = new MemoryStream("hello from smoke.sh\n"u8.ToArray());

        await Client.UploadArtifactAsync(Captured.ArtifactUri, "notes.txt", content).DefaultTimeout();

        Assert.True(content.CanRead);
        Assert.Equal(["artifact_upload_notes_txt"], Server.Replayed);
    }

    [Fact]
    public async Task ListArtifacts_ProxiedRootAndFolder_ParsesDirsAndSizes()
    {
        var root = await Client.ListArtifactsAsync(Captured.ArtifactUri).DefaultTimeout();
        var model = await Client.ListArtifactsAsync(Captured.ArtifactUri, "model").DefaultTimeout();

        Assert.Equal([new ArtifactFile("model", true, null), new ArtifactFile("notes.txt", false, 20)], root);
        Assert.Equal([new ArtifactFile("MLmodel", false, 115), new ArtifactFile("model.bin", false, 2048)], model);
    }

    [Fact]
    public async Task ListRunArtifacts_RootAndModel_ParsesRootUriAndRunRelativePaths()
    {
        var root = await Client.ListRunArtifactsAsync(Captured.RunId).DefaultTimeout();
        var model = await Client.ListRunArtifactsAsync(Captured.RunId, "model").DefaultTimeout();

        Assert.Equal(Captured.ArtifactUri, root.RootUri);
        Assert.Equal(2, root.Files.Count);
        Assert.Equal(["model/MLmodel", "model/model.bin"], model.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task DownloadFile_MlModel_WritesCapturedBytes()
    {
        using var temp = new TempDirectory();

        var size = await Client.DownloadFileAsync(Captured.ArtifactUri, "model/MLmodel", temp.File("x/MLmodel")).DefaultTimeout();

        Assert.Equal(115, size);
        Assert.Equal(FakeMlflowServer.ReadCapture("artifact_download_MLmodel.txt"), await File.ReadAllTextAsync(temp.File("x/MLmodel")).DefaultTimeout());
        Assert.Equal(["MLmodel"], Directory.GetFiles(temp.File("x")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task DownloadFile_Missing_ThrowsInternalError500AndLeavesNoFile()
    {
        using var temp = new TempDirectory();

        var error = await Assert.ThrowsAsync<MlflowException>(() =>
            Client.DownloadFileAsync(Captured.ArtifactUri, "model/nope.txt", temp.File("nope.txt"))).DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.InternalError, error.ErrorCode);
        Assert.Equal(HttpStatusCode.InternalServerError, error.HttpStatus);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task DownloadDirectory_Run_DownloadsRecursivelyWithSizes()
    {
        using var temp = new TempDirectory();
        Server.Artifacts[ModelBin] = new byte[2048];

        var files = await Client.DownloadDirectoryAsync(Captured.ArtifactUri, null, temp.Path).DefaultTimeout();

        Assert.Equal(["notes.txt", "model/MLmodel", "model/model.bin"], files.Select(f => f.Path));
        Assert.Equal(2048, new FileInfo(temp.File("model/model.bin")).Length);
        Assert.Equal("hello from smoke.sh\n", await File.ReadAllTextAsync(temp.File("notes.txt")).DefaultTimeout());
    }

    [Fact]
    public async Task DownloadDirectory_SizeDiffersFromListing_Throws()
    {
        using var temp = new TempDirectory();
        Server.Artifacts[ModelBin] = new byte[100];

        var error = await Assert.ThrowsAsync<MlflowException>(() =>
            Client.DownloadDirectoryAsync(Captured.ArtifactUri, "model", temp.Path)).DefaultTimeout();

        Assert.Contains("2048", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://bucket/1/run/artifacts", "'s3:'")]
    [InlineData("gs://bucket/1/run/artifacts", "'gs:'")]
    [InlineData("wasbs://c@acct.blob.core.windows.net/1", "'wasbs:'")]
    [InlineData("hdfs://namenode/mlflow", "'hdfs:'")]
    [InlineData("file:///tmp/mlruns/1/run/artifacts", "local path")]
    [InlineData("/tmp/mlruns/1/run/artifacts", "local path")]
    public async Task Upload_UnsupportedScheme_OneMlflowErrorNamingItAndNothingSent(string artifactUri, string mention)
    {
        using var content = new MemoryStream([1]);

        var error = await Assert.ThrowsAsync<MlflowException>(() => Client.UploadArtifactAsync(artifactUri, "x", content)).DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
        Assert.Contains("--serve-artifacts", error.Message, StringComparison.Ordinal);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task ResolveArtifactUri_RunsUri_ThroughRunsGetArtifactUriWithThePathAppended()
    {
        var resolved = await Client.ResolveArtifactUriAsync($"runs:/{Captured.RunId}/model").DefaultTimeout();

        Assert.Equal(Captured.ModelSource, resolved);
        Assert.Equal([$"/api/2.0/mlflow/runs/get?run_id={Captured.RunId}"], Server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task ResolveArtifactUri_ModelsAliasWithRunsSource_AliasThenDownloadUriThenRun()
    {
        var resolved = await Client.ResolveArtifactUriAsync($"models:/{FakeMlflowServer.RunsSourceModel}@production").DefaultTimeout();

        Assert.Equal($"mlflow-artifacts:/{FakeMlflowServer.RunsSourceArtifactRoot}/model", resolved);
        Assert.Equal(
        [
            "/api/2.0/mlflow/registered-models/alias?name=cap-model&alias=production",
            "/api/2.0/mlflow/model-versions/get-download-uri?name=cap-model&version=1",
            $"/api/2.0/mlflow/runs/get?run_id={FakeMlflowServer.RunsSourceRunId}",
        ], Server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task ResolveArtifactUri_ModelsVersion_AsksOnlyForTheDownloadUri()
    {
        var resolved = await Client.ResolveArtifactUriAsync($"models:/{Captured.ModelName}/1").DefaultTimeout();

        Assert.Equal(Captured.ModelSource, resolved);
        Assert.Equal(["model_versions_get_download_uri"], Server.Replayed);
    }

    [Fact]
    public async Task DownloadDirectory_RunsUri_SameFilesAsTheProxiedUri()
    {
        using var temp = new TempDirectory();
        Server.Artifacts[ModelBin] = new byte[2048];

        var files = await Client.DownloadDirectoryAsync($"runs:/{Captured.RunId}/model", null, temp.Path).DefaultTimeout();

        Assert.Equal(["MLmodel", "model.bin"], files.Select(f => f.Path));
    }

    [Fact]
    public async Task ResolveArtifactUri_MlflowArtifactsWithAnotherHost_KeepsItAndSendsNoCredentials()
    {
        var resolved = await Client.ResolveArtifactUriAsync("mlflow-artifacts://artifacts.example:8080/1/r/artifacts").DefaultTimeout();

        Assert.Equal("mlflow-artifacts://artifacts.example:8080/1/r/artifacts", resolved);
        Assert.Empty(Server.Requests);
    }
}
