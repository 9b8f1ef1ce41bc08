using System.Globalization;

namespace MlOps.Hosting.ApplicationModel;

/// <summary>A late reference to a named endpoint of a resource; its value is the endpoint's URL.</summary>
public sealed class EndpointReference(IResourceWithEndpoints resource, string endpointName) : IManifestExpressionProvider, IValueProvider
{
    /// <summary>The resource that owns the endpoint.</summary>
    public IResourceWithEndpoints Resource { get; } = resource;

    /// <summary>The endpoint's name.</summary>
    public string EndpointName { get; } = endpointName;

    /// <summary>The annotation behind the reference.</summary>
    public EndpointAnnotation Annotation =>
        Resource.Annotations.OfType<EndpointAnnotation>().FirstOrDefault(e => e.Name == EndpointName)
        ?? throw new InvalidOperationException($"Resource '{Resource.Name}' has no endpoint named '{EndpointName}'.");

    /// <summary>True once the orchestrator has chosen the address and port.</summary>
    public bool IsAllocated => Annotation.AllocatedEndpoint is not null;

    /// <inheritdoc />
    public string ValueExpression => $"{{{Resource.Name}.bindings.{EndpointName}.url}}";

    /// <summary>A reference to one part of the endpoint.</summary>
    public EndpointReferenceExpression Property(EndpointProperty property) => new(this, property);

    /// <inheritdoc />
    public ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken) =>
        Property(EndpointProperty.Url).GetValueAsync(context, cancellationToken);
}

/// <summary>One part (host, port, URL…) of an endpoint reference.</summary>
public sealed class EndpointReferenceExpression(EndpointReference endpoint, EndpointProperty property) : IManifestExpressionProvider, IValueProvider
{
    /// <summary>The endpoint.</summary>
    public EndpointReference Endpoint { get; } = endpoint;

    /// <summary>The part of it.</summary>
    public EndpointProperty Property { get; } = property;

    /// <inheritdoc />
    public string ValueExpression => Property == EndpointProperty.HostAndPort
        ? $"{Binding("host")}:{Binding("port")}"
        : Binding(ManifestName(Property));

    /// <inheritdoc />
    public ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken)
    {
        var annotation = Endpoint.Annotation;
        if (Property == EndpointProperty.Scheme)
        {
            return ValueTask.FromResult<string?>(annotation.UriScheme);
        }

        var allocated = annotation.AllocatedEndpoint
            ?? throw new ValueNotAvailableException(
                $"Endpoint '{Endpoint.EndpointName}' of resource '{Endpoint.Resource.Name}' has not been allocated yet.");
        var inNetwork = context.FromContainerNetwork && allocated.ContainerHost is not null;
        var host = inNetwork ? allocated.ContainerHost! : allocated.Host;
        var port = inNetwork ? allocated.ContainerPort ?? allocated.Port : allocated.Port;
        var targetPort = annotation.TargetPort ?? allocated.ContainerPort ?? allocated.Port;
        string value = Property switch
        {
            EndpointProperty.Host => host,
            EndpointProperty.Port => port.ToString(CultureInfo.InvariantCulture),
            EndpointProperty.TargetPort => targetPort.ToString(CultureInfo.InvariantCulture),
            EndpointProperty.HostAndPort => $"{host}:{port.ToString(CultureInfo.InvariantCulture)}",
            _ => $"{annotation.UriScheme}://{host}:{port.ToString(CultureInfo.InvariantCulture)}",
        };
        return ValueTask.FromResult<string?>(value);
    }

    private string Binding(string part) => $"{{{Endpoint.Resource.Name}.bindings.{Endpoint.EndpointName}.{part}}}";

    private static string ManifestName(EndpointProperty property) => property switch
    {
        EndpointProperty.Host => "host",
        EndpointProperty.Port => "port",
        EndpointProperty.TargetPort => "targetPort",
        EndpointProperty.Scheme => "scheme",
        _ => "url",
    };
}
