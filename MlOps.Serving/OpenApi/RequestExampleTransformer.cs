using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using MlOps.Serving.Input;
using MlOps.Serving.Model;

namespace MlOps.Serving.Api;

/// <summary>Marks an endpoint whose request body example the OpenAPI document should show, in this format.</summary>
public sealed record RequestExampleMetadata(RequestFormat Format);

/// <summary>
/// Fills the request body examples of the prediction endpoints from the model being served (its inputs and known
/// categories), so the document matches whatever model the trainer produced; a generic row while none is loaded.
/// </summary>
public sealed class RequestExampleTransformer(ModelHost host) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestExampleMetadata>().FirstOrDefault();
        if (metadata is null)
        {
            return Task.CompletedTask;
        }

        foreach (var (type, media) in operation.RequestBody?.Content ?? new Dictionary<string, OpenApiMediaType>())
        {
            media.Example = type == "text/csv" ? CsvExample() : Example(metadata.Format);
        }

        if (operation.Responses?.TryGetValue("200", out var ok) == true)
        {
            foreach (var media in ok.Content?.Values ?? [])
            {
                media.Example = ResponseExample(metadata.Format);
            }
        }

        return Task.CompletedTask;
    }

    private JsonNode ResponseExample(RequestFormat format)
    {
        var (name, version, threshold) = host.TryAcquire(out var lease)
            ? Describe(lease)
            : ("fraud-detector", "b77bcc2b893d", 0.37);
        var model = new JsonObject { ["name"] = name, ["version"] = version, ["run_id"] = null, ["loaded_at"] = "2026-01-01T00:00:00+00:00" };
        return format switch
        {
            RequestFormat.Single => new JsonObject { ["prediction"] = 0, ["probability"] = 0.0123, ["threshold"] = threshold, ["model"] = model },
            RequestFormat.Batch => new JsonObject
            {
                ["predictions"] = new JsonArray(0, 1),
                ["probabilities"] = new JsonArray(0.0123, 0.91),
                ["threshold"] = threshold,
                ["model"] = model,
            },
            _ => new JsonObject { ["predictions"] = new JsonArray(new JsonObject { ["label"] = 0, ["probability"] = 0.0123 }) },
        };
    }

    private static (string Name, string Version, double Threshold) Describe(ModelLease lease)
    {
        using (lease)
        {
            return (lease.Model.Info.Name, lease.Model.Info.Version, lease.Model.Threshold);
        }
    }

    private JsonNode Example(RequestFormat format)
    {
        var row = Row();
        return format switch
        {
            RequestFormat.Single => row,
            RequestFormat.Batch => new JsonObject { ["instances"] = new JsonArray(row, Row()) },
            _ => new JsonObject
            {
                ["dataframe_split"] = new JsonObject
                {
                    ["columns"] = new JsonArray([.. row.Select(p => (JsonNode)JsonValue.Create(p.Key))]),
                    ["data"] = new JsonArray(new JsonArray([.. row.Select(p => p.Value?.DeepClone())])),
                },
            },
        };
    }

    private JsonValue CsvExample()
    {
        var row = Row();
        return JsonValue.Create(string.Join(',', row.Select(p => p.Key)) + "\n" + string.Join(',', row.Select(p => p.Value?.ToJsonString().Trim('"'))) + "\n");
    }

    private JsonObject Row()
    {
        var row = new JsonObject();
        if (!host.TryAcquire(out var lease))
        {
            row["amount"] = 42.5;
            row["merchant_category"] = "grocery";
            return row;
        }

        using (lease)
        {
            foreach (var feature in lease.Model.Schema.Features)
            {
                row[feature.Name] = feature.IsCategorical
                    ? JsonValue.Create(feature.Categories.FirstOrDefault() ?? string.Empty)
                    : JsonValue.Create(1.5);
            }
        }

        return row;
    }
}
