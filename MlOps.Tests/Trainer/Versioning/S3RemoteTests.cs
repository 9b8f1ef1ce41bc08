using System.Security.Cryptography;
using Amazon.S3.Model;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Trainer.Versioning;

// Against a real S3-compatible server (s3rver on 127.0.0.1), set up the way 'dvc remote add -d storage s3://…' and
// 'dvc remote modify storage endpointurl …' leave a repository; each test has a bucket of its own.
[Collection(S3ServerCollection.Name)]
public sealed class S3RemoteTests(S3ServerFixture server)
{
    private const string FixtureKey = "fraud/files/md5/2a/6d768a2db6a3ae061c4ec85f74e3d8";

    private async Task<(DvcWorkspace Workspace, string Bucket)> RepositoryAsync(string? endpoint = null, params (string, string)[] keys)
    {
        var bucket = await server.CreateBucketAsync();
        var workspace = new DvcWorkspace().WithFixtureData().WithConfig(
            DvcWorkspace.RemoteConfig("storage", $"s3://{bucket}/fraud", true, [("endpointurl", endpoint ?? server.Endpoint.ToString().TrimEnd('/')), .. keys]));
        return (workspace, bucket);
    }

    private async Task<List<string>> KeysAsync(string bucket)
    {
        using var client = server.Client();
        var listing = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }).DefaultTimeout();
        return [.. (listing.S3Objects ?? []).Select(o => o.Key)];
    }

    private async Task PutAsync(string bucket, string key, byte[] bytes)
    {
        using var client = server.Client();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(bytes), UseChunkEncoding = false }).DefaultTimeout();
    }

    private static void AssertOneLineAndNoData(TrainerRunner.Result result, int exitCode, string clone, string expected)
    {
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Amazon.", result.Error, StringComparison.Ordinal);
        Assert.Equal(["data.csv.dvc"], DvcWorkspace.FilesIn(Path.GetDirectoryName(clone)!));
    }

    [Fact]
    public async Task PushThenPull_DefaultRemoteFromDvcConfig_StoresDvcLayoutAndRestoresBytes()
    {
        var (workspace, bucket) = await RepositoryAsync();
        using var _ = workspace;

        var push = await TrainerRunner.RunAsync(server.Credentials(), "data", "push", workspace.DataFile);
        var again = await TrainerRunner.RunAsync(server.Credentials(), "data", "push", workspace.DataFile);
        var clone = workspace.CloneWithoutData();
        var pull = await TrainerRunner.RunAsync(server.Credentials(), "data", "pull", clone);

        Assert.Equal((0, 0, 0), (push.ExitCode, again.ExitCode, pull.ExitCode));
        Assert.Contains($"pushed to 'storage' (s3://{bucket}/fraud)", push.Output, StringComparison.Ordinal);
        Assert.Contains("already in 'storage'", again.Output, StringComparison.Ordinal);
        Assert.Equal([FixtureKey], await KeysAsync(bucket));
        Assert.Contains("md5 2a6d768a2db6a3ae061c4ec85f74e3d8 verified", pull.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(workspace.DataFile), File.ReadAllBytes(clone));
        Assert.Equal(["data.csv", "data.csv.dvc"], DvcWorkspace.FilesIn(Path.GetDirectoryName(clone)!));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pull_WrongBytesOnTheRemote_ExitsOneAndLeavesNoFile(bool sameSize)
    {
        var (workspace, bucket) = await RepositoryAsync();
        using var _ = workspace;
        var bytes = File.ReadAllBytes(workspace.DataFile);
        bytes[10] ^= 1;
        await PutAsync(bucket, FixtureKey, sameSize ? bytes : [.. bytes, .. "extra"u8.ToArray()]);
        var clone = workspace.CloneWithoutData();

        var pull = await TrainerRunner.RunAsync(server.Credentials(), "data", "pull", clone);

        AssertOneLineAndNoData(pull, 1, clone, "the remote object is corrupt");
        Assert.Contains($"s3://{bucket}/{FixtureKey}", pull.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_NoCredentials_ExitsTwoNamingWhatToSet()
    {
        var (workspace, _) = await RepositoryAsync();
        using var __ = workspace;
        var clone = workspace.CloneWithoutData();

        var pull = await TrainerRunner.RunAsync(_ => null, "data", "pull", clone);

        AssertOneLineAndNoData(pull, 2, clone, "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }

    [Fact]
    public async Task Pull_UnknownAccessKey_ExitsTwoAccessDeniedWithoutTheSecret()
    {
        // s3rver checks the key id (not SigV4 signatures, which it leaves unimplemented): a key it does not know is refused.
        var (workspace, _) = await RepositoryAsync();
        using var __ = workspace;
        Assert.Equal(0, (await TrainerRunner.RunAsync(server.Credentials(), "data", "push", workspace.DataFile)).ExitCode);
        var clone = workspace.CloneWithoutData();
        Func<string, string?> wrong = name => name switch
        {
            "AWS_ACCESS_KEY_ID" => "AKIAUNKNOWN",
            "AWS_SECRET_ACCESS_KEY" => "not-the-secret-xyz",
            _ => null,
        };

        var pull = await TrainerRunner.RunAsync(wrong, "data", "pull", clone);

        AssertOneLineAndNoData(pull, 2, clone, "access denied (InvalidAccessKeyId");
        Assert.DoesNotContain("not-the-secret-xyz", pull.Error + pull.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_UnreachableEndpoint_ExitsOneWithOneLine()
    {
        var port = FreePorts.Next();
        var (workspace, _) = await RepositoryAsync($"http://127.0.0.1:{port}");
        using var __ = workspace;
        var clone = workspace.CloneWithoutData();

        var pull = await TrainerRunner.RunAsync(server.Credentials(), "data", "pull", clone);

        AssertOneLineAndNoData(pull, 1, clone, $"at http://127.0.0.1:{port}: endpoint unreachable");
    }

    [Fact]
    public async Task Pull_ObjectNotInTheRemote_ExitsTwoNamingIt()
    {
        var (workspace, bucket) = await RepositoryAsync();
        using var _ = workspace;
        var clone = workspace.CloneWithoutData();

        var pull = await TrainerRunner.RunAsync(server.Credentials(), "data", "pull", clone);

        AssertOneLineAndNoData(pull, 2, clone, $"s3://{bucket}/{FixtureKey} does not exist; push it first");
    }

    [Fact]
    public async Task Push_BucketThatDoesNotExist_ExitsTwo()
    {
        using var workspace = new DvcWorkspace().WithFixtureData().WithConfig(
            DvcWorkspace.RemoteConfig("storage", "s3://no-such-bucket/fraud", true, ("endpointurl", server.Endpoint.ToString())));

        var push = await TrainerRunner.RunAsync(server.Credentials(), "data", "push", workspace.DataFile);

        Assert.Equal(2, push.ExitCode);
        Assert.Contains("the bucket does not exist", push.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_KeysInConfigLocal_NeedNoVariables()
    {
        // What 'dvc remote modify --local storage access_key_id …' writes: secrets stay out of the committed config.
        var (workspace, _) = await RepositoryAsync();
        using var __ = workspace;
        workspace.WithConfig($"['remote \"storage\"']\n    access_key_id = {S3ServerFixture.AccessKey}\n    secret_access_key = {S3ServerFixture.SecretKey}\n", local: true);
        Assert.Equal(0, (await TrainerRunner.RunAsync(_ => null, "data", "push", workspace.DataFile)).ExitCode);
        var clone = workspace.CloneWithoutData();

        var pull = await TrainerRunner.RunAsync(_ => null, "data", "pull", clone);

        Assert.Equal(0, pull.ExitCode);
        Assert.Equal(File.ReadAllBytes(workspace.DataFile), File.ReadAllBytes(clone));
    }

    [Fact]
    public async Task Pull_ProfileFromTheSharedCredentialsFile_Works()
    {
        var (workspace, _) = await RepositoryAsync();
        using var __ = workspace;
        var home = workspace.Folder("home");
        Directory.CreateDirectory(Path.Combine(home, ".aws"));
        File.WriteAllText(Path.Combine(home, ".aws", "credentials"),
            $"[default]\naws_access_key_id = nobody\naws_secret_access_key = nothing\n\n[ci]\naws_access_key_id = {S3ServerFixture.AccessKey}\naws_secret_access_key = {S3ServerFixture.SecretKey}\n");
        Func<string, string?> environment = name => name switch { "HOME" => home, "AWS_PROFILE" => "ci", _ => null };
        Assert.Equal(0, (await TrainerRunner.RunAsync(server.Credentials(), "data", "push", workspace.DataFile)).ExitCode);
        var clone = workspace.CloneWithoutData();

        var pull = await TrainerRunner.RunAsync(environment, "data", "pull", clone);

        Assert.Equal(0, pull.ExitCode);
        Assert.Equal(File.ReadAllBytes(workspace.DataFile), File.ReadAllBytes(clone));
    }

    [Fact]
    public async Task PushPull_UrlArgumentWithEndpointVariable_UsesThatBucket()
    {
        var bucket = await server.CreateBucketAsync();
        using var workspace = new DvcWorkspace().WithFixtureData();
        var environment = server.Credentials(new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = server.Endpoint.ToString() });

        var push = await TrainerRunner.RunAsync(environment, "data", "push", workspace.DataFile, "--remote", $"s3://{bucket}");
        var clone = workspace.CloneWithoutData();
        var pull = await TrainerRunner.RunAsync(environment, "data", "pull", clone, "-r", $"s3://{bucket}");

        Assert.Equal((0, 0), (push.ExitCode, pull.ExitCode));
        Assert.Equal(["files/md5/2a/6d768a2db6a3ae061c4ec85f74e3d8"], await KeysAsync(bucket));
        Assert.Equal(File.ReadAllBytes(workspace.DataFile), File.ReadAllBytes(clone));
    }

    [Fact]
    public async Task PushPull_FileAboveTheMultipartThreshold_RoundTripsWithProgress()
    {
        var (workspace, bucket) = await RepositoryAsync();
        using var _ = workspace;
        var data = Path.Combine(workspace.Root, "data", "big.bin");
        WriteRandomFile(data, (70L << 20) + 12345);
        Assert.Equal(0, (await TrainerRunner.RunAsync("data", "add", data)).ExitCode);

        var push = await TrainerRunner.RunAsync(server.Credentials(), "data", "push", data);
        var md5 = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(data)));
        File.Delete(data);
        var pull = await TrainerRunner.RunAsync(server.Credentials(), "data", "pull", data);

        Assert.Equal((0, 0), (push.ExitCode, pull.ExitCode));
        Assert.Equal([$"fraud/files/md5/{md5[..2]}/{md5[2..]}"], await KeysAsync(bucket));
        Assert.Contains("big.bin → 'storage'", push.Output, StringComparison.Ordinal);
        Assert.Contains("100% (70.0 of 70.0 MiB)", push.Output, StringComparison.Ordinal);
        Assert.Contains("25% (", pull.Output, StringComparison.Ordinal);
        Assert.Equal(md5, Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(data))));
    }

    private static void WriteRandomFile(string path, long length)
    {
        var random = new Random(13);
        var buffer = new byte[1 << 20];
        using var stream = File.Create(path);
        for (long written = 0; written < length; written += buffer.Length)
        {
            random.NextBytes(buffer);
            stream.Write(buffer, 0, (int)Math.Min(buffer.Length, length - written));
        }
    }
}
