namespace MlOps.Serving.Model;

/// <summary>A model folder on local disk, ready to load, and where it came from.</summary>
/// <param name="Directory">The folder holding <c>model.onnx</c>, <c>model-card.json</c> and <c>MLmodel</c>.</param>
/// <param name="Uri">The URI it was resolved from, for messages.</param>
/// <param name="Name">The registered model's name, which wins over the card's; null for a local folder.</param>
/// <param name="Version">The registry's version number, which wins over the card's; null for a local folder.</param>
/// <param name="RunId">The run the registry names, which wins over MLmodel's; null when unknown.</param>
public sealed record ResolvedModel(string Directory, string Uri, string? Name = null, string? Version = null, string? RunId = null);

/// <summary>
/// Turns the configured model URI into a local folder. Resolved again on every load and reload, so a registry source
/// (<c>models:/name@alias</c>, <c>models:/name/N</c>, <c>runs:/…</c>) can follow an alias as it moves.
/// </summary>
public interface IModelSource
{
    Task<ResolvedModel> ResolveAsync(CancellationToken cancellationToken);
}
