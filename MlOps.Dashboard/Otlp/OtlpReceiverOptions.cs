namespace MlOps.Dashboard.Otlp;

/// <summary>Where the OTLP receiver listens and which key it requires.</summary>
public sealed class OtlpReceiverOptions
{
    /// <summary>OTLP/gRPC endpoint (HTTP/2 without TLS). Host <c>localhost</c> or an IP address (<c>0.0.0.0</c>: all); port 0 picks a
    /// free port (IP addresses only).</summary>
    public string GrpcUrl { get; set; } = "http://localhost:18889";

    /// <summary>OTLP/HTTP endpoint (<c>POST /v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>, protobuf bodies).</summary>
    public string HttpUrl { get; set; } = "http://localhost:18890";

    /// <summary>When set, exports must send <c>x-otlp-api-key: ApiKey</c>.</summary>
    public string? ApiKey { get; set; }
}
