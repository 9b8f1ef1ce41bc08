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
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private MlOpsApp? _app;

    public MlOpsApp App => _app ?? throw new InvalidOperationException("not started");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

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
        _playwright = await Playwright.CreateAsync().DefaultTimeout();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox"],
            Timeout = 60_000,
        }).DefaultTimeout();
    }

    /// <summary>A new browser context, logged in through the token link, on the Resources page.</summary>
    public async Task<IPage> LoggedInPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = DashboardUrl.ToString(), ViewportSize = new() { Width = 1600, Height = 1000 } }).DefaultTimeout();
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync().DefaultTimeout();
        await page.GotoAsync(LoginUrl.ToString()).DefaultTimeout();
        // Blazor renders the grid once its circuit is up: wait for a resource name, not for the first paint.
        await page.GetByText("serving", new() { Exact = true }).First.WaitForAsync(new() { Timeout = 60_000 }).DefaultTimeout(TimeSpan.FromSeconds(90));
        return page;
    }

    /// <summary>Saves a full-page screenshot under <c>.test-results/screenshots/</c>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestRepository.Root, ".test-results", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true }).DefaultTimeout();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync().DefaultTimeout();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync().DefaultTimeout(TimeSpan.FromMinutes(3));
        }

        _data.Dispose();
    }
}
