using Aspire.Hosting;
using TempDirectory = MlOps.Tests.Infrastructure.TempDirectory;
using MlOps.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using static MlOps.Tests.Compose.ComposeFiles;

namespace MlOps.Tests.Compose;

/// <summary>The compose export of app models built with Aspire's builder in publish mode, read back as YAML and checked
/// by Debian's docker-compose 1.29 (<c>config</c> parses, validates and interpolates exactly as <c>up</c> would).</summary>
public sealed class ComposePublisherTests
{
    private static readonly TimeSpan s_config = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Publish_MlOpsTopology_OneServicePerContainerAndProject_PlusTheDatabasesJob()
    {
        using var temp = new TempDirectory();
        var files = await PublishMlOpsAsync(temp);

        Assert.Equal(["postgres", "postgres-databases", "mlflow", "data", "trainer", "serving"], Keys(files.Root()["services"]));
        // AddPostgres names Docker Hub as the registry; the engine finds local/postgres:15 under that name too.
        Assert.Equal("docker.io/local/postgres:15", ValueAt(files.Service("postgres"), "image"));
        Assert.Equal(["mlops-postgres-data:/var/lib/postgresql/data"], ListAt(files.Service("postgres"), "volumes"));
        Assert.Equal(["mlops-mlflow-artifacts", "mlops-postgres-data", "mlops-training-data"], Keys(files.Root()["volumes"]));
        var mlflowBuild = files.Service("mlflow")["build"];
        Assert.Equal(ComposeTopology.RepoRoot, Path.GetFullPath(ValueAt(mlflowBuild, "context")!, files.Directory).TrimEnd('/'));
        Assert.Equal("MlOps.Tracking/Dockerfile", ValueAt(mlflowBuild, "dockerfile"));
        Assert.Equal(ComposeTopology.SdkImage, ValueAt(mlflowBuild, "args", "SDK_IMAGE"));
        // The project is built from its own Dockerfile with the solution folder as context, with the build args it was given.
        var servingBuild = files.Service("serving")["build"];
        Assert.Equal(ComposeTopology.RepoRoot, Path.GetFullPath(ValueAt(servingBuild, "context")!, files.Directory).TrimEnd('/'));
        Assert.Equal("MlOps.Serving/Dockerfile", ValueAt(servingBuild, "dockerfile"));
        Assert.Equal(ComposeTopology.RuntimeImage, ValueAt(servingBuild, "args", "RUNTIME_IMAGE"));
        Assert.Equal(["generate", "--rows", "20000", "--seed", "42", "--out", "/data/transactions.parquet", "--if-missing", "--dvc"],
            ListAt(files.Service("data"), "command"));
    }

    [Fact]
    public async Task Publish_References_ResolveToServiceNamesAndContainerPorts()
    {
        using var temp = new TempDirectory();
        var files = await PublishMlOpsAsync(temp);

        Assert.Equal("http://mlflow:5000", ValueAt(files.Service("trainer"), "environment", "MLFLOW_TRACKING_URI"));
        Assert.Equal("http://mlflow:5000", ValueAt(files.Service("serving"), "environment", "MLFLOW_TRACKING_URI"));
        Assert.Equal("Host=postgres;Port=5432;Username=postgres;Password=${POSTGRES_PASSWORD};Database=trackingdb",
            ValueAt(files.Service("mlflow"), "environment", "ConnectionStrings__tracking"));
        // A project listens on the .NET images' 8080 in its container; its fixed port is published on loopback only.
        Assert.Equal("8080", ValueAt(files.Service("serving"), "environment", "ASPNETCORE_HTTP_PORTS"));
        Assert.Equal(["127.0.0.1:18123:8080"], ListAt(files.Service("serving"), "ports"));
        Assert.Equal(["127.0.0.1:18122:5000"], ListAt(files.Service("mlflow"), "ports"));
        Assert.Empty(ListAt(files.Service("postgres"), "ports"));
    }

