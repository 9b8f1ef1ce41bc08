using Microsoft.Extensions.DependencyInjection;
using MlOps.Hosting.Reporting;

namespace Aspire.Hosting;

/// <summary>The console's "Ready after N s" line.</summary>
public static class ReadyReportBuilderExtensions
{
    /// <summary>Logs once, when every resource is first ready, how long it took and the URLs the named resources show in
    /// the dashboard (<c>MLflow http://localhost:5000 · serving http://localhost:8000</c>).</summary>
    /// <param name="builder">The AppHost's builder.</param>
    /// <param name="linked">The resources whose URLs the line shows, in order; the last is waited for.</param>
    /// <returns>The same builder.</returns>
    public static IDistributedApplicationBuilder AddReadyReport(this IDistributedApplicationBuilder builder, params string[] linked)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(linked);
        if (builder.ExecutionContext.IsRunMode && linked.Length > 0)
        {
            builder.Services.AddSingleton(new ReadyReportOptions(linked[^1], events => linked.Select(name =>
                events.FirstOrDefault(e => e.Resource.Name == name)?.Snapshot.Urls.FirstOrDefault(u => !u.IsInternal) is { } url
                    ? $"{name} {url.Url}"
                    : name)));
            builder.Services.AddHostedService<ReadyReport>();
        }

        return builder;
    }
}
