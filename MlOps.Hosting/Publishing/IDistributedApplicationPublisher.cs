using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Publishing;

/// <summary>Writes a deployment description of the model instead of running it (registered keyed by its name).</summary>
public interface IDistributedApplicationPublisher
{
    /// <summary>Writes the output to <paramref name="outputPath"/> (a file, or a folder that gets the default file name).</summary>
    Task PublishAsync(DistributedApplicationModel model, string outputPath, CancellationToken cancellationToken);
}
