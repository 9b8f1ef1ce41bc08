using System.Net;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

public sealed class ModelResolverTests : IAsyncLifetime
{
    private const string ModelBin = FakeMlflowServer.RunArtifactRoot + "/model/model.bin";
    private readonly TempDirectory _temp = new();
    private readonly ListLogger _log = new();
    private FakeMlflowServer _server = null!;
    private HttpClient _http = null!;
    private ModelResolver _resolver = null!;

    private string CacheRoot => _temp.File("cache");

    private string ServerRoot => Path.Combine(CacheRoot, ModelResolver.ServerSegment(_server.BaseAddress));

    public async Task InitializeAsync()
    {
        _server = await FakeMlflowServer.StartAsync().DefaultTimeout();
        _http = _server.CreateHttpClient();
        _resolver = new ModelResolver(new MlflowClient(_http), _log);
        _server.Artifacts[ModelBin] = RandomBytes(2048);
    }

    public async Task DisposeAsync()
    {
        Assert.Empty(_server.Unmatched);
        _http.Dispose();
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Resolve_Alias_DownloadsVersionFolderIntoTheServersCache()
    {
        var model = await _resolver.ResolveAsync($"models:/{Captured.ModelName}@champion", CacheRoot).DefaultTimeout();

        Assert.Equal(Path.Combine(ServerRoot, Captured.ModelName, "1"), model.LocalPath);
        Assert.Equal((Captured.ModelName, "1", Captured.RunId, false), (model.Name, model.Version, model.RunId, model.FromCache));
        Assert.Equal(_server.Artifacts[ModelBin], await File.ReadAllBytesAsync(Path.Combine(model.LocalPath, "model.bin")).DefaultTimeout());
        Assert.Equal(FakeMlflowServer.ReadCapture("artifact_download_MLmodel.txt"),
            await File.ReadAllTextAsync(Path.Combine(model.LocalPath, "MLmodel")).DefaultTimeout());
        Assert.True(File.Exists(Path.Combine(model.LocalPath, ModelResolver.CacheRecordFileName)));
        Assert.Equal([ModelResolver.ServerSegment(_server.BaseAddress)], Directory.GetDirectories(CacheRoot).Select(Path.GetFileName));
        Assert.Matches(@"^127\.0\.0\.1_\d+-[0-9a-f]{8}$", ModelResolver.ServerSegment(_server.BaseAddress));
    }

    [Fact]
    public async Task Resolve_CachedVersion_OnlyAsksTheRegistryAndSaysSoInTheLog()
    {
        await _resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot).DefaultTimeout();
        var requests = _server.Requests.Count;

        var again = await _resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot).DefaultTimeout();

