using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace MlOps.Hosting.Compose;

/// <summary>Runs a resource's environment, argument and container-runtime-argument callbacks in publish mode. The values
/// stay unresolved (strings or references) for <see cref="ComposeValueResolver"/>.</summary>
internal static class ResourceCallbacks
{
    public static async Task<Dictionary<string, object>> EnvironmentAsync(
        IResource resource, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, object>(StringComparer.Ordinal);
        var context = new EnvironmentCallbackContext(executionContext, resource, environment, cancellationToken);
        foreach (var annotation in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await annotation.Callback(context).ConfigureAwait(false);
        }

        return environment;
    }

    public static async Task<List<object>> ArgsAsync(
        IResource resource, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var args = new List<object>();
        var context = new CommandLineArgsCallbackContext(args, resource, cancellationToken) { ExecutionContext = executionContext };
        foreach (var annotation in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await annotation.Callback(context).ConfigureAwait(false);
        }

        return args;
    }

    /// <summary>The extra <c>docker run</c> arguments (such as <c>--gpus all</c>), as text.</summary>
    public static async Task<List<string>> ContainerRuntimeArgsAsync(IResource resource, CancellationToken cancellationToken)
    {
        var args = new List<object>();
        var context = new ContainerRuntimeArgsCallbackContext(args, cancellationToken);
        foreach (var annotation in resource.Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>())
        {
            await annotation.Callback(context).ConfigureAwait(false);
        }

        return [.. args.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)];
    }
}
