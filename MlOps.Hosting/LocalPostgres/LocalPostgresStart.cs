using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MlOps.Hosting.LocalPostgres;

/// <summary>Before the server starts: finds the binaries and the data folder and writes the start script there.
/// A failure here fails the resource (and its waiters) with the reason.</summary>
internal static class LocalPostgresStart
{
    private const string ScriptName = "start-postgres.sh";

    public static string ScriptPath(LocalPostgresServerResource server) => Path.Combine(server.DataDirectory, ScriptName);

    public static async Task PrepareAsync(LocalPostgresServerResource server, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        var configured = server.BinDirectory ?? services.GetRequiredService<IConfiguration>()[PostgresBinaries.ConfigurationKey];
        server.BinDirectory = PostgresBinaries.Find(configured) ?? throw Fail(logger, PostgresBinaries.MissingHelp);

        var (folder, moved) = PostgresDataFolder.Resolve(server.DataDirectory);
        if (moved is not null)
        {
            logger.LogWarning("{Why}", moved);
        }

        server.DataDirectory = folder;
        Directory.CreateDirectory(folder);
        await using var script = Assembly.GetExecutingAssembly().GetManifestResourceStream("MlOps.Hosting." + ScriptName)!;
        var temp = ScriptPath(server) + ".tmp";
        await using (var file = File.Create(temp))
        {
            await script.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temp, ScriptPath(server), overwrite: true);
        logger.LogInformation("PostgreSQL from {Bin}, cluster in {Data}", server.BinDirectory, Path.Combine(folder, "data"));
    }

    private static DistributedApplicationException Fail(ILogger logger, string message)
    {
        logger.LogError("{Message}", message);
        return new DistributedApplicationException(message);
    }
}
