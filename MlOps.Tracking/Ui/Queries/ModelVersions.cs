using MlOps.Tracking.Registry;

namespace MlOps.Tracking.Ui.Queries;

/// <summary>Every version of a model, newest first, with the aliases the registry's search leaves out.</summary>
public static class ModelVersions
{
    public static async Task<List<ModelVersion>> AllAsync(RegistryStore registry, RegisteredModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(model);

        // The filter's string syntax has no escapes: a name is quoted with whichever quote it does not contain.
        var quote = model.Name.Contains('\'', StringComparison.Ordinal) ? '"' : '\'';
        var filter = $"name = {quote}{model.Name}{quote}";
        var found = await registry.SearchVersionsAsync(new SearchRequest(filter, 10_000, ["version DESC"], null), cancellationToken);
        var aliases = model.Aliases.ToLookup(a => a.Version, a => a.Alias, StringComparer.Ordinal);
        return [.. found.ModelVersions.Select(v => v with { Aliases = [.. aliases[v.Version]] })];
    }
}
