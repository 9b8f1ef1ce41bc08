using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting;

/// <summary>The <c>With*</c> methods every kind of resource shares. Each only attaches an annotation.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Sets an environment variable to a fixed string.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string? value)
        where T : IResourceWithEnvironment =>
        builder.WithAnnotation(new EnvironmentCallbackAnnotation(name, value ?? string.Empty));

    /// <summary>Sets an environment variable to a late value (an endpoint, a parameter, an expression…).</summary>
    public static IResourceBuilder<T> WithEnvironment<T, TValue>(this IResourceBuilder<T> builder, string name, TValue value)
        where T : IResourceWithEnvironment
        where TValue : IValueProvider, IManifestExpressionProvider =>
        builder.WithAnnotation(new EnvironmentCallbackAnnotation(name, value));

    /// <summary>Sets an environment variable to a parameter's value.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter)
        where T : IResourceWithEnvironment =>
        builder.WithAnnotation(new EnvironmentCallbackAnnotation(name, parameter.Resource));

    /// <summary>Adds environment variables from a callback run when the resource starts or is published.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, Action<EnvironmentCallbackContext> callback)
        where T : IResourceWithEnvironment =>
        builder.WithAnnotation(new EnvironmentCallbackAnnotation(ctx =>
        {
            callback(ctx);
            return ValueTask.CompletedTask;
        }));

    /// <summary>Appends command-line arguments (strings or late values).</summary>
    public static IResourceBuilder<T> WithArgs<T>(this IResourceBuilder<T> builder, params object[] args)
        where T : IResourceWithArgs =>
        builder.WithAnnotation(new CommandLineArgsCallbackAnnotation(ctx =>
        {
            ctx.Args.AddRange(args);
            return ValueTask.CompletedTask;
        }));

    /// <summary>Appends command-line arguments from a callback.</summary>
    public static IResourceBuilder<T> WithArgs<T>(this IResourceBuilder<T> builder, Action<CommandLineArgsCallbackContext> callback)
        where T : IResourceWithArgs =>
        builder.WithAnnotation(new CommandLineArgsCallbackAnnotation(ctx =>
        {
            callback(ctx);
            return ValueTask.CompletedTask;
        }));

    /// <summary>Gives the resource <c>ConnectionStrings__{name}</c> for <paramref name="source"/>.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source, string? connectionName = null)
        where T : IResourceWithEnvironment
    {
        var resource = source.Resource;
        var variable = resource.ConnectionStringEnvironmentVariable ?? $"ConnectionStrings__{connectionName ?? resource.Name}";
        return builder
            .WithAnnotation(new ResourceRelationshipAnnotation(resource, "Reference"))
            .WithAnnotation(new EnvironmentCallbackAnnotation(variable, resource));
    }

    /// <summary>Gives the resource <c>services__{name}__{endpoint}__0</c> for every endpoint of <paramref name="source"/>.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithServiceDiscovery> source)
        where T : IResourceWithEnvironment
    {
        var resource = source.Resource;
        return builder
            .WithAnnotation(new ResourceRelationshipAnnotation(resource, "Reference"))
            .WithAnnotation(new EnvironmentCallbackAnnotation(ctx =>
            {
                foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
                {
                    ctx.EnvironmentVariables[$"services__{resource.Name}__{endpoint.Name}__0"] = new EndpointReference(resource, endpoint.Name);
                }

                return ValueTask.CompletedTask;
            }));
    }

    /// <summary>Gives the resource <c>services__{name}__{endpoint}__0</c> for one endpoint.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, EndpointReference endpoint)
        where T : IResourceWithEnvironment =>
        builder
            .WithAnnotation(new ResourceRelationshipAnnotation(endpoint.Resource, "Reference"))
            .WithAnnotation(new EnvironmentCallbackAnnotation(
                $"services__{endpoint.Resource.Name}__{endpoint.EndpointName}__0", endpoint));

    /// <summary>Starts the resource only once <paramref name="dependency"/> is running and healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency)
        where T : IResourceWithWaitSupport =>
        builder.WithAnnotation(new WaitAnnotation(dependency.Resource, WaitType.WaitUntilHealthy));

    /// <summary>Starts the resource only once <paramref name="dependency"/> has finished with <paramref name="exitCode"/>.</summary>
    public static IResourceBuilder<T> WaitForCompletion<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency, int exitCode = 0)
        where T : IResourceWithWaitSupport =>
        builder.WithAnnotation(new WaitAnnotation(dependency.Resource, WaitType.WaitForCompletion, exitCode));

    /// <summary>The resource does not start with the application, only when asked (dashboard or command API).</summary>
    public static IResourceBuilder<T> WithExplicitStart<T>(this IResourceBuilder<T> builder) where T : IResource =>
        builder.WithAnnotation(new ExplicitStartupAnnotation());

    /// <summary>Adds an endpoint. <paramref name="port"/> null means a free port at start; <paramref name="env"/>
    /// names the variable that tells the process which port to listen on.</summary>
    public static IResourceBuilder<T> WithEndpoint<T>(this IResourceBuilder<T> builder, string name, string scheme,
        int? port = null, int? targetPort = null, string? env = null, bool isExternal = false)
        where T : IResourceWithEndpoints
    {
        if (builder.Resource.Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == name))
        {
            throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' already has an endpoint named '{name}'.");
        }

        return builder.WithAnnotation(new EndpointAnnotation(name, scheme, port, targetPort, isExternal) { TargetPortEnvironmentVariable = env });
    }

    /// <summary>Adds an HTTP endpoint (named <c>http</c> unless <paramref name="name"/> is given).</summary>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, int? targetPort = null,
        string? name = null, string? env = null, bool isExternal = false)
        where T : IResourceWithEndpoints =>
        builder.WithEndpoint(name ?? "http", "http", port, targetPort, env, isExternal);

    /// <summary>A late reference to an endpoint of the resource.</summary>
    public static EndpointReference GetEndpoint<T>(this IResourceBuilder<T> builder, string name)
        where T : IResourceWithEndpoints => new(builder.Resource, name);

    /// <summary>The resource is healthy while <paramref name="path"/> answers <paramref name="statusCode"/>.</summary>
    public static IResourceBuilder<T> WithHttpHealthCheck<T>(this IResourceBuilder<T> builder, string path = "/health",
        int statusCode = 200, string endpointName = "http")
        where T : IResourceWithEndpoints =>
        builder.WithAnnotation(new HttpHealthCheckAnnotation(path, endpointName, statusCode));
}
