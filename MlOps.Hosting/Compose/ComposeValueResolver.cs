using System.Globalization;
using System.Text;
using Aspire.Hosting.ApplicationModel;

namespace MlOps.Hosting.Compose;

/// <summary>Turns app-model values into compose text, seen from inside the compose network: an endpoint's host is its
/// service name and its port the container (target) port; a parameter is <c>${NAME}</c>, read from <c>.env</c>, so a
/// secret's value never reaches the file; literal <c>$</c> is doubled so compose does not interpolate it.</summary>
internal sealed class ComposeValueResolver(IReadOnlySet<IResource> services, CancellationToken cancellationToken)
{
    private readonly List<ParameterResource> _parameters = [];

    /// <summary>The port a project listens on in its container when its endpoint names none (the .NET images' 8080).</summary>
    public const int DefaultProjectPort = 8080;

    /// <summary>The compose form of <paramref name="value"/>: a literal, a parameter, a reference or an expression.</summary>
    public async ValueTask<string> ResolveAsync(object? value) => value switch
    {
        null => string.Empty,
        string text => Escape(text),
        ParameterResource parameter => Variable(parameter),
        ConnectionStringReference reference => await ResolveAsync(reference.Resource.ConnectionStringExpression).ConfigureAwait(false),
        IResourceWithConnectionString resource => await ResolveAsync(resource.ConnectionStringExpression).ConfigureAwait(false),
        EndpointReference endpoint => Endpoint(endpoint, EndpointProperty.Url),
        EndpointReferenceExpression part => Endpoint(part.Endpoint, part.Property),
        ReferenceExpression expression => await FormatAsync(expression).ConfigureAwait(false),
        IManifestExpressionProvider other => throw new InvalidOperationException(
            $"docker compose has no form for the value '{other.ValueExpression}' ({other.GetType().Name})."),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => Escape(formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => Escape(value.ToString() ?? string.Empty),
    };

    /// <summary>The parameters the resolved values read, in the order first met (some, such as a generated password,
    /// are referenced without being resources of the model).</summary>
    public IReadOnlyList<ParameterResource> Parameters => _parameters;

    /// <summary>The port <paramref name="endpoint"/> listens on inside its container. A project's port without a target
    /// is the host's: in its container it listens on the .NET images' port.</summary>
    public static int ContainerPort(IResource resource, EndpointAnnotation endpoint) =>
        resource is ProjectResource ? endpoint.TargetPort ?? DefaultProjectPort
            : endpoint.TargetPort ?? endpoint.Port ?? throw new InvalidOperationException(
                $"Endpoint '{endpoint.Name}' of '{resource.Name}' has no port; docker compose needs a target port.");

    /// <summary>Doubles <c>$</c> so compose keeps it literally.</summary>
    public static string Escape(string text) => text.Replace("$", "$$", StringComparison.Ordinal);

    private string Variable(ParameterResource parameter)
    {
        if (!_parameters.Contains(parameter))
        {
            _parameters.Add(parameter);
        }

        return $"${{{ComposeNames.Variable(parameter)}}}";
    }

    private string Endpoint(EndpointReference endpoint, EndpointProperty property)
    {
        var resource = endpoint.Resource;
        if (!services.Contains(resource))
        {
            throw new InvalidOperationException(
                $"'{resource.Name}' is referenced through its endpoint '{endpoint.EndpointName}' but has no compose service.");
        }

        var annotation = endpoint.EndpointAnnotation;
        var host = ComposeNames.Service(resource);
        var port = ContainerPort(resource, annotation).ToString(CultureInfo.InvariantCulture);
        return property switch
        {
            EndpointProperty.Host or EndpointProperty.IPV4Host => host,
            EndpointProperty.Port or EndpointProperty.TargetPort => port,
            EndpointProperty.HostAndPort => $"{host}:{port}",
            EndpointProperty.Scheme => annotation.UriScheme,
            EndpointProperty.TlsEnabled => annotation.TlsEnabled ? "true" : "false",
            _ => $"{annotation.UriScheme}://{host}:{port}",
        };
    }

    // The format is .NET composite format: {n} or {n:format} for value n, {{ and }} for braces. A branch of a
    // conditional expression is chosen now: compose files have no conditionals.
    private async ValueTask<string> FormatAsync(ReferenceExpression expression)
    {
        if (expression.IsConditional)
        {
            var condition = await expression.Condition!.GetValueAsync(cancellationToken).ConfigureAwait(false);
            var match = string.Equals(condition, expression.MatchValue, StringComparison.OrdinalIgnoreCase);
            return await ResolveAsync(match ? expression.WhenTrue : expression.WhenFalse).ConfigureAwait(false);
        }

        var format = expression.Format;
        var text = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c is '{' or '}' && i + 1 < format.Length && format[i + 1] == c)
            {
                text.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var end = format.IndexOf('}', i);
                var hole = format[(i + 1)..end];
                var index = int.Parse(hole.Split(':')[0], CultureInfo.InvariantCulture);
                text.Append(await ResolveAsync(expression.ValueProviders[index]).ConfigureAwait(false));
                i = end;
            }
            else
            {
                text.Append(c == '$' ? "$$" : c);
            }
        }

        return text.ToString();
    }
}
