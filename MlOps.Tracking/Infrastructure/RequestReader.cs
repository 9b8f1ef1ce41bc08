using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;

namespace MlOps.Tracking.Infrastructure;

/// <summary>
/// Reads an MLflow request message the way MLflow does: the query string for GET (and for DELETE without a JSON
/// body), the JSON body otherwise; a POST whose Content-Type is not JSON is INVALID_PARAMETER_VALUE.
/// </summary>
internal static class RequestReader
{
    public static async Task<T> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        var json = IsJson(request.ContentType);
        if (HttpMethods.IsGet(request.Method) || (HttpMethods.IsDelete(request.Method) && !json))
        {
            return FromQuery<T>(request.Query);
        }

        if (!json)
        {
            throw MlflowException.InvalidParameter("Bad Request. Content-Type must be 'application/json'");
        }

        var message = await JsonSerializer.DeserializeAsync<T>(request.Body, MlflowJson.Options, request.HttpContext.RequestAborted);
        return message ?? throw MlflowException.InvalidParameter("The request body must be a JSON object.");
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static T FromQuery<T>(IQueryCollection query)
        where T : class
    {
        var typeInfo = MlflowJson.Options.GetTypeInfo(typeof(T));
        var node = new JsonObject();
        foreach (var property in typeInfo.Properties)
        {
            if (!query.TryGetValue(property.Name, out var values) || values.Count == 0)
            {
                continue;
            }

            var isList = property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType);
            node[property.Name] = isList
                ? new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))])
                : JsonValue.Create(values[0]);
        }

        return node.Deserialize<T>(MlflowJson.Options)
            ?? throw MlflowException.InvalidParameter("The request could not be read.");
    }
}
