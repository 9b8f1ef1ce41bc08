using Microsoft.Playwright;
using MlOps.Hosting.Orchestration;
using MlOps.Tests.AppHost;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Dashboard.Browser;

/// <summary>The real AppHost in local mode after its first run (trained, serving healthy) and one headless Chromium
/// (Debian's, never downloaded) for the browser tests of one class.</summary>
public sealed class DashboardBrowserFixture : IAsyncLifetime
{
    public static readonly TimeSpan Startup = TimeSpan.FromMinutes(4);

    private readonly AppHostDataDirectory _data = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private AppHostProcess? _host;

    public AppHostProcess Host => _host ?? throw new InvalidOperationException("not started");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    public Uri DashboardUrl => Host.Api.BaseAddress!;

    public async Task InitializeAsync()
    {
        _host = await AppHostProcess.StartAsync(_data.Path);
        await _host.WaitForAsync("trainer", s => s.State == ResourceState.Finished, Startup);
        await _host.WaitForHealthyAsync("serving", Startup);
        _playwright = await Playwright.CreateAsync().DefaultTimeout();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox"],
            Timeout = 60_000,
        }).DefaultTimeout();
    }

    /// <summary>A new browser context logged in through the token link, on the Resources page, interactive.</summary>
    public async Task<IPage> LoggedInPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = DashboardUrl.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } }).DefaultTimeout();
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync().DefaultTimeout();
        await page.GotoAsync($"/login?t={Host.Token}").DefaultTimeout();
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>Waits until the Blazor circuit has taken over the prerendered page.</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("main[data-interactive=true]").WaitForAsync(new() { Timeout = 30_000 }).DefaultTimeout();

    /// <summary>Saves a full-page screenshot under <c>.test-results/screenshots/</c>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppHostProcess.RepositoryRoot, ".test-results", "screenshots");
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
        if (_host is not null)
        {
            await _host.DisposeAsync().DefaultTimeout(TimeSpan.FromSeconds(90));
        }

        _data.Dispose();
    }
}
