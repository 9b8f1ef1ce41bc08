using System.Net;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

public sealed class ModelResolverTests : IAsyncLifetime
{
    private const string ModelBin = FakeMlflowServer.RunArtifactRoot + "/model/model.bin";
    private readonly TempDirectory _temp = new();
    private FakeMlflowServer _server = null!;
    private HttpClient _http = null!;
    private ModelResolver _resolver = null!;

    private string CacheRoot => _temp.File("cache");

    public async Task InitializeAsync()
    {
        _server = await FakeMlflowServer.StartAsync().DefaultTimeout();
        _http = _server.CreateHttpClient();
        _resolver = new ModelResolver(new MlflowClient(_http));
        var bytes = new byte[2048];
        Random.Shared.NextBytes(bytes);
        _server.Artifacts[ModelBin] = bytes;
    }

    public async Task DisposeAsync()
    {
        Assert.Empty(_server.Unmatched);
        _http.Dispose();
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Resolve_Alias_DownloadsVersionFolderIntoCache()
    {
        var model = await _resolver.ResolveAsync($"models:/{Captured.ModelName}@champion", CacheRoot).DefaultTimeout();

        Assert.Equal(Path.Combine(CacheRoot, Captured.ModelName, "1"), model.LocalPath);
        Assert.Equal((Captured.ModelName, "1", Captured.RunId), (model.Name, model.Version, model.RunId));
        Assert.Equal($"models:/{Captured.ModelName}@champion", model.SourceUri);
        Assert.Equal(_server.Artifacts[ModelBin], await File.ReadAllBytesAsync(Path.Combine(model.LocalPath, "model.bin")).DefaultTimeout());
        Assert.Equal(FakeMlflowServer.ReadCapture("artifact_download_MLmodel.txt"),
            await File.ReadAllTextAsync(Path.Combine(model.LocalPath, "MLmodel")).DefaultTimeout());
        Assert.Equal(["1"], Directory.GetDirectories(Path.Combine(CacheRoot, Captured.ModelName)).Select(Path.GetFileName));
        Assert.Equal([Captured.ModelName], Directory.GetDirectories(CacheRoot).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Resolve_CachedVersion_NoNetwork()
    {
        await _resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot).DefaultTimeout();
        var requests = _server.Requests.Count;

        var again = await _resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot).DefaultTimeout();

        Assert.Equal(requests, _server.Requests.Count);
        Assert.Equal(Path.Combine(CacheRoot, Captured.ModelName, "1"), again.LocalPath);
        Assert.Equal(Captured.RunId, again.RunId);
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
    public async Task Resolve_SizeMismatch_FailsAndLeavesNoPartialFolder()
    {
        _server.Artifacts[ModelBin] = new byte[100];

        await Assert.ThrowsAsync<MlflowException>(() =>
            _resolver.ResolveAsync($"models:/{Captured.ModelName}/1", CacheRoot)).DefaultTimeout();

        Assert.False(Directory.Exists(Path.Combine(CacheRoot, Captured.ModelName, "1")));
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
        Assert.False(Directory.Exists(Path.Combine(CacheRoot, Captured.ModelName, "1")));

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

        Assert.Equal(Path.Combine(CacheRoot, Captured.ModelName, "2"), model.LocalPath);
        Assert.Equal("2", model.Version);
        Assert.Contains("registered_models_get_latest_versions", _server.Replayed);
    }

    [Fact]
    public async Task Resolve_RunUri_DownloadsUnderRunsFolder()
    {
        var model = await _resolver.ResolveAsync($"runs:/{Captured.RunId}/model", CacheRoot).DefaultTimeout();

        Assert.Equal(Path.Combine(CacheRoot, "runs", Captured.RunId, "model"), model.LocalPath);
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
}
