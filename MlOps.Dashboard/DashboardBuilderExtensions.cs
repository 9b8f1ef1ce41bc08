using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Dashboard.Otlp;
using MlOps.Dashboard.Telemetry;
using MlOps.Hosting;

namespace MlOps.Dashboard;

/// <summary>Adds the dashboard to an AppHost (run mode only).</summary>
public static class DashboardBuilderExtensions
{
    /// <summary>Runs the dashboard in the AppHost process (web UI, JSON API, OTLP receiver) and prints its login link.
    /// Settings: section <c>Dashboard</c>. Publishes the OTLP endpoint and key for the orchestrator as
    /// <c>AppHost:OtlpEndpointUrl</c> and <c>AppHost:OtlpApiKey</c>.</summary>
    public static DistributedApplicationBuilder AddDashboard(this DistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(DashboardOptions.SectionName).Get<DashboardOptions>() ?? new DashboardOptions();
        if (!builder.ExecutionContext.IsRunMode || !options.Enabled)
        {
            return builder;
        }

        options.BrowserToken = string.IsNullOrEmpty(options.BrowserToken) ? DashboardAuthentication.NewToken() : options.BrowserToken;
        options.OtlpApiKey = string.IsNullOrEmpty(options.OtlpApiKey) ? OtlpApiKey.NewKey() : options.OtlpApiKey;
        builder.Configuration["AppHost:OtlpEndpointUrl"] = options.OtlpGrpcUrl;
        builder.Configuration["AppHost:OtlpApiKey"] = options.OtlpApiKey;
        builder.Services.AddDashboardServices(options);
        return builder;
    }

    /// <summary>The dashboard's services: the telemetry store, the OTLP receiver and the web host (both hosted), the
    /// login link. <paramref name="options"/> must carry the token and key already.</summary>
    internal static IServiceCollection AddDashboardServices(this IServiceCollection services, DashboardOptions options)
    {
        var token = options.BrowserToken!;
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(new DashboardAuthentication(token));
        services.AddSingleton(new TelemetryRepository(options.Telemetry));
        services.AddSingleton(sp => new OtlpReceiverHost(
            new OtlpReceiverOptions { GrpcUrl = options.OtlpGrpcUrl, HttpUrl = options.OtlpHttpUrl, ApiKey = options.OtlpApiKey },
            sp.GetRequiredService<TelemetryRepository>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<OtlpReceiverHost>());
        services.AddSingleton<DashboardWebHost>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardWebHost>());
        services.AddSingleton<IDashboardLink>(sp => new DashboardLink(sp.GetRequiredService<DashboardWebHost>(), token));
        return services;
    }
}
