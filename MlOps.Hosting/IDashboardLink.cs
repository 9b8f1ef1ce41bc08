namespace MlOps.Hosting;

/// <summary>The dashboard's login link, printed once on the console by the AppHost (registered by the dashboard).</summary>
public interface IDashboardLink
{
    /// <summary>The URL with the login token; null while the dashboard is not listening.</summary>
    Uri? LoginUrl { get; }
}
