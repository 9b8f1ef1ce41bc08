using System.Net;
using System.Text.RegularExpressions;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Tracking.Ui;

/// <summary>A real tracking server of its own (fresh database and artifact folder) read as a browser reads it, page
/// HTML over HTTP with cookies, and written through the typed MLflow client.</summary>
internal sealed partial class UiSite : IAsyncDisposable
{
    private readonly TrackingServerHost _server;
    private readonly HttpClient _api;

    private UiSite(TrackingServerHost server)
    {
        _server = server;
        _api = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client = new MlflowClient(_api);
        Browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = server.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public MlflowClient Client { get; }

    /// <summary>Keeps cookies, does not follow redirects.</summary>
    public HttpClient Browser { get; }

    public string ArtifactsRoot => _server.ArtifactsRoot;

    public static async Task<UiSite> StartAsync(PostgresFixture postgres, params string[] settings) =>
        new(await TrackingServerHost.StartAsync(postgres, settings));

    /// <summary>GETs a page and answers its status and HTML.</summary>
    public async Task<(HttpStatusCode Status, string Html)> PageAsync(string path)
    {
        using var response = await Browser.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
        return (response.StatusCode, await response.Content.ReadAsStringAsync().DefaultTimeout());
    }

    /// <summary>The run names of the runs table's rows, in order.</summary>
    public static List<string> RunNames(string html) => [.. RowName().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    /// <summary>The run names of the top-level rows only, in order.</summary>
    public static List<string> TopLevelRunNames(string html) =>
        [.. RowName().Matches(html).Where(m => m.Value.StartsWith("<tr class=\"\"", StringComparison.Ordinal)).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    /// <summary>The text of the cells of one column of the runs table, in row order.</summary>
    public static List<string> Column(string html, string column) =>
        [.. Regex.Matches(html, $"data-column=\"{Regex.Escape(column)}\">([^<]*)</td>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    public async ValueTask DisposeAsync()
    {
        Browser.Dispose();
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [GeneratedRegex("<tr class=\"[^\"]*\" data-run=\"[0-9a-f]+\" data-run-name=\"([^\"]*)\"")]
    private static partial Regex RowName();
}
