using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MlOps.Mlflow;

/// <summary>
/// A typed client for MLflow's REST API 2.0 and its proxied artifact API. Works against any MLflow-compatible
/// server: point the <see cref="HttpClient"/>'s base address at the tracking URI. Every operation is one span of
/// <see cref="ActivitySourceName"/>.
/// </summary>
public sealed partial class MlflowClient
{
    /// <summary>The name of the activity source (and span prefix) of this client.</summary>
    public const string ActivitySourceName = "MlOps.Mlflow";

    private const string ApiPrefix = "api/2.0/mlflow/";
    private static readonly ActivitySource s_activitySource = new(ActivitySourceName);

    private readonly HttpClient _http;
    private readonly Uri _baseAddress;
    private readonly AuthenticationHeaderValue? _authorization;

    /// <summary>Creates a client over an <see cref="HttpClient"/> whose base address is the tracking URI.</summary>
    /// <param name="http">The HTTP client; its <see cref="HttpClient.BaseAddress"/> is used unless the options set one.</param>
    /// <param name="options">The tracking URI and credentials; none when null.</param>
    /// <exception cref="ArgumentException">Neither the client nor the options say where the server is.</exception>
    public MlflowClient(HttpClient http, MlflowClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        var baseAddress = options?.TrackingUri ?? http.BaseAddress
            ?? throw new ArgumentException(
                $"The tracking server's address is not set: set {KnownMlflowEnvironment.TrackingUri} or the HttpClient's BaseAddress.",
                nameof(http));
        // A tracking URI may have a path prefix (https://host/mlflow); relative API paths must resolve under it.
        _baseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _authorization = Authorization(options);
    }

    /// <summary>The tracking server's base address.</summary>
    public Uri BaseAddress => _baseAddress;

    private static AuthenticationHeaderValue? Authorization(MlflowClientOptions? options)
    {
        if (!string.IsNullOrEmpty(options?.Token))
        {
            return new AuthenticationHeaderValue("Bearer", options.Token);
        }

        if (!string.IsNullOrEmpty(options?.Username))
        {
            var pair = Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}");
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair));
        }

        return null;
    }

    private Task<T> GetAsync<T>(string operation, string query, CancellationToken cancellationToken) =>
        SendJsonAsync<T>(operation, HttpMethod.Get, ApiPrefix + operation + query, body: null, cancellationToken);

    private Task<T> PostAsync<T>(string operation, object body, CancellationToken cancellationToken) =>
        SendJsonAsync<T>(operation, HttpMethod.Post, ApiPrefix + operation, body, cancellationToken);

    private async Task<T> SendJsonAsync<T>(
        string operation, HttpMethod method, string relativeUri, object? body, CancellationToken cancellationToken)
    {
        using var activity = StartActivity(operation);
        using var request = new HttpRequestMessage(method, new Uri(_baseAddress, relativeUri));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: MlflowJson.Options);
        }

        using var response = await SendAsync(request, operation, HttpCompletionOption.ResponseContentRead, cancellationToken)
            .ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonSerializer.DeserializeAsync<T>(stream, MlflowJson.Options, cancellationToken).ConfigureAwait(false)
                    ?? throw new MlflowException(KnownMlflowErrorCodes.InternalError, response.StatusCode, $"{operation} answered null.");
            }
            catch (JsonException e)
            {
                throw new MlflowException(KnownMlflowErrorCodes.InternalError, response.StatusCode,
                    $"{operation} answered JSON this client cannot read: {e.Message}", e);
            }
        }
    }

    /// <summary>Sends a request with the credentials; an unsuccessful answer becomes an <see cref="MlflowException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, string operation, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        if (_authorization is not null)
        {
            request.Headers.Authorization = _authorization;
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Activity.Current?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw new MlflowException(KnownMlflowErrorCodes.TemporarilyUnavailable, null,
                $"{operation}: the tracking server at {_baseAddress.GetLeftPart(UriPartial.Authority)} did not answer: {e.Message}", e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var error = await MlflowException.FromResponseAsync(response, operation, cancellationToken).ConfigureAwait(false);
            Activity.Current?.SetStatus(ActivityStatusCode.Error, error.ErrorCode);
            throw error;
        }
    }

    private static Activity? StartActivity(string operation)
    {
        var activity = s_activitySource.StartActivity("mlflow " + operation, ActivityKind.Client);
        activity?.SetTag("mlflow.operation", operation);
        return activity;
    }

    /// <summary>Builds <c>?a=1&amp;b=2</c> from the pairs whose value is set (a key may repeat).</summary>
    private static string Query(params (string Key, string? Value)[] pairs)
    {
        var parts = pairs.Where(p => p.Value is not null)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value!));
        var joined = string.Join('&', parts);
        return joined.Length == 0 ? string.Empty : "?" + joined;
    }

    private static long ToMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}
