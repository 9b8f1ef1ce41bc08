using System.Text;
using System.Text.Json;

namespace MlOps.Tracking.Infrastructure;

/// <summary>MLflow's page tokens: base64 of a small JSON object holding the offset of the next page.</summary>
internal static class PageToken
{
    public static int Offset(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(token));
            if (document.RootElement.TryGetProperty("offset", out var offset) && offset.TryGetInt32(out var value) && value >= 0)
            {
                return value;
            }
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            // Falls through to the one error below.
        }

        throw MlflowException.InvalidParameter($"Invalid page token, could not base64-decode or parse it: {token}");
    }

    public static string? Next(int offset, int pageSize, bool hasMore) =>
        hasMore ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"offset\": {offset + pageSize}}}")) : null;
}
