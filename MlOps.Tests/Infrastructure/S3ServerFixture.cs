using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;

namespace MlOps.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible server for the data-remote tests: s3rver (Node.js; pinned in <c>MlOps.Tests/s3/package-lock.json</c>,
/// installed by test.sh with <c>npm ci</c>) on a port of 127.0.0.1 the OS picks, its data in a temp folder. It checks
/// AWS signatures against its one key pair (<see cref="AccessKey"/>/<see cref="SecretKey"/>). Every test creates a
/// bucket of its own, so tests sharing the server never see each other's objects.
/// </summary>
public sealed partial class S3ServerFixture : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _server;
    private string _folder = "";

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Where the pinned s3rver lives once <c>npm ci --prefix MlOps.Tests/s3</c> has run.</summary>
    public static string ServerScript => Path.Combine(TestRepository.Root, "MlOps.Tests", "s3", "node_modules", "s3rver", "bin", "s3rver.js");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ServerScript))
        {
            throw new InvalidOperationException($"s3rver is not installed ({ServerScript} is missing): run 'npm ci --prefix MlOps.Tests/s3' (test.sh does).");
        }

        _folder = Directory.CreateTempSubdirectory("mlops-s3rver-").FullName;
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { ServerScript, "-d", _folder, "-a", "127.0.0.1", "-p", "0", "--silent" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _server = new Process { StartInfo = start, EnableRaisingEvents = true };
        _server.OutputDataReceived += (_, e) => OnLine(e.Data);
        _server.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _server.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"s3rver exited before listening: {Log()}"));
        _server.Start();
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        Endpoint = await _listening.Task.DefaultTimeout(TimeSpan.FromSeconds(30));
    }

    /// <summary>A client with the server's keys, for a test to arrange or inspect the bucket behind the trainer's back.</summary>
    public AmazonS3Client Client() => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = Endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public async Task<string> CreateBucketAsync()
    {
        var name = $"t{Guid.NewGuid():N}"[..24];
        using var client = Client();
        await client.PutBucketAsync(name).DefaultTimeout();
        return name;
    }

    /// <summary>The variables a user would export for this server: its keys (the endpoint comes from .dvc/config or AWS_ENDPOINT_URL).</summary>
    public Func<string, string?> Credentials(IReadOnlyDictionary<string, string>? more = null) => name => name switch
    {
        "AWS_ACCESS_KEY_ID" => AccessKey,
        "AWS_SECRET_ACCESS_KEY" => SecretKey,
        _ => more is not null && more.TryGetValue(name, out var value) ? value : null,
    };

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(10));
        }

        _server?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The OS temp cleaner gets it later.
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (Listening().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri($"http://127.0.0.1:{match.Groups[1].Value}"));
        }
    }

    private string Log()
    {
        lock (_log)
        {
            return _log.ToString().ReplaceLineEndings(" ").Trim();
        }
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}

[CollectionDefinition(Name)]
public sealed class S3ServerCollection : ICollectionFixture<S3ServerFixture>
{
    public const string Name = "S3 server";
}
