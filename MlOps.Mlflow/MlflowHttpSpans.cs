using System.Diagnostics;
using System.Net;

namespace MlOps.Mlflow;

/// <summary>
/// Keeps the HTTP client span of an expected answer (see <see cref="MlflowClient"/>'s look-ups) from being marked
/// as an error: .NET marks every 4xx answer of a client span as one. Registered by
/// <see cref="MlflowServiceCollectionExtensions.AddMlflowClient"/> as an enrichment of OpenTelemetry's HttpClient
/// instrumentation; it touches only requests this client marked.
/// </summary>
public static class MlflowHttpSpans
{
    internal static readonly HttpRequestOptionsKey<HttpStatusCode[]> ExpectedStatuses = new("mlops.mlflow.expected-statuses");

    /// <summary>Clears the error status of an HTTP span whose answer the request marked as expected.</summary>
    /// <param name="activity">The HTTP client span.</param>
    /// <param name="response">Its answer.</param>
    public static void Enrich(Activity activity, HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(response);
        if (response.RequestMessage?.Options.TryGetValue(ExpectedStatuses, out var statuses) == true && statuses.Contains(response.StatusCode))
        {
            activity.SetStatus(ActivityStatusCode.Unset);
            activity.SetTag("error.type", null);
            activity.SetTag("mlflow.expected_answer", true);
        }
    }
}