        var request = Assert.Single(_server.Requests.Skip(requests));
        Assert.StartsWith("/api/2.0/mlflow/model-versions/get?", request.PathAndQuery, StringComparison.Ordinal);
        Assert.True(again.FromCache);
        Assert.Equal(Captured.RunId, again.RunId);
        Assert.Contains(_log.Entries, e => e.Message.Contains("Using the cached copy", StringComparison.Ordinal)
            && e.Message.Contains(again.LocalPath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_CachedAlias_OnlyAsksWhereTheAliasPoints()
    {
        await _resolver.ResolveAsync($"models:/{Captured.ModelName}@champion", CacheRoot).DefaultTimeout();
        var before = _server.Requests.Count;

        await _resolver.ResolveAsync($"models:/{Captured.ModelName}@champion", CacheRoot).DefaultTimeout();

        var request = Assert.Single(_server.Requests.Skip(before));
        Assert.StartsWith("/api/2.0/mlflow/registered-models/alias?", request.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_SameNameAndVersionOnTwoServers_NeverTheOtherServersModel()
    {
        await using var second = await FakeMlflowServer.StartAsync().DefaultTimeout();
        using var secondHttp = second.CreateHttpClient();
        second.Artifacts[ModelBin] = RandomBytes(2048);

        var first = await _resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot).DefaultTimeout();
        var other = await new ModelResolver(new MlflowClient(secondHttp)).ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot).DefaultTimeout();

        Assert.NotEqual(first.LocalPath, other.LocalPath);
        Assert.False(other.FromCache);
        Assert.Equal(second.Artifacts[ModelBin], await File.ReadAllBytesAsync(Path.Combine(other.LocalPath, "model.bin")).DefaultTimeout());
        Assert.Equal(_server.Artifacts[ModelBin], await File.ReadAllBytesAsync(Path.Combine(first.LocalPath, "model.bin")).DefaultTimeout());
        Assert.Empty(second.Unmatched);
    }

    [Fact]
    public async Task Resolve_RegistryNowNamesAnotherRun_CachedCopyReplacedAndTheLogSaysWhy()
    {
        var first = await _resolver.ResolveAsync($"models:/{Captured.ModelName}@champion", CacheRoot).DefaultTimeout();

        // The registry was reset and retrained: the same name, version and alias now belong to another run.
        const string retrained = "0123456789abcdef0123456789abcdef";
        _server.ExtraAnswers[$"GET /api/2.0/mlflow/registered-models/alias?name={Captured.ModelName}&alias=champion"] =
            FakeMlflowServer.ReadCapture("registered_models_get_alias.json").Replace(Captured.RunId, retrained, StringComparison.Ordinal);
        _server.Artifacts[ModelBin] = RandomBytes(2048);
        var second = await _resolver.ResolveAsync($"models:/{Captured.ModelName}@champion", CacheRoot).DefaultTimeout();

        Assert.Equal(first.LocalPath, second.LocalPath);
        Assert.False(second.FromCache);
        Assert.Equal(retrained, second.RunId);
        Assert.Equal(_server.Artifacts[ModelBin], await File.ReadAllBytesAsync(Path.Combine(second.LocalPath, "model.bin")).DefaultTimeout());
        Assert.Contains(_log.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && e.Message.Contains("Not using the cached copy", StringComparison.Ordinal) && e.Message.Contains(retrained, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_CachedFileChangedOnDisk_DownloadedAgain()
    {
        var model = await _resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot).DefaultTimeout();
        await File.WriteAllBytesAsync(Path.Combine(model.LocalPath, "model.bin"), new byte[2048]).DefaultTimeout();

        var again = await _resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot).DefaultTimeout();

        Assert.False(again.FromCache);
        Assert.Equal(_server.Artifacts[ModelBin], await File.ReadAllBytesAsync(Path.Combine(again.LocalPath, "model.bin")).DefaultTimeout());
        Assert.Contains(_log.Entries, e => e.Message.Contains("checksum", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_PinnedVersionWhileTheServerIsDown_IntactCachedCopyUsedAndLoggedAsUnverified()
    {
        var server = await FakeMlflowServer.StartAsync().DefaultTimeout();
        using var http = server.CreateHttpClient();
        server.Artifacts[ModelBin] = RandomBytes(2048);
        var resolver = new ModelResolver(new MlflowClient(http), _log);
        var online = await resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot).DefaultTimeout();
        await server.DisposeAsync();

        var offline = await resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot).DefaultTimeout();
        await File.WriteAllBytesAsync(Path.Combine(online.LocalPath, "model.bin"), new byte[2048]).DefaultTimeout();
        var corrupted = await Assert.ThrowsAsync<MlflowException>(() =>
            resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot)).DefaultTimeout();
        var alias = await Assert.ThrowsAsync<MlflowException>(() =>
            resolver.ResolveAsync($"models:/{Captured.ModelName}@champion", CacheRoot)).DefaultTimeout();

        Assert.Equal((online.LocalPath, true), (offline.LocalPath, offline.FromCache));
        Assert.Contains(_log.Entries, e => e.Message.Contains("without checking it against the registry", StringComparison.Ordinal));
        Assert.Equal(KnownMlflowErrorCodes.TemporarilyUnavailable, corrupted.ErrorCode);
        Assert.Equal(KnownMlflowErrorCodes.TemporarilyUnavailable, alias.ErrorCode);
    }

    [Fact]
    public async Task Resolve_AliasWithRunsSource_ResolvesThroughTheRunsArtifactUri()
    {
        // The captures: a version registered from runs:/<run>/model keeps that source; MLflow's client asks runs/get.
        var root = FakeMlflowServer.RunsSourceArtifactRoot + "/model/";
        _server.Artifacts[root + "MLmodel"] = File.ReadAllBytes(FakeMlflowServer.CaptureFile("artifact_download_MLmodel.txt"));
        _server.Artifacts[root + "model.onnx"] = RandomBytes(4096);

        var model = await _resolver.ResolveAsync($"models:/{FakeMlflowServer.RunsSourceModel}@production", CacheRoot).DefaultTimeout();

        Assert.Equal((FakeMlflowServer.RunsSourceModel, "1", FakeMlflowServer.RunsSourceRunId), (model.Name, model.Version, model.RunId));
        Assert.Equal(_server.Artifacts[root + "model.onnx"], await File.ReadAllBytesAsync(Path.Combine(model.LocalPath, "model.onnx")).DefaultTimeout());
        Assert.Equal(
            ["registered_models_get_alias_runs_source", "model_versions_get_download_uri_runs_source"],
            _server.Replayed.Where(r => r.EndsWith("_runs_source", StringComparison.Ordinal)));
        Assert.Contains(_server.Requests, r => r.PathAndQuery == $"/api/2.0/mlflow/runs/get?run_id={FakeMlflowServer.RunsSourceRunId}");
    }

    [Fact]
    public async Task Resolve_VersionWithRunsSource_ResolvesThroughTheRunsArtifactUri()
    {
        var root = FakeMlflowServer.RunsSourceArtifactRoot + "/model/";
        _server.Artifacts[root + "MLmodel"] = File.ReadAllBytes(FakeMlflowServer.CaptureFile("artifact_download_MLmodel.txt"));

        var model = await _resolver.ResolveAsync($"models:/{FakeMlflowServer.RunsSourceModel}/1", CacheRoot).DefaultTimeout();

        Assert.True(File.Exists(Path.Combine(model.LocalPath, "MLmodel")));
        Assert.Equal(FakeMlflowServer.RunsSourceRunId, model.RunId);
    }

    [Theory]
    [InlineData("s3://bucket/models/fraud", "'s3:'")]
    [InlineData("gs://bucket/model", "'gs:'")]
    [InlineData("file:///tmp/model", "local path")]
    [InlineData("/srv/models/fraud", "local path")]
    public async Task Resolve_SourceOutsideTheTrackingServer_OneMlflowErrorNamingTheScheme(string source, string mention)
    {
        _server.ExtraAnswers[$"GET /api/2.0/mlflow/model-versions/get-download-uri?name={Captured.ModelName}&version=1"] =
            System.Text.Json.JsonSerializer.Serialize(new { artifact_uri = source });

        var error = await Assert.ThrowsAsync<MlflowException>(() =>
            _resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot)).DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
        Assert.Contains("mlflow-artifacts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_ListingThatClimbsOutOfTheFolder_RefusedAndNothingWrittenOutside()
    {
        _server.ExtraAnswers[$"GET /api/2.0/mlflow-artifacts/artifacts?path={Uri.EscapeDataString(FakeMlflowServer.RunArtifactRoot + "/model")}"] =
            """{"files": [{"path": "../../../../escaped.txt", "is_dir": false, "file_size": 3}]}""";

        var error = await Assert.ThrowsAsync<MlflowException>(() =>
            _resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot)).DefaultTimeout();

        Assert.Contains("not safe to follow", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_temp.Path, "escaped.txt", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Resolve_SizeMismatch_FailsAndLeavesNoPartialFolder()
    {
        _server.Artifacts[ModelBin] = new byte[100];

        await Assert.ThrowsAsync<MlflowException>(() =>
            _resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot)).DefaultTimeout();

        Assert.False(Directory.Exists(Path.Combine(ServerRoot, Captured.ModelName, "1")));
        Assert.Empty(Directory.GetFiles(CacheRoot, "*", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(CacheRoot, ".partial")));
    }

    [Fact]
    public async Task Resolve_MissingFileOnServer_FailsWithServerErrorAndLeavesNoPartialFolder()
    {
        _server.Artifacts.TryRemove(ModelBin, out _);

        var error = await Assert.ThrowsAsync<MlflowException>(() =>
            _resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.InternalServerError, error.HttpStatus);
        Assert.Empty(Directory.GetFiles(CacheRoot, "*", SearchOption.AllDirectories));

        // A later successful attempt fills the cache normally.
        _server.Artifacts[ModelBin] = new byte[2048];
        var model = await _resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot).DefaultTimeout();
        Assert.True(File.Exists(Path.Combine(model.LocalPath, "model.bin")));
    }

    [Fact]
    public async Task Resolve_UnknownAlias_ThrowsInvalidParameter()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() =>
            _resolver.ResolveAsync($"models:/{Captured.ModelName}@nope", CacheRoot)).DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.False(Directory.Exists(CacheRoot));
    }

    [Fact]
    public async Task Resolve_Latest_NewestVersionFolder()
    {
        _server.ExtraAnswers[$"GET /api/2.0/mlflow/model-versions/get-download-uri?name={Captured.ModelName}&version=2"] =
            $$"""{"artifact_uri": "{{Captured.ModelSource}}"}""";

        var model = await _resolver.ResolveAsync($"models:/{Captured.ModelName}/latest", CacheRoot).DefaultTimeout();

        Assert.Equal(Path.Combine(ServerRoot, Captured.ModelName, "2"), model.LocalPath);
        Assert.Equal("2", model.Version);
        Assert.Contains("registered_models_get_latest_versions", _server.Replayed);
    }

    [Fact]
    public async Task Resolve_RunUri_DownloadsUnderRunsFolder()
    {
        var model = await _resolver.ResolveAsync($"runs:/{Captured.RunId}/model", CacheRoot).DefaultTimeout();

        Assert.Equal(Path.Combine(ServerRoot, "runs", Captured.RunId, "model"), model.LocalPath);
        Assert.Equal(Captured.RunId, model.RunId);
        Assert.Equal(2048, new FileInfo(Path.Combine(model.LocalPath, "model.bin")).Length);
    }

    [Fact]
    public async Task Resolve_MlflowArtifactsUri_DownloadsFolder()
    {
        var model = await _resolver.ResolveAsync(Captured.ModelSource, CacheRoot).DefaultTimeout();

        Assert.True(File.Exists(Path.Combine(model.LocalPath, "MLmodel")));
        Assert.Equal(Captured.RunId, model.RunId);
    }

    [Fact]
    public async Task Resolve_LocalFolderAndFileUri_TheFolderItself()
    {
        var folder = _temp.File("local-model");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "MLmodel"), "artifact_path: model\nrun_id: abc\n").DefaultTimeout();
        var offline = new ModelResolver(null);

