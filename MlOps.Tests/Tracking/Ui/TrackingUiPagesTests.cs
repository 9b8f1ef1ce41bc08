using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Tracking.Ui;

/// <summary>The tracking UI's server-rendered pages read over HTTP from a real server on PostgreSQL: the runs table's
/// pages, sort, MLflow filters and nested runs, the artifact browser's limits, and the alias move's CSRF guard.</summary>
public sealed partial class TrackingUiPagesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task RunsTable_PagesSortsAndFiltersWithMlflowSyntax()
    {
        await using var site = await UiSite.StartAsync(postgres);
        var experiment = await site.Client.CreateExperimentAsync("many-runs").DefaultTimeout();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 120; i++)
        {
            // The higher the score, the later the start: newest first (the default) is the reverse of score ascending.
            var run = await site.Client.CreateRunAsync(experiment, $"run-{i:000}", startTime: now.AddSeconds(i - 120)).DefaultTimeout();
            await site.Client.LogBatchAsync(run.Info.RunId, [new Metric("score", i / 120.0, now.ToUnixTimeMilliseconds())],
                [new Param("group", (i % 3).ToString(CultureInfo.InvariantCulture))], []).DefaultTimeout();
        }

        var (status, first) = await site.PageAsync($"/experiments/{experiment}?size=50");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-total=\"120\"", first, StringComparison.Ordinal);
        Assert.Contains("data-pages=\"3\"", first, StringComparison.Ordinal);
        Assert.Equal([.. Enumerable.Range(0, 50).Select(i => $"run-{119 - i:000}")], UiSite.RunNames(first));

        var (_, last) = await site.PageAsync($"/experiments/{experiment}?size=50&page=3");
        Assert.Equal([.. Enumerable.Range(100, 20).Select(i => $"run-{119 - i:000}")], UiSite.RunNames(last));

        var (_, byScore) = await site.PageAsync($"/experiments/{experiment}?size=10&sort=metrics.score&dir=asc&col=metrics.score");
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => $"run-{i:000}")], UiSite.RunNames(byScore));
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => FormatScore(i))], UiSite.Column(byScore, "metrics.score"));

        var filter = Uri.EscapeDataString("metrics.score >= 0.5 and params.group = '1'");
        var (_, filtered) = await site.PageAsync($"/experiments/{experiment}?size=100&col=params.group&filter={filter}");
        var expected = Enumerable.Range(0, 120).Reverse().Where(i => i / 120.0 >= 0.5 && i % 3 == 1).Select(i => $"run-{i:000}").ToList();
        Assert.Equal(expected, UiSite.RunNames(filtered));
        Assert.All(UiSite.Column(filtered, "params.group"), value => Assert.Equal("1", value));
        Assert.Contains($"data-total=\"{expected.Count}\"", filtered, StringComparison.Ordinal);

        var (badStatus, bad) = await site.PageAsync($"/experiments/{experiment}?filter={Uri.EscapeDataString("metrics.score >> 1")}");
        Assert.Equal(HttpStatusCode.OK, badStatus);
        Assert.Contains("data-section=\"filter-error\"", bad, StringComparison.Ordinal);
        Assert.Contains("Invalid comparator", bad, StringComparison.Ordinal);
        Assert.Empty(UiSite.RunNames(bad));
    }

    [Fact]
    public async Task NestedRuns_AreGroupedUnderTheirParent_AndLinkedBothWays()
    {
        await using var site = await UiSite.StartAsync(postgres);
        var experiment = await site.Client.CreateExperimentAsync("tuning").DefaultTimeout();
        var now = DateTimeOffset.UtcNow;
        var parent = (await site.Client.CreateRunAsync(experiment, "tune", startTime: now.AddSeconds(-10)).DefaultTimeout()).Info.RunId;
        var children = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var child = await site.Client.CreateRunAsync(
                experiment, $"trial-{i}", [new RunTag("mlflow.parentRunId", parent)], startTime: now.AddSeconds(i - 3)).DefaultTimeout();
            children.Add(child.Info.RunId);
        }

        await site.Client.CreateRunAsync(experiment, "lonely", startTime: now).DefaultTimeout();

        var (_, table) = await site.PageAsync($"/experiments/{experiment}");
        Assert.Contains("data-total=\"5\"", table, StringComparison.Ordinal);
        Assert.Contains("(2 top-level)", table, StringComparison.Ordinal);
        var groups = Regex.Matches(table, "<tbody class=\"group[^\"]*\">(.*?)</tbody>", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, groups.Count);
        var tune = Assert.Single(groups, g => g.Contains("data-run-name=\"tune\"", StringComparison.Ordinal));
        Assert.Equal(3, Regex.Count(tune, "<tr class=\"child\""));
        Assert.Equal(["trial-2", "trial-1", "trial-0"], UiSite.RunNames(tune).Skip(1));

        var (_, parentPage) = await site.PageAsync($"/runs/{parent}");
        Assert.All(children, child => Assert.Contains($"href=\"runs/{child}\"", parentPage, StringComparison.Ordinal));
        var (_, childPage) = await site.PageAsync($"/runs/{children[0]}");
        Assert.Contains($"<a href=\"runs/{parent}\">tune</a>", childPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NestedRuns_AreLeftOutOfThePagesOfTopLevelRuns_WhateverTheSort()
    {
        await using var site = await UiSite.StartAsync(postgres);
        var experiment = await site.Client.CreateExperimentAsync("tuning-pages").DefaultTimeout();
        var now = DateTimeOffset.UtcNow;
        var parent = (await site.Client.CreateRunAsync(experiment, "tune", startTime: now.AddSeconds(-100)).DefaultTimeout()).Info.RunId;
        await site.Client.LogBatchAsync(parent, [new Metric("score", 0.55, 0)], [], []).DefaultTimeout();
        for (var i = 0; i < 85; i++)
        {
            // Every third run is a trial of "tune"; scores interleave trials and top-level runs.
            var tags = i % 3 == 0 ? new[] { new RunTag("mlflow.parentRunId", parent) } : [];
            var run = await site.Client.CreateRunAsync(experiment, $"run-{i:000}", tags, startTime: now.AddSeconds(i - 85)).DefaultTimeout();
            await site.Client.LogBatchAsync(run.Info.RunId, [new Metric("score", i / 85.0, 0)], [], []).DefaultTimeout();
        }

        var topLevel = Enumerable.Range(0, 85).Where(i => i % 3 != 0).Select(i => $"run-{i:000}").Append("tune").ToHashSet();
        foreach (var sort in new[] { "", "&sort=metrics.score&dir=desc", "&sort=run_name&dir=asc" })
        {
            var seen = new List<string>();
            for (var page = 1; page <= 3; page++)
            {
                var (_, html) = await site.PageAsync($"/experiments/{experiment}?size=20&page={page}{sort}");
                seen.AddRange(UiSite.TopLevelRunNames(html));
                Assert.Contains("data-pages=\"3\"", html, StringComparison.Ordinal);
                if (html.Contains("data-run-name=\"tune\"", StringComparison.Ordinal))
                {
                    Assert.Equal(29, Regex.Count(html, "<tr class=\"child\""));
                }
            }

            Assert.Equal(topLevel.Count, seen.Count);
            Assert.Equal(topLevel, seen.ToHashSet());
        }

        var (_, byScore) = await site.PageAsync($"/experiments/{experiment}?size=20&sort=metrics.score&dir=desc&col=metrics.score");
        Assert.Equal(["run-083", "run-082", "run-080", "run-079", "run-077"], UiSite.TopLevelRunNames(byScore).Take(5));
    }

    [Fact]
    public async Task RunPage_PreviewsTextArtifacts_AndRefusesPathsOutsideTheRun()
    {
        await using var site = await UiSite.StartAsync(postgres);
        var experiment = await site.Client.CreateExperimentAsync("artifacts").DefaultTimeout();
        var run = (await site.Client.CreateRunAsync(experiment, "with-files").DefaultTimeout()).Info;
        var other = (await site.Client.CreateRunAsync(experiment, "other").DefaultTimeout()).Info;
        await site.Client.UploadArtifactAsync(run.ArtifactUri, "model/card.json", new MemoryStream("{\"a\":1,\"b\":[2,3]}"u8.ToArray())).DefaultTimeout();
        await site.Client.UploadArtifactAsync(other.ArtifactUri, "secret.txt", new MemoryStream("other run's secret"u8.ToArray())).DefaultTimeout();

        var (_, preview) = await site.PageAsync($"/runs/{run.RunId}?file=model%2Fcard.json");
        Assert.Contains("data-preview=\"model/card.json\"", preview, StringComparison.Ordinal);
        Assert.Contains("\"b\": [\n    2,", WebUtility.HtmlDecode(preview), StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/2.0/mlflow-artifacts/artifacts/{experiment}/{run.RunId}/artifacts/model/card.json\"", preview, StringComparison.Ordinal);

        // A path that climbs out is refused; a rooted one is read inside the run's folder, where it does not exist.
        foreach (var (path, answer) in new[]
        {
            ($"../../{other.RunId}/artifacts/secret.txt", "Invalid artifact path"),
            ("%2E%2E/%2E%2E/%2E%2E/etc/passwd", "Invalid artifact path"),
            ("/etc/passwd", "No such file in this run"),
        })
        {
            var (status, refused) = await site.PageAsync($"/runs/{run.RunId}?file={Uri.EscapeDataString(path)}");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains(answer, refused, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", refused, StringComparison.Ordinal);
            Assert.DoesNotContain("root:", refused, StringComparison.Ordinal);
            Assert.DoesNotContain(site.ArtifactsRoot, refused, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AliasMove_WithoutTheAntiforgeryToken_IsRefused_WithItMovesTheAlias()
    {
        await using var site = await UiSite.StartAsync(postgres);
        var experiment = await site.Client.CreateExperimentAsync("registry").DefaultTimeout();
        var run = (await site.Client.CreateRunAsync(experiment, "r").DefaultTimeout()).Info.RunId;
        await site.Client.CreateRegisteredModelAsync("guarded").DefaultTimeout();
        await site.Client.CreateModelVersionAsync("guarded", $"runs:/{run}/model", run).DefaultTimeout();
        await site.Client.CreateModelVersionAsync("guarded", $"runs:/{run}/model", run).DefaultTimeout();
        await site.Client.SetRegisteredModelAliasAsync("guarded", "production", "1").DefaultTimeout();

        // A cross-site form post carries no token: refused, nothing moved.
        using (var forged = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "move-alias", ["MoveAlias"] = "production", ["MoveVersion"] = "2",
        }))
        {
            using var response = await site.Browser.PostAsync(new Uri(ConfirmPage, UriKind.Relative), forged).DefaultTimeout();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal("1", (await site.Client.GetModelVersionByAliasAsync("guarded", "production").DefaultTimeout()).Version);

        // The confirmation page's own form carries it.
        var (_, confirm) = await site.PageAsync(ConfirmPage);
        Assert.Contains("It points to version 1 today", confirm, StringComparison.Ordinal);
        var token = Token().Match(confirm).Groups[1].Value;
        Assert.NotEmpty(token);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "move-alias", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["MoveAlias"] = "production", ["MoveVersion"] = "2",
        });
        using var moved = await site.Browser.PostAsync(new Uri(ConfirmPage, UriKind.Relative), form).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Contains("moved=production&to=2", moved.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("2", (await site.Client.GetModelVersionByAliasAsync("guarded", "production").DefaultTimeout()).Version);
    }

    [Theory]
    [InlineData("/runs/0123456789abcdef")]
    [InlineData("/models/no-such-model")]
    [InlineData("/experiments/424242")]
    public async Task UnknownRunModelOrExperiment_Answers404_WithAPage(string path)
    {
        await using var site = await UiSite.StartAsync(postgres);
        var (status, html) = await site.PageAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("data-section=\"not-found\"", html, StringComparison.Ordinal);
        Assert.Contains($"Nothing at <code>{path}</code>", html, StringComparison.Ordinal);
    }

    // The confirmation step of moving production to version 2: the page whose form posts the move.
    private const string ConfirmPage = "/models/guarded?alias=production&version=2";

    // What the page prints for a metric: up to four decimals, invariant.
    private static string FormatScore(int i) => (i / 120.0).ToString("0.####", CultureInfo.InvariantCulture);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
