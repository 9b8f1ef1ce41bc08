namespace MlOps.Serving.Model;

/// <summary>A model folder on local disk, ready to load, and where it came from.</summary>
/// <param name="Directory">The folder holding <c>model.onnx</c>, <c>model-card.json</c> and <c>MLmodel</c>.</param>
/// <param name="Uri">The URI it was resolved from, for messages.</param>
public sealed record ResolvedModel(string Directory, string Uri);

/// <summary>
/// Turns the configured model URI into a local folder. Resolved again on every load and reload, so a registry source
/// (<c>models:/name@alias</c>, <c>models:/name/N</c>, <c>runs:/…</c>) can follow an alias as it moves.
/// </summary>
public interface IModelSource
{
    Task<ResolvedModel> ResolveAsync(CancellationToken cancellationToken);
}