    [Fact]
    public async Task Publish_SecretParameters_AreVariables_ValuesNeverWritten()
    {
        using var temp = new TempDirectory();
        const string password = "pg-Secret-7c1e9b";
        const string apiKey = "api-Secret-55aa01";
        var builder = ComposeTopology.CreateBuilder(temp.File("out"), $"--Parameters:postgres-password={password}", $"--Parameters:api-key={apiKey}",
            "--Parameters:model-name=fraud-detector");
        ComposeTopology.AddMlOps(builder, new(18122, 18123));
        var key = builder.AddParameter("api-key", secret: true);
        var modelName = builder.AddParameter("model-name");
        builder.AddContainer("admin", "local/debian", "bookworm").WithEnvironment("ADMIN_KEY", key).WithEnvironment("MODEL_NAME", modelName);
        await ComposeTopology.PublishAsync(builder);

        var files = new ComposeFiles(temp.File("out"));
        foreach (var name in Directory.GetFiles(files.Directory).Select(Path.GetFileName))
        {
            Assert.DoesNotContain(password, files.Text(name!), StringComparison.Ordinal);
            Assert.DoesNotContain(apiKey, files.Text(name!), StringComparison.Ordinal);
        }

        Assert.Equal("${POSTGRES_PASSWORD}", ValueAt(files.Service("postgres"), "environment", "POSTGRES_PASSWORD"));
        Assert.Equal("${API_KEY}", ValueAt(files.Service("admin"), "environment", "ADMIN_KEY"));
        var env = files.Text(".env.example").Split('\n');
        Assert.Contains("POSTGRES_PASSWORD=", env);
        Assert.Contains("API_KEY=", env);
        Assert.Contains("MODEL_NAME=fraud-detector", env);
    }

