namespace MlOps.Hosting.ApplicationModel;

/// <summary>The values a callback adds; each value is a string or an <see cref="IValueProvider"/> +
/// <see cref="IManifestExpressionProvider"/> (an endpoint, a parameter, a connection string, an expression).</summary>
/// <param name="ExecutionContext">Run or publish.</param>
/// <param name="Resource">The resource being configured.</param>
public sealed record EnvironmentCallbackContext(DistributedApplicationExecutionContext ExecutionContext, IResource Resource)
{
    /// <summary>Name → value (string or provider).</summary>
    public Dictionary<string, object> EnvironmentVariables { get; } = new(StringComparer.Ordinal);
}

/// <summary>Adds environment variables when the resource starts or is published.</summary>
public sealed class EnvironmentCallbackAnnotation(Func<EnvironmentCallbackContext, ValueTask> callback) : IResourceAnnotation
{
    /// <summary>Adds one variable (string or provider).</summary>
    public EnvironmentCallbackAnnotation(string name, object value)
        : this(ctx =>
        {
            ctx.EnvironmentVariables[name] = value;
            return ValueTask.CompletedTask;
        })
    {
    }

    /// <summary>The callback.</summary>
    public Func<EnvironmentCallbackContext, ValueTask> Callback { get; } = callback;
}

/// <summary>The arguments a callback adds; each is a string or a provider.</summary>
/// <param name="ExecutionContext">Run or publish.</param>
/// <param name="Resource">The resource being configured.</param>
public sealed record CommandLineArgsCallbackContext(DistributedApplicationExecutionContext ExecutionContext, IResource Resource)
{
    /// <summary>The arguments, in order.</summary>
    public List<object> Args { get; } = [];
}

/// <summary>Adds command-line arguments when the resource starts or is published.</summary>
public sealed class CommandLineArgsCallbackAnnotation(Func<CommandLineArgsCallbackContext, ValueTask> callback) : IResourceAnnotation
{
    /// <summary>The callback.</summary>
    public Func<CommandLineArgsCallbackContext, ValueTask> Callback { get; } = callback;
}

/// <summary>Extra arguments to <c>docker run</c> (run time only, never published), such as <c>--gpus all</c>.</summary>
public sealed class ContainerRuntimeArgsCallbackAnnotation(Func<List<object>, ValueTask> callback) : IResourceAnnotation
{
    /// <summary>The callback.</summary>
    public Func<List<object>, ValueTask> Callback { get; } = callback;
}
