using System.Globalization;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Publishing;

/// <summary>Turns values into docker compose terms, seen from inside the compose network: an endpoint's host is its
/// service name and its port the target (container) port; a parameter is <c>${NAME}</c> read from <c>.env</c>;
/// connection strings and expressions expand recursively. Literal <c>$</c> is doubled so compose keeps it.</summary>
internal static class ComposeExpressionResolver
{
    /// <summary>The port a project listens on in its container when its endpoint declares none (the .NET images
    /// set <c>ASPNETCORE_HTTP_PORTS=8080</c>).</summary>
    public const int DefaultProjectContainerPort = 8080;

    /// <summary>The compose variable of a parameter: upper case, hyphens to underscores (<c>pg-password</c> → <c>PG_PASSWORD</c>).</summary>
    public static string VariableName(ParameterResource parameter) =>
        parameter.Name.ToUpperInvariant().Replace('-', '_');

    /// <summary>The compose form of <paramref name="value"/> (a string or a provider).</summary>
    public static string Resolve(object? value) => value switch
    {
        ParameterResource parameter => $"${{{VariableName(parameter)}}}",
        IResourceWithConnectionString resource => Resolve(resource.ConnectionStringExpression),
        ReferenceExpression expression => expression.Substitute(i => Resolve(expression.ValueProviders[i])),
        EndpointReference endpoint => Resolve(endpoint.Property(EndpointProperty.Url)),
        EndpointReferenceExpression part => ResolveEndpoint(part),
        IManifestExpressionProvider other => throw new DistributedApplicationException(
            $"No docker compose form for the value '{other.ValueExpression}' ({other.GetType().Name})."),
        _ => EscapeLiteral(ResourceValues.FormatLiteral(value)),
    };

    /// <summary>The port <paramref name="endpoint"/> listens on inside its container.</summary>
    public static int ContainerPort(IResource resource, EndpointAnnotation endpoint) =>
        endpoint.TargetPort ?? endpoint.Port ?? (resource is ProjectResource ? DefaultProjectContainerPort
            : throw new DistributedApplicationException(
                $"Endpoint '{endpoint.Name}' of '{resource.Name}' has no port; docker compose needs a target port."));

    /// <summary>Doubles <c>$</c> so compose does not interpolate it.</summary>
    public static string EscapeLiteral(string text) => text.Replace("$", "$$", StringComparison.Ordinal);

    private static string ResolveEndpoint(EndpointReferenceExpression part)
    {
        var resource = part.Endpoint.Resource;
        var annotation = part.Endpoint.Annotation;
        var host = resource.Name;
        var port = ContainerPort(resource, annotation).ToString(CultureInfo.InvariantCulture);
        return part.Property switch
        {
            EndpointProperty.Host => host,
            EndpointProperty.Port or EndpointProperty.TargetPort => port,
            EndpointProperty.HostAndPort => $"{host}:{port}",
            EndpointProperty.Scheme => annotation.UriScheme,
            _ => $"{annotation.UriScheme}://{host}:{port}",
        };
    }
}
