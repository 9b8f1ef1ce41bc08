namespace MlOps.AppHost;

internal static class Secrets
{
    /// <summary>A generated secret (kept in user secrets while developing; a generated input when published).</summary>
    public static GenerateParameterDefault Generated => new() { MinLength = 32, Special = false };
}
