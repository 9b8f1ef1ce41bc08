using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace MlOps.Tests.Tracking.Ui;

/// <summary>The tracking UI in Debian's Chromium against a real tracking server on PostgreSQL holding runs made by
/// our trainer: the walk a newcomer takes, and a training followed live. Screenshots of each page go to
/// <c>.test-results/screenshots/tracking-*.png</c>.</summary>
public sealed partial class TrackingUiBrowserTests(TrackingUiFixture fixture) : IClassFixture<TrackingUiFixture>
{
    private const float Wait = 30_000;

    [Fact]
    public async Task Newcomer_WalksFromExperimentsToRunsFilterRunCompareAndRegistry_AndMovesTheProductionAlias()
    {
        var (wide, narrow) = (fixture.TrainedRunIds[0], fixture.TrainedRunIds[1]);
        var page = await fixture.Chromium.NewPageAsync(fixture.Server.BaseAddress);

        // Home: the experiment, the latest runs and what is in production, without a click.
        await page.GotoAsync("/").DefaultTimeout();
        await Expect(page.Locator($"[data-section=models] [data-model='{TrackingUiFixture.Model}'] [data-alias=production]"))
            .ToBeVisibleAsync(new() { Timeout = Wait });
        await Expect(page.Locator("[data-section=latest-runs] tr[data-run]")).ToHaveCountAsync(2, new() { Timeout = Wait });
        await HeadlessChromium.ScreenshotAsync(page, "tracking-home");

        // Experiment → its runs table, newest first, with the chosen metric and param columns.
        await page.Locator($"tr[data-experiment='{TrackingUiFixture.Experiment}'] a").ClickAsync().DefaultTimeout();
        await Expect(page).ToHaveURLAsync(new Regex($"/experiments/{fixture.ExperimentId}$"), new() { Timeout = Wait });
        var rows = page.Locator("table.runs tr[data-run]");
        await Expect(rows).ToHaveCountAsync(2, new() { Timeout = Wait });
        await Expect(rows.First).ToHaveAttributeAsync("data-run", narrow, new() { Timeout = Wait });
        await Expect(page.Locator($"tr[data-run='{wide}'] td[data-column='params.num_leaves']")).ToHaveTextAsync("31", new() { Timeout = Wait });
        await Expect(page.Locator($"tr[data-run='{wide}'] td[data-column='metrics.test_pr_auc']")).ToHaveTextAsync(Number(), new() { Timeout = Wait });
        await HeadlessChromium.ScreenshotAsync(page, "tracking-runs");

        // Filter with MLflow's syntax.
        await page.Locator("form.search input[name=filter]").FillAsync("metrics.test_pr_auc > 0.1 and params.num_leaves = '15'").DefaultTimeout();
        await page.Locator("form.search button[type=submit]").ClickAsync().DefaultTimeout();
        await Expect(rows).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Expect(rows.First).ToHaveAttributeAsync("data-run", narrow, new() { Timeout = Wait });
        await HeadlessChromium.ScreenshotAsync(page, "tracking-runs-filtered");

        // The run: curves drawn by plotly once interactive, the plots inline, the trace linked, MLmodel previewed.
        await page.Locator($"tr[data-run='{narrow}'] td.name a").ClickAsync().DefaultTimeout();
        await Expect(page).ToHaveURLAsync(new Regex($"/runs/{narrow}$"), new() { Timeout = Wait });
        await WaitForChartsAsync(page);
        var curve = page.Locator("figure.chart[data-metric=valid_pr_auc]");
        await Expect(curve.Locator("svg.main-svg").First).ToBeVisibleAsync(new() { Timeout = Wait });
        Assert.True(await PlottedPointsAsync(page, "valid_pr_auc", trace: 0) >= 10);
        await Expect(page.Locator("figure.chart[data-metric=valid_logloss] svg.main-svg").First).ToBeVisibleAsync(new() { Timeout = Wait });
        var plot = page.Locator("[data-plot='plots/pr_curve.png'] img");
        await plot.ScrollIntoViewIfNeededAsync().DefaultTimeout();
        await Expect(plot).ToBeVisibleAsync(new() { Timeout = Wait });
        Assert.True(await plot.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0").DefaultTimeout() > 100);
        await Expect(page.Locator("[data-fact=trace] a")).ToHaveAttributeAsync(
            "href", TraceLink(), new() { Timeout = Wait });
        await Expect(page.Locator("[data-section=datasets] tr[data-dataset='transactions.csv']")).ToBeVisibleAsync(new() { Timeout = Wait });
        await page.Locator("[data-artifact='model'] a").First.ClickAsync().DefaultTimeout();
        await page.Locator("[data-artifact='model/MLmodel'] a").First.ClickAsync().DefaultTimeout();
        await Expect(page.Locator(".preview pre")).ToContainTextAsync("flavors", new() { Timeout = Wait });
        await Expect(page.Locator(".preview pre")).ToContainTextAsync(narrow, new() { Timeout = Wait });
        await WaitForChartsAsync(page);
        await HeadlessChromium.ScreenshotAsync(page, "tracking-run");

        // Compare both trainings: the param that differs is highlighted, the curves overlaid.
        await page.GotoAsync($"/experiments/{fixture.ExperimentId}").DefaultTimeout();
        await page.Locator($"tr[data-run='{wide}'] input[name=runs]").CheckAsync().DefaultTimeout();
        await page.Locator($"tr[data-run='{narrow}'] input[name=runs]").CheckAsync().DefaultTimeout();
        await page.Locator("button[data-action=compare]").ClickAsync().DefaultTimeout();
        await Expect(page).ToHaveURLAsync(new Regex("/compare\\?runs="), new() { Timeout = Wait });
        var leaves = page.Locator("[data-section=compare-params] tr[data-key=num_leaves]");
        await Expect(leaves).ToHaveAttributeAsync("data-differs", "true", new() { Timeout = Wait });
        await Expect(leaves).ToHaveClassAsync(new Regex("\\bdiff\\b"), new() { Timeout = Wait });
        await Expect(page.Locator("[data-section=compare-params] tr[data-key=seed]")).ToHaveAttributeAsync("data-differs", "false", new() { Timeout = Wait });
        await WaitForChartsAsync(page);
        await Expect(page.Locator("figure.chart[data-metric=valid_pr_auc] g.trace")).ToHaveCountAsync(2, new() { Timeout = Wait });
        await HeadlessChromium.ScreenshotAsync(page, "tracking-compare");

        // Registry: move production to the version that is not in production, confirmed; checked through the REST API.
        await page.Locator("header.topbar a[href=models]").ClickAsync().DefaultTimeout();
        await Expect(page.Locator($"tr[data-model='{TrackingUiFixture.Model}']")).ToBeVisibleAsync(new() { Timeout = Wait });
        await HeadlessChromium.ScreenshotAsync(page, "tracking-models");
        await page.Locator($"tr[data-model='{TrackingUiFixture.Model}'] td.name a").ClickAsync().DefaultTimeout();
        var production = await fixture.Client.GetModelVersionByAliasAsync(TrackingUiFixture.Model, "production").DefaultTimeout();
        var target = production.Version == "1" ? "2" : "1";
        await Expect(page.Locator($"tr[data-version='{production.Version}'] [data-alias=production]")).ToBeVisibleAsync(new() { Timeout = Wait });
        await page.Locator("[data-section=move] input[name=alias]").FillAsync("production").DefaultTimeout();
        await page.Locator("[data-section=move] select[name=version]").SelectOptionAsync(target).DefaultTimeout();
        await page.Locator("button[data-action=review-move]").ClickAsync().DefaultTimeout();
        await Expect(page.Locator("[data-section=confirm-move]")).ToContainTextAsync($"It points to version {production.Version} today", new() { Timeout = Wait });
        Assert.Equal(production.Version, (await fixture.Client.GetModelVersionByAliasAsync(TrackingUiFixture.Model, "production").DefaultTimeout()).Version);
        await HeadlessChromium.ScreenshotAsync(page, "tracking-move-alias");
        await page.Locator("button[data-action=confirm-move]").ClickAsync().DefaultTimeout();
        await Expect(page.Locator("[data-section=moved]")).ToContainTextAsync($"now points to version {target}", new() { Timeout = Wait });
        await Expect(page.Locator($"tr[data-version='{target}'] [data-alias=production]")).ToBeVisibleAsync(new() { Timeout = Wait });
        var moved = await fixture.Client.GetModelVersionByAliasAsync(TrackingUiFixture.Model, "production").DefaultTimeout();
        Assert.Equal(target, moved.Version);
        await HeadlessChromium.ScreenshotAsync(page, "tracking-model");
    }

    [Fact]
    public async Task RunningTraining_CurvesGrowWithoutAReload_AndThePageShowsWhenItEnds()
    {
        var experiment = await fixture.Client.CreateExperimentAsync($"live-{Guid.NewGuid():N}").DefaultTimeout();
        var run = (await fixture.Client.CreateRunAsync(experiment, "live-training").DefaultTimeout()).Info.RunId;
        await LogIterationsAsync(run, 0, 5);
        var page = await fixture.Chromium.NewPageAsync(fixture.Server.BaseAddress);
        await page.GotoAsync($"/runs/{run}").DefaultTimeout();
        await Expect(page.Locator(".charts[data-interactive=true][data-live=true]")).ToBeVisibleAsync(new() { Timeout = Wait });
        await Expect(page.Locator("figure.chart[data-metric=valid_pr_auc]")).ToHaveAttributeAsync("data-points", "5", new() { Timeout = Wait });
        await page.EvaluateAsync("() => window.notReloaded = true").DefaultTimeout();

        await LogIterationsAsync(run, 5, 25);
        await Expect(page.Locator("figure.chart[data-metric=valid_pr_auc]")).ToHaveAttributeAsync("data-points", "25", new() { Timeout = Wait });
        Assert.Equal(25, await PlottedPointsAsync(page, "valid_pr_auc", trace: 0));
        await Expect(page.Locator("[data-section=metrics] tr[data-key=valid_pr_auc] td")).ToHaveTextAsync("0.74", new() { Timeout = Wait });
        await HeadlessChromium.ScreenshotAsync(page, "tracking-live");

        await fixture.Client.SetTerminatedAsync(run, RunStatus.Finished).DefaultTimeout();
        await Expect(page.Locator("header.page-head [data-status]")).ToHaveAttributeAsync("data-status", "FINISHED", new() { Timeout = Wait });
        await Expect(page.Locator(".charts[data-live=false]")).ToBeVisibleAsync(new() { Timeout = Wait });
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true").DefaultTimeout());
    }

    [Fact]
    public async Task NestedRuns_OpenUnderTheirParent_WithoutAReload()
    {
        var experiment = await fixture.Client.CreateExperimentAsync($"tuning-{Guid.NewGuid():N}").DefaultTimeout();
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var parent = (await fixture.Client.CreateRunAsync(experiment, "tune", startTime: start).DefaultTimeout()).Info.RunId;
        for (var i = 0; i < 4; i++)
        {
            var trial = (await fixture.Client.CreateRunAsync(
                experiment, $"trial-{i}", [new RunTag("mlflow.parentRunId", parent)], startTime: start.AddMinutes(i + 1)).DefaultTimeout()).Info.RunId;
            await fixture.Client.LogBatchAsync(trial, [new Metric("test_pr_auc", 0.5 + i / 10.0, start.ToUnixTimeMilliseconds())],
                [new Param("num_leaves", (15 + 16 * i).ToString(System.Globalization.CultureInfo.InvariantCulture))], []).DefaultTimeout();
            await fixture.Client.SetTerminatedAsync(trial, RunStatus.Finished).DefaultTimeout();
        }

        await fixture.Client.SetTerminatedAsync(parent, RunStatus.Finished).DefaultTimeout();
        var page = await fixture.Chromium.NewPageAsync(fixture.Server.BaseAddress);
        await page.GotoAsync($"/experiments/{experiment}?sort=metrics.test_pr_auc&dir=desc").DefaultTimeout();
        var trials = page.Locator("tr.child");
        await Expect(page.Locator("table.runs tr[data-run]:not(.child)")).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Expect(trials).ToHaveCountAsync(4, new() { Timeout = Wait });
        await Expect(trials.First).ToBeHiddenAsync(new() { Timeout = Wait });

        await page.Locator($"tr[data-run='{parent}'] label.expander").ClickAsync().DefaultTimeout();
        await Expect(trials.First).ToBeVisibleAsync(new() { Timeout = Wait });
        Assert.Equal(["trial-3", "trial-2", "trial-1", "trial-0"], await trials.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.runName)").DefaultTimeout());
        await HeadlessChromium.ScreenshotAsync(page, "tracking-nested-runs");
    }

    // Waits until the circuit has taken over the prerendered charts and plotly has drawn every one of them.
    private static async Task WaitForChartsAsync(IPage page)
    {
        await Expect(page.Locator(".charts[data-interactive=true]").First).ToBeVisibleAsync(new() { Timeout = Wait });
        await Expect(page.Locator("figure.chart .chart-placeholder")).ToHaveCountAsync(0, new() { Timeout = Wait });
        await page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('figure.chart')].every(f => f.querySelector('svg.main-svg'))",
            null, new() { Timeout = Wait }).DefaultTimeout();
    }

    // The points plotly holds for one line of a chart: what is drawn, not what the server rendered.
    private static Task<int> PlottedPointsAsync(IPage page, string metric, int trace) =>
        page.EvaluateAsync<int>(
            $"() => document.querySelector(\"figure.chart[data-metric='{metric}'] .js-plotly-plot\").data[{trace}].x.length").DefaultTimeout();

    private async Task LogIterationsAsync(string runId, int from, int to)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var metrics = Enumerable.Range(from, to - from).SelectMany(step => new[]
        {
            new Metric("valid_pr_auc", 0.5 + step / 100.0, now, step),
            new Metric("valid_logloss", 0.3 - step / 200.0, now, step),
        }).ToList();
        await fixture.Client.LogBatchAsync(runId, metrics, [], []).DefaultTimeout();
    }

    [GeneratedRegex("^0\\.[0-9]{1,4}$")]
    private static partial Regex Number();

    [GeneratedRegex("^http://127\\.0\\.0\\.1:18999/traces/detail/[0-9a-f]{32}$")]
    private static partial Regex TraceLink();
}
