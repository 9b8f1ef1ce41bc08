using System.Buffers;
using System.Text.Json;
using MlOps.Serving.Monitoring.Log;

namespace MlOps.Serving.Input;

/// <summary>
/// Reads <c>POST /feedback</c>: one object <c>{"request_id": "…", "label": 0|1, "row": n}</c> (row optional, for a
/// batch request's rows, default 0) or an array of them. Every problem is named by the item it concerns
/// (<c>label</c>, <c>[3].request_id</c>): a label that is not 0 or 1, an id that is not a request id, an unknown field,
/// the same prediction twice.
/// </summary>
public static class FeedbackParser
{
    public static IReadOnlyList<FeedbackItem> Parse(ReadOnlySequence<byte> body, int maxItems, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            errors.Add(InputErrors.BodyKey, $"Malformed JSON: {e.Message}");
            return [];
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                return Item(root, string.Empty, errors) is { } item ? [item] : [];
            }

            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() is 0)
            {
                errors.Add(InputErrors.BodyKey, "The body must be one feedback object or a non-empty array of them.");
                return [];
            }

            if (root.GetArrayLength() > maxItems)
            {
                errors.Add(InputErrors.BodyKey, $"More than {maxItems} items; send at most {maxItems} per request.");
                return [];
            }

            return Items(root, errors);
        }
    }

    private static List<FeedbackItem> Items(JsonElement array, InputErrors errors)
    {
        var items = new List<FeedbackItem>(array.GetArrayLength());
        var seen = new Dictionary<(Guid, int), string>();
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var key = $"[{index++}]";
            if (Item(element, key, errors) is not { } item)
            {
                continue;
            }

            if (seen.TryGetValue((item.RequestId, item.Row), out var first))
            {
                errors.Add(FeedbackStore.Field(item, "request_id"), $"The same prediction (request and row) is already in this body at {first}.");
                continue;
            }

            seen[(item.RequestId, item.Row)] = key;
            items.Add(item);
        }

        return items;
    }

    private static FeedbackItem? Item(JsonElement element, string key, InputErrors errors)
    {
        string Field(string name) => key.Length == 0 ? name : $"{key}.{name}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(key.Length == 0 ? InputErrors.BodyKey : key, "A feedback item must be an object with request_id and label.");
            return null;
        }

        var before = errors.Count;
        Guid? id = null;
        short? label = null;
        var row = 0;
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "request_id" when value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var parsed):
                    id = parsed;
                    break;
                case "request_id":
                    id = Guid.Empty;
                    errors.Add(Field("request_id"), "Must be the request_id a prediction answered (a UUID string).");
                    break;
                case "label" when value.ValueKind == JsonValueKind.Number && value.TryGetInt16(out var given) && given is 0 or 1:
                    label = given;
                    break;
                case "label":
                    label = -1;
                    errors.Add(Field("label"), $"Must be 0 or 1, not {Shown(value)}.");
                    break;
                case "row" when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var index) && index >= 0:
                    row = index;
                    break;
                case "row":
                    errors.Add(Field("row"), "Must be the row's index in a batch request (0 or more).");
                    break;
                default:
                    errors.Add(Field(property.Name), "Unknown field; an item takes request_id, label and row.");
                    break;
            }
        }

        if (id is null)
        {
            errors.Add(Field("request_id"), "Missing: name the prediction by the request_id it answered.");
        }

        if (label is null)
        {
            errors.Add(Field("label"), "Missing: the true label, 0 or 1.");
        }

        return errors.Count == before ? new FeedbackItem(key, id!.Value, row, label!.Value) : null;
    }

    private static string Shown(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 40 ? text : text[..40] + "…";
    }
}
