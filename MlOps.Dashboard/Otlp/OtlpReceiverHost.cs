using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MlOps.Dashboard.Telemetry;

namespace MlOps.Dashboard.Otlp;

/// <summary>The OTLP receiver: one Kestrel server with an HTTP/2 endpoint for OTLP/gRPC and an HTTP/1.1 endpoint for
/// OTLP/HTTP, both writing to one <see cref="TelemetryRepository"/>.</summary>
public sealed class OtlpReceiverHost(OtlpReceiverOptions options, TelemetryRepository repository, ILoggerFactory? loggerFactory = null)
    : IHostedService, IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    private WebApplication? _app;

    /// <summary>The OTLP/gRPC address once started (the bound port when 0 was asked for).</summary>
    public Uri? GrpcAddress { get; private set; }

    /// <summary>The OTLP/HTTP base address once started.</summary>
    public Uri? HttpAddress { get; private set; }

    /// <summary>Starts listening on both endpoints.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var grpcUrl = new Uri(options.GrpcUrl);
        var httpUrl = new Uri(options.HttpUrl);
        ListenOptions? grpcListen = null;
        ListenOptions? httpListen = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = OtlpHttpApi.MaxBodyBytes;
            Listen(kestrel, grpcUrl, l => (grpcListen = l).Protocols = HttpProtocols.Http2);
            Listen(kestrel, httpUrl, l => (httpListen = l).Protocols = HttpProtocols.Http1AndHttp2);
        });
        builder.Services.AddSingleton(new OtlpApiKey(options.ApiKey));
        builder.Services.AddSingleton(new OtlpTraceService(repository, _loggerFactory.CreateLogger<OtlpTraceService>()));
        builder.Services.AddSingleton(new OtlpLogsService(repository, TimeProvider.System, _loggerFactory.CreateLogger<OtlpLogsService>()));
        builder.Services.AddSingleton(new OtlpMetricsService(repository, _loggerFactory.CreateLogger<OtlpMetricsService>()));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = OtlpHttpApi.MaxBodyBytes;
            grpc.Interceptors.Add<OtlpApiKeyInterceptor>();
        });
        var app = builder.Build();
        app.MapGrpcService<OtlpGrpcTraceService>();
        app.MapGrpcService<OtlpGrpcLogsService>();
        app.MapGrpcService<OtlpGrpcMetricsService>();
        app.MapOtlpHttp();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(
                $"The OTLP receiver cannot listen on {options.GrpcUrl} and {options.HttpUrl}: {ex.Message} (set Dashboard:OtlpGrpcUrl / Dashboard:OtlpHttpUrl).", ex);
        }

        _app = app;
        GrpcAddress = BoundAddress(grpcUrl, grpcListen);
        HttpAddress = BoundAddress(httpUrl, httpListen);
        _loggerFactory.CreateLogger<OtlpReceiverHost>().LogInformation(
            "OTLP receiver listening: gRPC {GrpcAddress}, HTTP {HttpAddress}", GrpcAddress, HttpAddress);
    }

    /// <summary>Stops listening.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopWithinBudgetAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url, Action<ListenOptions> configure)
    {
        if (url.Scheme != Uri.UriSchemeHttp)
        {
            throw new InvalidOperationException($"OTLP endpoint '{url}' must be http:// (TLS is not supported).");
        }

        if (url.Host is "localhost")
        {
            kestrel.ListenLocalhost(url.Port, configure);
        }
        else if (url.Host is "0.0.0.0" or "[::]")
        {
            kestrel.ListenAnyIP(url.Port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(url.Host.Trim('[', ']')), url.Port, configure);
        }
    }

    private static Uri BoundAddress(Uri configured, ListenOptions? listen) =>
        configured.Port == 0 && listen?.IPEndPoint is { } endPoint
            ? new UriBuilder(configured) { Port = endPoint.Port }.Uri
            : configured;
}
