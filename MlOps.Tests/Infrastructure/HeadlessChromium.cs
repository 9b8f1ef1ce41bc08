using Microsoft.Playwright;

namespace MlOps.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, never a downloaded browser) driven headless by Playwright, one per
/// test class; <see cref="ScreenshotAsync"/> saves full pages under <c>.test-results/screenshots/</c>.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium package (test.sh does).");
        }

        var playwright = await Playwright.CreateAsync().DefaultTimeout();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox"],
            Timeout = 60_000,
        }).DefaultTimeout();
        return new HeadlessChromium(playwright, browser);
    }

    /// <summary>A page in a new context whose relative URLs resolve against <paramref name="baseUrl"/>.</summary>
    public async Task<IPage> NewPageAsync(Uri baseUrl, int width = 1400, int height = 900)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = baseUrl.ToString(), ViewportSize = new() { Width = width, Height = height } })
            .DefaultTimeout();
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync().DefaultTimeout();
    }

    /// <summary>Saves a full-page screenshot as <c>.test-results/screenshots/NAME.png</c> at the repository root.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestRepository.Root, ".test-results", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true }).DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync().DefaultTimeout();
        _playwright.Dispose();
    }
}
