using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.FluentUI.AspNetCore.Components;
using MlOps.Dashboard.Api;
using MlOps.Dashboard.Components;
using MlOps.Dashboard.Peers;
using MlOps.Dashboard.Telemetry;
using MlOps.Hosting;
using MlOps.Hosting.Orchestration;

namespace MlOps.Dashboard;

/// <summary>Runs the dashboard's web server inside the AppHost process, sharing the orchestrator's services.</summary>
internal sealed class DashboardWebHost(
    IOptions<DashboardOptions> options,
    DashboardAuthentication authentication,
    IServiceProvider appHostServices,
    ILogger<DashboardWebHost> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The address the server listens on once started.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var url = new Uri(settings.Url);
        if (!settings.AllowRemote && !IsLoopback(url.Host))
        {
            throw new DistributedApplicationException($"Dashboard:Url '{settings.Url}' is not a loopback address; set Dashboard:AllowRemote=true to allow it.");
        }

        // The entry assembly is the AppHost: name the dashboard as the application so that its static web assets
        // manifest (wwwroot and packages' _content) is the one found.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DashboardWebHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        // The AppHost runs from its build output: static files are read where the build left them (wwwroot,
        // packages' staticwebassets) through the dashboard's runtime manifest, in every environment.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.UseUrls(settings.Url);
        builder.Services.ConfigureHttpJsonOptions(o => DashboardJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(appHostServices.GetRequiredService<ResourceNotificationService>());
        builder.Services.AddSingleton(appHostServices.GetRequiredService<ResourceLoggerService>());
        builder.Services.AddSingleton(appHostServices.GetRequiredService<IResourceCommandService>());
        builder.Services.AddSingleton(appHostServices.GetRequiredService<TelemetryRepository>());
        builder.Services.AddSingleton(authentication);
        builder.Services.AddSingleton<PeerServiceResolver>();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddFluentUIComponents();
        var app = builder.Build();
        app.Use((context, next) => DashboardLogin.RequireLoginAsync(context, next, authentication));
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapLogin();
        app.MapConsoleLogDownload();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapResourcesApi();
        app.MapTelemetryApi();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new DistributedApplicationException($"The dashboard cannot listen on {settings.Url}: {ex.Message} (set Dashboard:Url to another port).", ex);
        }

        _app = app;
        Address = new Uri(app.Urls.First());
        logger.LogInformation("Dashboard listening on {Address}", Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopWithinBudgetAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool IsLoopback(string host) =>
        host is "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
