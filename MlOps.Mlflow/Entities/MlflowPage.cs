namespace MlOps.Mlflow;

/// <summary>One page of a search.</summary>
/// <typeparam name="T">The entity searched.</typeparam>
/// <param name="Items">The entities on this page (empty when nothing matched).</param>
/// <param name="NextPageToken">The token of the next page; null on the last page.</param>
public sealed record MlflowPage<T>(IReadOnlyList<T> Items, string? NextPageToken);