        var byPath = await offline.ResolveAsync(folder, CacheRoot).DefaultTimeout();
        var byUri = await offline.ResolveAsync(new Uri(folder).AbsoluteUri, CacheRoot).DefaultTimeout();

        Assert.Equal((folder, "abc"), (byPath.LocalPath, byPath.RunId));
        Assert.Equal(folder, byUri.LocalPath);
        Assert.False(Directory.Exists(CacheRoot));
    }

    [Fact]
    public async Task Resolve_LocalFolderWithOnlyOnnx_Accepted()
    {
        var folder = _temp.File("onnx-only");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, "model.onnx"), [1, 2, 3]).DefaultTimeout();

        var model = await new ModelResolver(null).ResolveAsync(folder, CacheRoot).DefaultTimeout();

        Assert.Null(model.RunId);
    }

    [Fact]
    public async Task Resolve_LocalMissingOrNotAModel_ThrowsNamingFolder()
    {
        var empty = _temp.File("empty");
        Directory.CreateDirectory(empty);
        var offline = new ModelResolver(null);

        var missing = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => offline.ResolveAsync(_temp.File("nope"), CacheRoot)).DefaultTimeout();
        var notModel = await Assert.ThrowsAsync<InvalidDataException>(() => offline.ResolveAsync(empty, CacheRoot)).DefaultTimeout();

        Assert.Contains("nope", missing.Message, StringComparison.Ordinal);
        Assert.Contains("MLmodel", notModel.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_RegistryWithoutClient_ThrowsNamingTrackingUri()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new ModelResolver(null).ResolveAsync("models:/m@prod", CacheRoot)).DefaultTimeout();

        Assert.Contains(KnownMlflowEnvironment.TrackingUri, error.Message, StringComparison.Ordinal);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
