using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Orchestration;

/// <summary>One resolved environment variable or argument; <see cref="IsSecret"/> values are never shown or logged.</summary>
internal sealed record ResolvedValue(string Name, string Value, bool IsSecret);

/// <summary>Resolves a resource's environment and arguments when it starts: the host's variables first (OpenTelemetry,
/// ASP.NET Core, endpoint ports), then the resource's own callbacks, which may override them.</summary>
internal sealed class LaunchValueResolver(OrchestratorOptions options, IHostEnvironment hostEnvironment,
    DistributedApplicationExecutionContext executionContext)
{
    // service.instance.id = <name>-<this suffix>: stable for one AppHost run, new for the next.
    private readonly string _instanceSuffix = RandomNumberGenerator.GetHexString(8, lowercase: true);

    public string InstanceId(string resourceName) => $"{resourceName}-{_instanceSuffix}";

    public async Task<IReadOnlyList<ResolvedValue>> ResolveEnvironmentAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        var variables = new OrderedDictionary<string, ResolvedValue>(StringComparer.Ordinal);
        void Set(string name, string value, bool secret = false) => variables[name] = new ResolvedValue(name, value, secret);

        var isContainer = plan.Kind == ResourceKind.Container;
        var context = ContextFor(plan);
        AddTelemetry(plan.Name, Set, isContainer);
        if (plan.Source is ProjectResource)
        {
            AddProject(plan, Set);
        }

        foreach (var endpoint in plan.Endpoints.Where(e => e.TargetPortEnvironmentVariable is not null))
        {
            var allocated = endpoint.AllocatedEndpoint!;
            var port = isContainer ? allocated.ContainerPort ?? allocated.Port : allocated.Port;
            Set(endpoint.TargetPortEnvironmentVariable!, port.ToString(CultureInfo.InvariantCulture));
        }

        // Local PostgreSQL is configured by its command line; its container by these variables.
        if (plan.Kind is ResourceKind.Process or ResourceKind.Container)
        {
            var callbackContext = new EnvironmentCallbackContext(executionContext, plan.Source);
            foreach (var callback in plan.Source.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await callback.Callback(callbackContext).ConfigureAwait(false);
            }

            foreach (var (name, value) in callbackContext.EnvironmentVariables)
            {
                Set(name, await ResolveAsync(value, context, cancellationToken).ConfigureAwait(false), SecretValues.IsSecret(value));
            }
        }

        return variables.Values.ToArray();
    }

    public async Task<IReadOnlyList<ResolvedValue>> ResolveArgsAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        var context = new CommandLineArgsCallbackContext(executionContext, plan.Source);
        foreach (var callback in plan.Source.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context).ConfigureAwait(false);
        }

        var resolution = ContextFor(plan);
        var args = new List<ResolvedValue>(context.Args.Count);
        foreach (var arg in context.Args)
        {
            args.Add(new ResolvedValue("", await ResolveAsync(arg, resolution, cancellationToken).ConfigureAwait(false), SecretValues.IsSecret(arg)));
        }

        return args;
    }

    /// <summary>Resolves values (build arguments, runtime arguments) for <paramref name="plan"/>: as seen from the container
    /// network when it runs as a container, else from the host.</summary>
    public static async Task<IReadOnlyList<string>> ResolveAllAsync(ResourcePlan plan, IEnumerable<object> values, CancellationToken cancellationToken)
    {
        var resolved = new List<string>();
        foreach (var value in values)
        {
            resolved.Add(await ResolveAsync(value, ContextFor(plan), cancellationToken).ConfigureAwait(false));
        }

        return resolved;
    }

    private static ValueResolutionContext ContextFor(ResourcePlan plan) => plan.Kind == ResourceKind.Container
        ? new ValueResolutionContext(plan.Resource, FromContainerNetwork: true)
        : ValueResolutionContext.Host;

    internal static async Task<string> ResolveAsync(object? value, ValueResolutionContext context, CancellationToken cancellationToken) => value switch
    {
        null => string.Empty,
        string text => text,
        IValueProvider provider => await provider.GetValueAsync(context, cancellationToken).ConfigureAwait(false) ?? string.Empty,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private void AddTelemetry(string name, Action<string, string, bool> set, bool isContainer)
    {
        // A container reaches the AppHost's OTLP receiver through the host gateway name (added by the runtime).
        var endpoint = isContainer ? ContainerView(options.OtlpEndpointUrl) : options.OtlpEndpointUrl;
        set(KnownHostEnvironment.OtlpEndpoint, endpoint, false);
        set(KnownHostEnvironment.OtlpProtocol, "grpc", false);
        set(KnownHostEnvironment.ServiceName, name, false);
        set(KnownHostEnvironment.ResourceAttributes, $"service.instance.id={InstanceId(name)}", false);
        if (hostEnvironment.IsDevelopment())
        {
            // Export every second so the dashboard shows telemetry while one looks at it.
            set(KnownHostEnvironment.BatchSpanScheduleDelay, "1000", false);
            set(KnownHostEnvironment.BatchLogScheduleDelay, "1000", false);
            set(KnownHostEnvironment.MetricExportInterval, "1000", false);
        }

        if (options.OtlpApiKey is { } key)
        {
            set(KnownHostEnvironment.OtlpHeaders, $"{KnownHostEnvironment.OtlpApiKeyHeader}={key}", true);
        }
    }

    private static string ContainerView(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback
        ? new UriBuilder(uri) { Host = "host.docker.internal" }.Uri.ToString().TrimEnd('/')
        : url;

    private void AddProject(ResourcePlan plan, Action<string, string, bool> set)
    {
        set(KnownHostEnvironment.DotnetEnvironment, hostEnvironment.EnvironmentName, false);
        set(KnownHostEnvironment.AspNetCoreEnvironment, hostEnvironment.EnvironmentName, false);
        var urls = plan.Endpoints
            .Where(e => e.UriScheme is "http" or "https" && e.TargetPortEnvironmentVariable is null)
            .Select(e => $"{e.UriScheme}://{e.AllocatedEndpoint!.Host}:{e.AllocatedEndpoint.Port.ToString(CultureInfo.InvariantCulture)}")
            .ToArray();
        if (urls.Length > 0)
        {
            set(KnownHostEnvironment.AspNetCoreUrls, string.Join(';', urls), false);
        }
    }
}
