using MlOps.Tracking.Ui.Artifacts;
using MlOps.Tracking.Ui.Components;
using MlOps.Tracking.Ui.Queries;

namespace MlOps.Tracking.Ui;

/// <summary>Hosts the web UI (Razor components, server-rendered; interactive on the server only for live charts)
/// next to the MLflow REST API, on the same port.</summary>
public static class TrackingUiExtensions
{
    public static WebApplicationBuilder AddTrackingUi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The server may run from its build output (tests, `dotnet MlOps.Tracking.dll`): static files (the UI's
        // stylesheet, Blazor's script, plotly.js from its package) are then read where the build left them.
        builder.WebHost.UseStaticWebAssets();

        // From build output MapStaticAssets also adds a catch-all for files added after the build ({**path:file},
        // GET only): it would answer a PUT to an unknown API path with 405. The API's unknown paths stay 404.
        builder.Configuration["DisableStaticAssetNotFoundRuntimeFallback"] ??= "true";
        builder.Services.AddOptions<TrackingUiOptions>().Bind(builder.Configuration.GetSection(TrackingUiOptions.SectionName));
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddSingleton<UiRunQueries>();
        builder.Services.AddSingleton<RunArtifacts>();
        return builder;
    }

    public static WebApplication MapTrackingUi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // The one write the UI offers (moving an alias) is a form post: antiforgery tokens guard it against CSRF.
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
