using System.Security.Cryptography;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Trainer.Versioning;

[Collection(S3ServerCollection.Name)]
public sealed class S3ResumeAndTrainTests(S3ServerFixture server)
{
    [Fact]
    public async Task Pull_ConnectionDroppedMidBody_ResumesFromTheNextByteAndVerifies()
    {
        var bucket = await server.CreateBucketAsync();
        using var workspace = new DvcWorkspace();
        var data = Path.Combine(workspace.Root, "data", "blob.bin");
        File.WriteAllBytes(data, RandomNumberGenerator.GetBytes(4 << 20));
        Assert.Equal(0, (await TrainerRunner.RunAsync("data", "add", data)).ExitCode);
        workspace.WithConfig(DvcWorkspace.RemoteConfig("storage", $"s3://{bucket}/p", true, ("endpointurl", server.Endpoint.ToString())));
        Assert.Equal(0, (await TrainerRunner.RunAsync(server.Credentials(), "data", "push", data)).ExitCode);
        var expected = File.ReadAllBytes(data);
        File.Delete(data);
        await using var proxy = new ConnectionCuttingProxy(server.Endpoint.Port, cutAfterBytes: 1 << 20);
        workspace.WithConfig(DvcWorkspace.RemoteConfig("storage", $"s3://{bucket}/p", true, ("endpointurl", $"http://127.0.0.1:{proxy.Port}")));

        var pull = await TrainerRunner.RunAsync(server.Credentials(), "data", "pull", data);

        Assert.Equal(0, pull.ExitCode);
        Assert.Equal(1, proxy.Cuts);
        Assert.Contains("resuming at byte", pull.Output, StringComparison.Ordinal);
        Assert.Contains("(attempt 2 of 4)", pull.Output, StringComparison.Ordinal);
        Assert.Equal(expected, File.ReadAllBytes(data));
    }

    [Fact]
    public async Task Train_DataMissingButPointed_PullsFromTheDefaultRemoteThenTrains()
    {
        // What the seed's training container does by hand: 'dvc pull' before training on a fresh checkout.
        var bucket = await server.CreateBucketAsync();
        using var workspace = new DvcWorkspace().WithConfig(
            DvcWorkspace.RemoteConfig("storage", $"s3://{bucket}/fraud", true, ("endpointurl", server.Endpoint.ToString())));
        var data = Path.Combine(workspace.Root, "data", "transactions.csv");
        Assert.Equal(0, (await TrainerRunner.RunAsync("generate", "--rows", "4000", "--seed", "5", "--out", data, "--dvc")).ExitCode);
        Assert.Equal(0, (await TrainerRunner.RunAsync(server.Credentials(), "data", "push", data)).ExitCode);
        var md5 = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(data)));
        File.Delete(data);
        var output = workspace.Folder("out");

        var train = await TrainerRunner.RunAsync(server.Credentials(),
            "train", "--data", data, "--label", "is_fraud", "--output", output, "--iterations", "20");

        Assert.True(train.ExitCode == 0, train.Error + train.Output);
        Assert.Contains($"{data} is missing; pulling it from the default remote", train.Output, StringComparison.Ordinal);
        Assert.Contains($"pulled {data} from 'storage' (s3://{bucket}/fraud)", train.Output, StringComparison.Ordinal);
        Assert.Contains($"md5 {md5} verified", train.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "model", "model.onnx")));
        Assert.Equal(md5, Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(data))));
    }

    [Fact]
    public async Task Train_DataMissingAndNoDefaultRemote_ExitsTwoSayingSo()
    {
        using var workspace = new DvcWorkspace().WithFixtureData().WithConfig(DvcWorkspace.RemoteConfig("storage", "/srv/none", isDefault: false));
        File.Delete(workspace.DataFile);

        var train = await TrainerRunner.RunAsync(server.Credentials(),
            "train", "--data", workspace.DataFile, "--label", "label", "--output", workspace.Folder("out"));

        Assert.Equal(2, train.ExitCode);
        Assert.Single(train.Error.Trim().Split('\n'));
        Assert.Contains("names no default remote", train.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(workspace.DataFile));
    }
}
