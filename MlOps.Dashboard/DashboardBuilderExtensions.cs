using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MlOps.Hosting;

namespace MlOps.Dashboard;

/// <summary>Adds the dashboard to an AppHost (run mode only).</summary>
public static class DashboardBuilderExtensions
{
    /// <summary>Runs the dashboard in the AppHost process and prints its login link. Settings: section <c>Dashboard</c>.</summary>
    public static DistributedApplicationBuilder AddDashboard(this DistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(DashboardOptions.SectionName).Get<DashboardOptions>() ?? new DashboardOptions();
        if (!builder.ExecutionContext.IsRunMode || !options.Enabled)
        {
            return builder;
        }

        var token = string.IsNullOrEmpty(options.BrowserToken) ? DashboardAuthentication.NewToken() : options.BrowserToken;
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton(new DashboardAuthentication(token));
        builder.Services.AddSingleton<DashboardWebHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DashboardWebHost>());
        builder.Services.AddSingleton<IDashboardLink>(sp => new DashboardLink(sp.GetRequiredService<DashboardWebHost>(), token));
        return builder;
    }
}
