using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Tracking;

[Collection(PostgresCollection.Name)]
public sealed class ArtifactTests(PostgresFixture postgres)
{
    [Theory]
    [InlineData("%2e%2e/%2e%2e/escape.txt")]
    [InlineData("..%2F..%2Fescape.txt")]
    [InlineData("%2Ftmp%2Fescape.txt")]
    [InlineData("..%5C..%5Cescape.txt")]
    [InlineData("a/%2e%2e/%2e%2e/%2e%2e/escape.txt")]
    public async Task Upload_PathLeavingTheRoot_IsRejectedAndWritesNothing(string path)
    {
        // (A NUL in the URL path never reaches the server: the host refuses it; the listing test covers NUL.)
        await using var server = await TrackingServer.StartAsync(postgres);
        using var content = new ByteArrayContent("x"u8.ToArray());

        using var response = await server.Client.PutAsync(new Uri($"/api/2.0/mlflow-artifacts/artifacts/{path}", UriKind.Relative), content).DefaultTimeout();

        Assert.True((int)response.StatusCode is 400 or 404, $"answered {(int)response.StatusCode}");
        Assert.Empty(Directory.EnumerateFiles(server.ArtifactsParent, "*", SearchOption.AllDirectories));
        Assert.False(File.Exists("/tmp/escape.txt"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../..")]
    [InlineData("/etc")]
    [InlineData("%2e%2e")]
    [InlineData("a\0b")]
    public async Task List_PathLeavingTheRoot_IsRejected(string path)
    {
        await using var server = await TrackingServer.StartAsync(postgres);

        var (status, body) = await server.GetAsync($"/api/2.0/mlflow-artifacts/artifacts?path={Uri.EscapeDataString(path)}");

        Assert.Equal(400, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", body!["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UploadDownloadList_LargeFile_RoundTrips()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        var bytes = new byte[40 * 1024 * 1024];
        new Random(1).NextBytes(bytes);
        using var content = new ByteArrayContent(bytes);

        using var put = await server.Client.PutAsync(new Uri("/api/2.0/mlflow-artifacts/artifacts/0/r1/artifacts/model/model.onnx", UriKind.Relative), content).DefaultTimeout();
        Assert.Equal(200, (int)put.StatusCode);
        var downloaded = await server.Client.GetByteArrayAsync(new Uri("/api/2.0/mlflow-artifacts/artifacts/0/r1/artifacts/model/model.onnx", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(bytes, downloaded);

        var listing = await server.GetOkAsync("/api/2.0/mlflow-artifacts/artifacts?path=0%2Fr1%2Fartifacts");
        var entry = Assert.Single(listing["files"]!.AsArray())!;
        Assert.Equal("model", entry["path"]!.GetValue<string>());
        Assert.True(entry["is_dir"]!.GetValue<bool>());
        Assert.Single(Directory.EnumerateFiles(server.ArtifactsRoot, "*", SearchOption.AllDirectories)); // no temp file left behind

        var (missing, error) = await server.GetAsync("/api/2.0/mlflow-artifacts/artifacts/0/r1/artifacts/model/nope.bin");
        Assert.Equal(500, missing);
        Assert.Equal("INTERNAL_ERROR", error!["error_code"]!.GetValue<string>());
    }
}
