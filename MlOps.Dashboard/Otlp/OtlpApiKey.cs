using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;

namespace MlOps.Dashboard.Otlp;

/// <summary>The optional OTLP API key: when set, every export must carry <c>x-otlp-api-key: KEY</c> (compared in
/// constant time). gRPC calls without it fail with Unauthenticated, HTTP requests with 401.</summary>
internal sealed class OtlpApiKey(string? key)
{
    public const string HeaderName = "x-otlp-api-key";

    private readonly byte[]? _key = string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);

    public bool IsRequired => _key is not null;

    public bool Accepts(string? candidate) =>
        _key is null || (candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _key));

    public bool Accepts(HttpContext context) => Accepts(context.Request.Headers[HeaderName].ToString());

    public static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>Refuses gRPC calls without the OTLP API key.</summary>
internal sealed class OtlpApiKeyInterceptor(OtlpApiKey apiKey) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!apiKey.Accepts(context.RequestHeaders.GetValue(OtlpApiKey.HeaderName)))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"Missing or wrong '{OtlpApiKey.HeaderName}' header."));
        }

        return continuation(request, context);
    }
}
