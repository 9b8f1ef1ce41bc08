using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.AppHost.Browser;

/// <summary>The real AppHost in local mode with Aspire's dashboard (Aspire.Hosting.Testing turns it off unless asked),
/// after its first run (trained, serving healthy), and one headless Chromium (Debian's, never downloaded).</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public static readonly TimeSpan Startup = TimeSpan.FromMinutes(5);

    private readonly AppHostDataDirectory _data = new();
    private HeadlessChromium? _chromium;
    private MlOpsApp? _app;

    public MlOpsApp App => _app ?? throw new InvalidOperationException("not started");

    public IBrowser Browser => _chromium?.Browser ?? throw new InvalidOperationException("not started");

    /// <summary>The login link with the browser token, as the AppHost prints it.</summary>
    public Uri LoginUrl { get; private set; } = null!;

    public Uri DashboardUrl => new(LoginUrl.GetLeftPart(UriPartial.Authority));

    /// <summary>The key of the dashboard's telemetry API (<c>AppHost:DashboardApiKey</c>, sent as <c>x-api-key</c>).</summary>
    public string ApiKey { get; } = Guid.NewGuid().ToString("N");

    public async Task InitializeAsync()
    {
        _app = await MlOpsApp.StartAsync(_data.Path, dashboard: true, $"AppHost:DashboardApiKey={ApiKey}");
        LoginUrl = await _app.App.GetDashboardUrlAsync().DefaultTimeout();
        await _app.WaitForAsync("trainer", MlOpsApp.Completed, Startup);
        await _app.WaitForHealthyAsync("serving", Startup);
        _chromium = await HeadlessChromium.LaunchAsync();
    }

    /// <summary>A new browser context, logged in through the token link, on the Resources page.</summary>
    public async Task<IPage> LoggedInPageAsync()
    {
        var page = await _chromium!.NewPageAsync(DashboardUrl, width: 1600, height: 1000);
        await page.GotoAsync(LoginUrl.ToString()).DefaultTimeout();
        // Blazor renders the grid once its circuit is up: wait for a resource name, not for the first paint.
        await page.GetByText("serving", new() { Exact = true }).First.WaitForAsync(new() { Timeout = 60_000 }).DefaultTimeout(TimeSpan.FromSeconds(90));
        return page;
    }

    /// <summary>Saves a full-page screenshot under <c>.test-results/screenshots/</c>.</summary>
    public static Task ScreenshotAsync(IPage page, string name) => HeadlessChromium.ScreenshotAsync(page, name);

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync().DefaultTimeout(TimeSpan.FromMinutes(3));
        }

        _data.Dispose();
    }
}