    [Fact]
    public async Task Publish_Waits_BecomeDependsOnConditions()
    {
        using var temp = new TempDirectory();
        var files = await PublishMlOpsAsync(temp);

        Assert.Equal("service_healthy", ValueAt(files.Service("postgres-databases"), "depends_on", "postgres", "condition"));
        // A wait on a database waits for the job that creates the databases.
        Assert.Equal("service_completed_successfully", ValueAt(files.Service("mlflow"), "depends_on", "postgres-databases", "condition"));
        Assert.Equal("service_healthy", ValueAt(files.Service("serving"), "depends_on", "mlflow", "condition"));
        Assert.Equal("service_healthy", ValueAt(files.Service("trainer"), "depends_on", "mlflow", "condition"));
        Assert.Equal("service_completed_successfully", ValueAt(files.Service("trainer"), "depends_on", "data", "condition"));
        Assert.Null(Mapping(files.Service("data"), "depends_on"));
        Assert.NotNull(Mapping(files.Service("mlflow"), "healthcheck"));
        Assert.Contains("/dev/tcp/127.0.0.1/5000", ListAt(files.Service("mlflow"), "healthcheck", "test")[1], StringComparison.Ordinal);
        Assert.Contains("GET /health HTTP/1.1", ListAt(files.Service("serving"), "healthcheck", "test")[1], StringComparison.Ordinal);
        Assert.Contains("/dev/tcp/127.0.0.1/8080", ListAt(files.Service("serving"), "healthcheck", "test")[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_WaitOnAContainerWithoutAComposeHealthCheck_IsServiceStarted_AndOnDemandTargetsAreLeftOut()
    {
        using var temp = new TempDirectory();
        var builder = ComposeTopology.CreateBuilder(temp.File("out"));
        var cache = builder.AddContainer("cache", "local/debian", "bookworm");
        var job = builder.AddContainer("job", "local/debian", "bookworm").WithExplicitStart();
        builder.AddContainer("api", "local/debian", "bookworm").WaitFor(cache).WaitFor(job);
        builder.AddContainer("report", "local/debian", "bookworm").WaitForCompletion(job).WithExplicitStart();
        await ComposeTopology.PublishAsync(builder);

        var files = new ComposeFiles(temp.File("out"));
        Assert.Equal(["cache"], Keys(files.Service("api")["depends_on"]));
        Assert.Equal("service_started", ValueAt(files.Service("api"), "depends_on", "cache", "condition"));
        // Both on demand: the dependency holds inside the profile.
        Assert.Equal("service_completed_successfully", ValueAt(files.Service("report"), "depends_on", "job", "condition"));
        Assert.Equal(["train"], ListAt(files.Service("report"), "profiles"));
        await AssertConfigAcceptsAsync(files, "--profile", "train");
    }

    [Fact]
    public async Task Publish_ExplicitStart_IsInTheTrainProfile_OthersStartByDefault()
    {
        using var temp = new TempDirectory();
        var files = await PublishMlOpsAsync(temp);
        await files.WriteEnvAsync(new Dictionary<string, string> { ["POSTGRES_PASSWORD"] = "x" });
        var compose = new DockerCompose(files.Directory, "mlops-config-check");

        Assert.Equal(["train"], ListAt(files.Service("trainer"), "profiles"));
        Assert.Empty(ListAt(files.Service("serving"), "profiles"));
        // Compose itself sees exactly one profile.
        var profiles = (await compose.RunCheckedAsync(s_config, "config", "--profiles")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["train"], profiles);
    }

    [Fact]
    public async Task Publish_GpuRuntimeArgs_GoToTheGpuOverride_NotTheMainFile()
    {
        using var temp = new TempDirectory();
        var files = await PublishMlOpsAsync(temp);

        Assert.DoesNotContain("nvidia", files.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("deploy", files.Text(), StringComparison.Ordinal);
        var gpu = files.Root("docker-compose.gpu.yml");
        Assert.Equal(["trainer"], Keys(gpu["services"]));
        var device = (YamlMappingNode)((YamlSequenceNode)gpu["services"]["trainer"]["deploy"]["resources"]["reservations"]["devices"]).Children[0];
        Assert.Equal("nvidia", ValueAt(device, "driver"));
        Assert.Equal("all", ValueAt(device, "count"));
        Assert.Equal(["gpu"], ListAt(device, "capabilities"));
        // Both files together are a valid compose project, in which the trainer carries the reservation.
        await files.WriteEnvAsync(new Dictionary<string, string> { ["POSTGRES_PASSWORD"] = "x" });
        var merged = await new DockerCompose(files.Directory, "mlops-config-check").RunCheckedAsync(s_config,
            "-f", "docker-compose.yml", "-f", "docker-compose.gpu.yml", "--profile", "train", "config");
        Assert.Contains("driver: nvidia", merged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_WithoutGpuArgs_WritesNoGpuOverride()
    {
        using var temp = new TempDirectory();
        var builder = ComposeTopology.CreateBuilder(temp.File("out"));
        builder.AddContainer("worker", "local/debian", "bookworm");
        await ComposeTopology.PublishAsync(builder);

        Assert.Equal([".env.example", "docker-compose.yml"], Directory.GetFiles(temp.File("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("$5 and ${HOME}")]
    [InlineData("yes")]
    [InlineData("22:22")]
    [InlineData("0777")]
    [InlineData("say \"hi\" 'there' \\ # not a comment")]
    [InlineData("two\nlines\tand a tab")]
    [InlineData("")]
    public async Task Publish_LiteralValues_ReachTheContainerUnchanged(string value)
    {
        using var temp = new TempDirectory();
        var builder = ComposeTopology.CreateBuilder(temp.File("out"));
        builder.AddContainer("echo", "local/debian", "bookworm").WithEnvironment("VALUE", value).WithArgs("echo", value);
        await ComposeTopology.PublishAsync(builder);

        // What compose itself makes of the file after interpolation is what the container gets; `config` prints a
        // compose file again, so it writes a literal $ as $$ (an interpolated ${HOME} would have become a path).
        var expected = value.Replace("$", "$$", StringComparison.Ordinal);
        var files = new ComposeFiles(temp.File("out"));
        var config = await new DockerCompose(files.Directory, "mlops-config-check").RunCheckedAsync(s_config, "config");
        var stream = new YamlStream();
        stream.Load(new StringReader(config));
        var service = stream.Documents[0].RootNode["services"]["echo"];
        Assert.Equal(expected, ValueAt(service, "environment", "VALUE"));
        Assert.Equal(["echo", expected], ListAt(service, "command"));
    }

    [Fact]
    public async Task Publish_WholeTopology_IsAcceptedByDockerComposeConfig()
    {
        using var temp = new TempDirectory();
        var files = await PublishMlOpsAsync(temp);

        await AssertConfigAcceptsAsync(files);
    }

    [Fact]
    public async Task Publish_DatabasesScript_CreatesMissingDatabasesOnly_WithQuotedNames()
    {
        using var temp = new TempDirectory();
        var builder = ComposeTopology.CreateBuilder(temp.File("out"));
        var pg = builder.AddPostgres("pg").WithImage(ComposeTopology.PostgresImage);
        pg.AddDatabase("orders");
        pg.AddDatabase("odd", "it's \"odd\"");
        await ComposeTopology.PublishAsync(builder);

        var files = new ComposeFiles(temp.File("out"));
        var script = files.Text("pg-databases.sql");
        Assert.Contains("SELECT 'CREATE DATABASE \"orders\"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'orders')\\gexec", script, StringComparison.Ordinal);
        Assert.Contains("SELECT 'CREATE DATABASE \"it''s \"\"odd\"\"\"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'it''s \"odd\"')\\gexec", script, StringComparison.Ordinal);
        var job = files.Service("pg-databases");
        Assert.Equal(["psql"], ListAt(job, "entrypoint"));
        Assert.Equal(["./pg-databases.sql:/docker-entrypoint-databases.d/pg-databases.sql:ro"], ListAt(job, "volumes"));
        Assert.Equal("${PG_PASSWORD}", ValueAt(job, "environment", "PGPASSWORD"));
        Assert.Equal("pg", ValueAt(job, "environment", "PGHOST"));
    }

    [Theory]
    [InlineData("out/stack.yml")]
    [InlineData("out/stack.yaml")]
    public async Task Publish_ToAYamlPath_WritesThatFile_WithTheRestBeside(string output)
    {
        using var temp = new TempDirectory();
        var builder = ComposeTopology.CreateBuilder(temp.File(output));
        builder.AddPostgres("pg").WithImage(ComposeTopology.PostgresImage).AddDatabase("orders");
        await ComposeTopology.PublishAsync(builder);

        Assert.Equal([".env.example", "pg-databases.sql", Path.GetFileName(output)],
            Directory.GetFiles(temp.File("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Publish_BuildSecrets_GoToTheBuildSecretsOverride()
    {
        using var temp = new TempDirectory();
        var builder = ComposeTopology.CreateBuilder(temp.File("out"), "--Parameters:ca-bundle=secret-bundle-text");
        builder.AddDockerfile("tool", ComposeTopology.RepoRoot, "MlOps.Trainer/Dockerfile")
            .WithBuildSecret("ca-certificates", builder.AddParameter("ca-bundle", secret: true));
        await ComposeTopology.PublishAsync(builder);

        var files = new ComposeFiles(temp.File("out"));
        Assert.Null(Mapping((YamlMappingNode)files.Service("tool")["build"], "secrets"));
        var secrets = files.Root("docker-compose.build-secrets.yml");
        Assert.Equal(["ca-certificates"], ListAt(secrets["services"]["tool"], "build", "secrets"));
        Assert.Equal("CA_BUNDLE", ValueAt(secrets, "secrets", "ca-certificates", "environment"));
        Assert.DoesNotContain("secret-bundle-text", files.Text("docker-compose.build-secrets.yml"), StringComparison.Ordinal);
        await AssertConfigAcceptsAsync(files);
    }

    [Fact]
    public async Task Publish_ReferenceToAnExecutable_FailsWithTheReason()
    {
        using var temp = new TempDirectory();
        var builder = ComposeTopology.CreateBuilder(temp.File("out"));
        var tool = builder.AddExecutable("tool", "/bin/true", temp.Path).WithHttpEndpoint(port: 9999);
        builder.AddContainer("api", "local/debian", "bookworm").WithEnvironment("TOOL_URL", tool.GetEndpoint("http"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ComposeTopology.PublishAsync(builder)).DefaultTimeout();

        Assert.Contains("'tool' is referenced through its endpoint 'http' but has no compose service", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("out/docker-compose.yml")));
    }

    private static async Task<ComposeFiles> PublishMlOpsAsync(TempDirectory temp)
    {
        var builder = ComposeTopology.CreateBuilder(temp.File("out"));
        ComposeTopology.AddMlOps(builder, new(18122, 18123));
        await ComposeTopology.PublishAsync(builder);
        return new ComposeFiles(temp.File("out"));
    }

    private static async Task AssertConfigAcceptsAsync(ComposeFiles files, params string[] options)
    {
        await files.WriteEnvAsync(new Dictionary<string, string>());
        var (code, output) = await new DockerCompose(files.Directory, "mlops-config-check").RunAsync(s_config, [.. options, "config", "--quiet"]);
        Assert.True(code == 0, output);
        Assert.DoesNotContain("WARNING", output, StringComparison.Ordinal);
    }
}
