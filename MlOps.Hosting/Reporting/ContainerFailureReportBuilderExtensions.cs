using Microsoft.Extensions.DependencyInjection;
using MlOps.Hosting.Reporting;

namespace Aspire.Hosting;

/// <summary>Console reporting of containers that fail to start.</summary>
public static class ContainerFailureReportBuilderExtensions
{
    /// <summary>Prints a container's failure (the tail of its log: the failed pull or build) on the AppHost's console,
    /// and once what to do about it (<c>--runtime local</c>, the image settings).</summary>
    /// <param name="builder">The AppHost's builder.</param>
    /// <returns>The same builder.</returns>
    public static IDistributedApplicationBuilder AddContainerFailureReport(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Services.AddHostedService<ContainerFailureReport>();
        }

        return builder;
    }
}
