using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Publishing;

/// <summary>Runs a resource's environment, argument and runtime-argument callbacks in publish mode. The values stay
/// unresolved (strings or providers); each publisher turns them into its own terms.</summary>
internal static class ResourceValues
{
    /// <summary>The environment variables, in the order the callbacks set them.</summary>
    public static async Task<IReadOnlyList<KeyValuePair<string, object>>> GetEnvironmentAsync(
        IResource resource, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var context = new EnvironmentCallbackContext(executionContext, resource);
        foreach (var annotation in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            await annotation.Callback(context).ConfigureAwait(false);
        }

        return [.. context.EnvironmentVariables];
    }

    /// <summary>The command-line arguments, in order.</summary>
    public static async Task<IReadOnlyList<object>> GetArgsAsync(
        IResource resource, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var context = new CommandLineArgsCallbackContext(executionContext, resource);
        foreach (var annotation in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            await annotation.Callback(context).ConfigureAwait(false);
        }

        return context.Args;
    }

    /// <summary>The extra <c>docker run</c> arguments (such as <c>--gpus all</c>), as strings.</summary>
    public static async Task<IReadOnlyList<string>> GetContainerRuntimeArgsAsync(IResource resource, CancellationToken cancellationToken)
    {
        var args = new List<object>();
        foreach (var annotation in resource.Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            await annotation.Callback(args).ConfigureAwait(false);
        }

        return [.. args.Select(a => a.ToString() ?? string.Empty)];
    }

    /// <summary>A literal value (not a provider) as text: booleans lower-case, numbers invariant.</summary>
    public static string FormatLiteral(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>The manifest form of a value: a provider's expression, or the literal text.</summary>
    public static string ManifestValue(object? value) =>
        value is IManifestExpressionProvider provider ? provider.ValueExpression : FormatLiteral(value);
}
