namespace MlOps.Hosting.ApplicationModel;

/// <summary>Something whose value is known only when a resource starts (a port, a password, a URL).</summary>
public interface IValueProvider
{
    /// <summary>Resolves the value for the resource described by <paramref name="context"/>.</summary>
    ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken);
}

/// <summary>Something that has an Aspire manifest expression such as <c>{pg.bindings.tcp.host}</c>.</summary>
public interface IManifestExpressionProvider
{
    /// <summary>The expression written into the manifest in place of the value.</summary>
    string ValueExpression { get; }
}

/// <summary>Where a value is going to be used. A container reaches another container by its resource name and
/// target port on the AppHost's network; a process on the host reaches it on its published port.</summary>
/// <param name="Caller">The resource the value is being resolved for, when there is one.</param>
/// <param name="FromContainerNetwork">True when the caller runs as a container on the AppHost's network.</param>
public sealed record ValueResolutionContext(IResource? Caller = null, bool FromContainerNetwork = false)
{
    /// <summary>Resolution for a process on the host.</summary>
    public static ValueResolutionContext Host { get; } = new();
}

/// <summary>Thrown when a value is asked for before the orchestrator knows it (an endpoint not allocated yet).</summary>
public sealed class ValueNotAvailableException(string message) : InvalidOperationException(message);
