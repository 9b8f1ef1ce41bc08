using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MlOps.Mlflow;

/// <summary>
/// A typed client for MLflow's REST API 2.0 and its proxied artifact API. Works against any MLflow-compatible
/// server: point the <see cref="HttpClient"/>'s base address at the tracking URI. Every operation is one span of
/// <see cref="ActivitySourceName"/>; every failure, the HTTP pipeline's included (timeouts, an open circuit, a
/// refused connection), is one <see cref="MlflowException"/>; no message carries the URI's credentials.
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
    private readonly long _maxResponseBytes;

    /// <summary>Creates a client over an <see cref="HttpClient"/> whose base address is the tracking URI.</summary>
    /// <param name="http">The HTTP client; its <see cref="HttpClient.BaseAddress"/> is used unless the options set one.</param>
    /// <param name="options">The tracking URI and credentials; none when null.</param>
    /// <exception cref="ArgumentException">Neither the client nor the options say where the server is.</exception>
    public MlflowClient(HttpClient http, MlflowClientOptions? options = null)
        : this(http, options, logger: null)
    {
    }

    /// <summary>Creates a client that also logs what it does with cached models (see <see cref="ModelResolver"/>).</summary>
    /// <param name="http">The HTTP client; its <see cref="HttpClient.BaseAddress"/> is used unless the options set one.</param>
    /// <param name="options">The tracking URI and credentials; none when null.</param>
    /// <param name="logger">Where the client and the resolvers built on it log; nowhere when null.</param>
    /// <exception cref="ArgumentException">Neither the client nor the options say where the server is.</exception>
    public MlflowClient(HttpClient http, MlflowClientOptions? options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        var baseAddress = options?.TrackingUri ?? http.BaseAddress
            ?? throw new ArgumentException(
                $"The tracking server's address is not set: set {KnownMlflowEnvironment.TrackingUri} or the HttpClient's BaseAddress.",
                nameof(http));

        // Credentials in the URI's user-info become Basic authentication (as MLflow's client sends them) and leave
        // the address, so that no message built from it can show them.
        _authorization = Authorization(options) ?? FromUserInfo(baseAddress);
        var clean = UriRedaction.WithoutUserInfo(baseAddress);

        // A tracking URI may have a path prefix (https://host/mlflow); relative API paths must resolve under it.
        _baseAddress = clean.AbsoluteUri.EndsWith('/') ? clean : new Uri(clean.AbsoluteUri + "/");
        _maxResponseBytes = options?.MaxResponseBytes is > 0 and var max ? max : MlflowClientOptions.DefaultMaxResponseBytes;
        Logger = logger;
    }

    /// <summary>The tracking server's base address, without credentials.</summary>
    public Uri BaseAddress => _baseAddress;

    /// <summary>Where the client and the resolvers built on it log; null when nowhere.</summary>
    internal ILogger? Logger { get; }

    /// <summary>The tracking server as it may be printed: scheme, host and port.</summary>
    internal string ServerText => _baseAddress.GetLeftPart(UriPartial.Authority);

    private static AuthenticationHeaderValue? Authorization(MlflowClientOptions? options)
    {
        if (!string.IsNullOrEmpty(options?.Token))
        {
            return new AuthenticationHeaderValue("Bearer", options.Token);
        }

        return string.IsNullOrEmpty(options?.Username) ? null : Basic(options.Username, options.Password);
    }

    private static AuthenticationHeaderValue? FromUserInfo(Uri baseAddress) =>
        MlflowClientOptions.UserInfoCredentials(baseAddress) is var (user, password) ? Basic(user, password) : null;

    private static AuthenticationHeaderValue Basic(string user, string? password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private Task<T> GetAsync<T>(string operation, string query, CancellationToken cancellationToken, ExpectedAnswers? expected = null) =>
        SendJsonAsync<T>(operation, HttpMethod.Get, ApiPrefix + operation + query, body: null, cancellationToken, expected);

    private Task<T> PostAsync<T>(string operation, object body, CancellationToken cancellationToken, ExpectedAnswers? expected = null) =>
        SendJsonAsync<T>(operation, HttpMethod.Post, ApiPrefix + operation, body, cancellationToken, expected);

    private async Task<T> SendJsonAsync<T>(
        string operation, HttpMethod method, string relativeUri, object? body, CancellationToken cancellationToken, ExpectedAnswers? expected = null)
    {
        using var activity = StartActivity(operation);
        using var request = new HttpRequestMessage(method, new Uri(_baseAddress, relativeUri));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: MlflowJson.Options);
        }

        // Headers only: the body is read through a size limit, never buffered whole by HttpClient.
        using var response = await SendAsync(request, operation, HttpCompletionOption.ResponseHeadersRead, cancellationToken, expected)
            .ConfigureAwait(false);
        return await ReadJsonAsync<T>(response, operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a request with the credentials (only to the tracking server itself); an unsuccessful answer becomes an
    /// <see cref="MlflowException"/>, and so does any failure of the HTTP pipeline.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, string operation, HttpCompletionOption completion, CancellationToken cancellationToken,
        ExpectedAnswers? expected = null)
    {
        if (_authorization is not null && IsTrackingServer(request.RequestUri))
        {
            request.Headers.Authorization = _authorization;
        }

        if (expected is not null)
        {
            request.Options.Set(MlflowHttpSpans.ExpectedStatuses, expected.Statuses);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransportFailure(e, cancellationToken))
        {
            throw Unavailable(operation, e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            MlflowException error;
            try
            {
                error = await MlflowException.FromResponseAsync(response, operation, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransportFailure(e, cancellationToken))
            {
                throw Unavailable(operation, e);
            }

            if (expected?.Matches(error) == true)
            {
                Activity.Current?.SetTag("mlflow.error_code", error.ErrorCode);
                Activity.Current?.SetTag("mlflow.expected_answer", true);
            }
            else
            {
                Activity.Current?.SetStatus(ActivityStatusCode.Error, error.ErrorCode);
            }

            throw error;
        }
    }

    private bool IsTrackingServer(Uri? uri) =>
        uri is not null && string.Equals(uri.GetLeftPart(UriPartial.Authority), ServerText, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whatever the HTTP pipeline throws (a refused connection, a reset, the resilience handler's timeout or open
    /// circuit, a TLS failure) is a transport failure; the caller's own cancellation and misuse of the API are not.
    /// </summary>
    private static bool IsTransportFailure(Exception e, CancellationToken cancellationToken) =>
        e is not (MlflowException or ArgumentException or InvalidOperationException)
        && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private MlflowException Unavailable(string operation, Exception e)
    {
        Activity.Current?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
        return new MlflowException(KnownMlflowErrorCodes.TemporarilyUnavailable, null,
            $"{operation}: the tracking server at {ServerText} did not answer: {UriRedaction.RedactText(e.Message)}", e);
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
