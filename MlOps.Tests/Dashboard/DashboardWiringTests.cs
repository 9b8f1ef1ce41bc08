using Microsoft.Extensions.DependencyInjection;
using MlOps.Dashboard;
using MlOps.Dashboard.Otlp;
using MlOps.Dashboard.Telemetry;
using MlOps.Hosting;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Dashboard;

/// <summary>AddDashboard publishes the OTLP endpoint and key for the orchestrator and registers the receiver and store.</summary>
public sealed class DashboardWiringTests : IDisposable
{
    private readonly string _appHostDirectory = Directory.CreateTempSubdirectory("mlops-dashboard-wiring-").FullName;

    [Fact]
    public async Task AddDashboard_WithoutKey_GeneratesOneAndPublishesTheGrpcEndpoint()
    {
        var builder = DistributedApplication.CreateBuilder([], _appHostDirectory).AddDashboard();

        Assert.Equal("http://localhost:18889", builder.Configuration["AppHost:OtlpEndpointUrl"]);
        Assert.Matches("^[0-9a-f]{32}$", builder.Configuration["AppHost:OtlpApiKey"]);
        var services = builder.Services.BuildServiceProvider();
        Assert.NotNull(services.GetService<TelemetryRepository>());
        Assert.NotNull(services.GetService<OtlpReceiverHost>());
        await services.DisposeAsync().DefaultTimeout();
    }

    [Fact]
    public async Task AddDashboard_WithSettings_PublishesThem()
    {
        var builder = DistributedApplication.CreateBuilder(
        [
            "--Dashboard:OtlpGrpcUrl", "http://127.0.0.1:4317",
            "--Dashboard:OtlpApiKey", "configured-key",
            "--Dashboard:Telemetry:MaxLogCount", "123",
        ], _appHostDirectory).AddDashboard();

        Assert.Equal("http://127.0.0.1:4317", builder.Configuration["AppHost:OtlpEndpointUrl"]);
        Assert.Equal("configured-key", builder.Configuration["AppHost:OtlpApiKey"]);
        var services = builder.Services.BuildServiceProvider();
        Assert.Equal(123, services.GetRequiredService<TelemetryRepository>().Options.MaxLogCount);
        await services.DisposeAsync().DefaultTimeout();
    }

    public void Dispose() => Directory.Delete(_appHostDirectory, recursive: true);
}
