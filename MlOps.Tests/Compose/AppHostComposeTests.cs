using static MlOps.Tests.Compose.ComposeFiles;
using TempDirectory = MlOps.Tests.Infrastructure.TempDirectory;

namespace MlOps.Tests.Compose;

/// <summary>The real AppHost's compose export, read back (no containers started; <see cref="ComposeUpTests"/> starts them).</summary>
public sealed class AppHostComposeTests
{
    [Fact]
    public async Task Publish_RealAppHost_TopologyProfilesGpuOverrideAndNoSecretValues()
    {
        using var temp = new TempDirectory();
        const string password = "pgPassword7d2e41";
        const string adminKey = "adminKey0b93fa";
        var files = await AppHostCompose.PublishAsync(temp.File("compose"),
            [.. AppHostCompose.LocalImages("check", new(15001, 15002)), $"--Parameters:postgres-password={password}", $"--Parameters:serving-admin-key={adminKey}"]);

        Assert.Equal(["postgres", "postgres-databases", "mlflow", "data", "trainer", "serving"], Keys(files.Root()["services"]));
        Assert.Equal(["train"], ListAt(files.Service("trainer"), "profiles"));
        Assert.Equal(["trainer"], Keys(files.Root("docker-compose.gpu.yml")["services"]));
        Assert.Equal("local/postgres:15", ValueAt(files.Service("postgres"), "image"));
        Assert.Equal(ComposeTopology.RuntimeImage, ValueAt(files.Service("serving"), "build", "args", "RUNTIME_IMAGE"));
        Assert.Equal(["mlops-compose-check-mlflow-artifacts", "mlops-compose-check-postgres-data", "mlops-compose-check-training-data"],
            Keys(files.Root()["volumes"]));
        foreach (var name in Directory.GetFiles(files.Directory).Select(Path.GetFileName))
        {
            Assert.DoesNotContain(password, files.Text(name!), StringComparison.Ordinal);
            Assert.DoesNotContain(adminKey, files.Text(name!), StringComparison.Ordinal);
        }

        Assert.Equal("${SERVING_ADMIN_KEY}", ValueAt(files.Service("serving"), "environment", "Admin__ApiKey"));
        var env = files.Text(".env.example").Split('\n');
        Assert.Contains("POSTGRES_PASSWORD=", env);
        Assert.Contains("SERVING_ADMIN_KEY=", env);
    }
}
