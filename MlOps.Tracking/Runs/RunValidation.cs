using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Runs;

/// <summary>MLflow's limits and name rules for logged data; everything is checked before anything is stored.</summary>
internal static class RunValidation
{
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;
    public const int MaxKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 8000;

    public static readonly string[] Statuses = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];

    public static void Batch(IReadOnlyList<Metric> metrics, IReadOnlyList<KeyValue> parameters, IReadOnlyList<KeyValue> tags)
    {
        Limit(metrics.Count, MaxMetricsPerBatch, "metrics");
        Limit(parameters.Count, MaxParamsPerBatch, "params");
        Limit(tags.Count, MaxTagsPerBatch, "tags");
        Limit(metrics.Count + parameters.Count + tags.Count, MaxEntitiesPerBatch, "metrics, params and tags");
        for (var i = 0; i < metrics.Count; i++)
        {
            Name(metrics[i].Key, $"metrics[{i}].key");
            Require.Present(metrics[i].Value, $"metrics[{i}].value");
            if (metrics[i].Timestamp is null)
            {
                throw MlflowException.Missing($"metrics[{i}].timestamp");
            }
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            Name(parameters[i].Key, $"params[{i}].key");
            Value(parameters[i].Value, MaxParamValueLength, $"params[{i}].value");
        }

        for (var i = 0; i < tags.Count; i++)
        {
            Name(tags[i].Key, $"tags[{i}].key");
            Value(tags[i].Value, MaxTagValueLength, $"tags[{i}].value");
        }

        var conflicting = parameters.GroupBy(p => p.Key, StringComparer.Ordinal)
            .FirstOrDefault(g => g.Select(p => p.Value).Distinct(StringComparer.Ordinal).Skip(1).Any());
        if (conflicting is not null)
        {
            throw MlflowException.InvalidParameter(
                $"Duplicate parameter keys have been submitted with different values: '{conflicting.Key}'.");
        }
    }

    /// <summary>A run name within MLflow's limit (its schema's VARCHAR(250)).</summary>
    public static string RunName(string name) => Require.MaxLength(name, "run_name", MaxKeyLength)!;

    /// <summary>A run tag (key and value) within MLflow's limits.</summary>
    public static void Tag(KeyValue tag, string parameter)
    {
        Name(tag.Key, $"{parameter}.key");
        Value(tag.Value ?? "", MaxTagValueLength, $"{parameter}.value");
    }

    public static string Status(string? status) =>
        status is null || Statuses.Contains(status)
            ? status ?? "RUNNING"
            : throw MlflowException.InvalidParameter($"Invalid run status '{status}': use one of {string.Join(", ", Statuses)}.");

    public static void Name(string? key, string parameter)
    {
        Require.NotEmpty(key, parameter);
        Require.MaxLength(key, parameter, MaxKeyLength);

        // MLflow keys become file-system-like paths: letters, digits, _ - . space and /, never escaping upwards.
        if (!key.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or ' ' or '/')
            || key.StartsWith('/') || key.Split('/').Any(part => part is ".."))
        {
            throw MlflowException.InvalidParameter(
                $"Invalid value '{key}' for parameter '{parameter}': names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).");
        }
    }

    private static void Value(string? value, int maxLength, string parameter)
    {
        if (value is null)
        {
            throw MlflowException.Missing(parameter);
        }

        Require.MaxLength(value, parameter, maxLength);
    }

    private static void Limit(int count, int max, string what)
    {
        if (count > max)
        {
            throw MlflowException.InvalidParameter(
                $"A batch logging request can contain at most {max} {what}. Got {count}. Please split up it into multiple requests.");
        }
    }
}
