using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Serving;

/// <summary>Polls a JSON endpoint (by default <c>/health</c>) until its body meets a condition, or fails with the last body.</summary>
public static class HealthWaiter
{
    public static Task<(HttpStatusCode Status, JsonElement Body)> WaitAsync(HttpClient client, Func<JsonElement, bool> done) =>
        WaitAsync(client, "/health", done);

    public static async Task<(HttpStatusCode Status, JsonElement Body)> WaitAsync(HttpClient client, string path, Func<JsonElement, bool> done)
    {
        using var timeout = new CancellationTokenSource(TaskTimeoutExtensions.DefaultTimeoutDuration);
        var last = default(JsonElement);
        while (!timeout.IsCancellationRequested)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), timeout.Token).DefaultTimeout();
            last = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token).DefaultTimeout();
            if (done(last))
            {
                return (response.StatusCode, last);
            }

            await Task.Delay(50, timeout.Token);
        }

        throw new TimeoutException($"{path} never reached the expected state; last: {last}");
    }
}
