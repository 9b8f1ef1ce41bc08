using System.Diagnostics.CodeAnalysis;

namespace MlOps.Tracking.Infrastructure;

/// <summary>Validation of request fields, each failure an INVALID_PARAMETER_VALUE.</summary>
internal static class Require
{
    /// <summary>MLflow's limit for names of experiments, registered models and aliases (its schema's VARCHAR(256)).</summary>
    public const int MaxNameLength = 256;

    /// <summary>MLflow's limit for tag and param keys.</summary>
    public const int MaxKeyLength = 250;

    /// <summary>MLflow's limit for tag values of experiments, registered models and model versions, and descriptions.</summary>
    public const int MaxEntityTagValueLength = 5000;

    public static string NotEmpty([NotNull] string? value, string parameter) =>
        string.IsNullOrEmpty(value) ? throw MlflowException.Missing(parameter) : value;

    public static T Present<T>([NotNull] T? value, string parameter)
        where T : struct =>
        value ?? throw MlflowException.Missing(parameter);

    /// <summary>A present value no longer than <paramref name="maxLength"/>.</summary>
    public static string Text([NotNull] string? value, string parameter, int maxLength)
    {
        NotEmpty(value, parameter);
        return MaxLength(value, parameter, maxLength)!;
    }

    /// <summary>An optional value no longer than <paramref name="maxLength"/>.</summary>
    public static string? MaxLength(string? value, string parameter, int maxLength) =>
        value is { Length: var length } && length > maxLength
            ? throw MlflowException.InvalidParameter(
                $"Invalid value for parameter '{parameter}': {length} characters exceed the limit of {maxLength}.")
            : value;

    /// <summary>A list whose elements are all present (<c>"metrics": [null]</c> is not a metric).</summary>
    public static IReadOnlyList<T> Items<T>(IReadOnlyList<T?>? items, string parameter)
        where T : class
    {
        if (items is null)
        {
            return [];
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                throw MlflowException.InvalidParameter($"Invalid value null for parameter '{parameter}[{i}]': expected an object.");
            }
        }

        return items!;
    }

    /// <summary>Tags of an experiment, registered model or model version: keys and values within MLflow's limits.</summary>
    public static IReadOnlyList<KeyValue> EntityTags(IReadOnlyList<KeyValue?>? tags, string parameter = "tags")
    {
        var present = Items(tags, parameter);
        for (var i = 0; i < present.Count; i++)
        {
            Text(present[i].Key, $"{parameter}[{i}].key", MaxKeyLength);
            MaxLength(present[i].Value, $"{parameter}[{i}].value", MaxEntityTagValueLength);
        }

        return present;
    }

    public static long ExperimentId(string? value, string parameter = "experiment_id") =>
        long.TryParse(NotEmpty(value, parameter), out var id) && id >= 0
            ? id
            : throw MlflowException.InvalidParameter($"Invalid value '{value}' for parameter '{parameter}': must be an integer id.");

    public static int MaxResults(int? value, int defaultValue, int limit) => value switch
    {
        null => defaultValue,
        <= 0 => throw MlflowException.InvalidParameter($"Invalid value {value} for parameter 'max_results' supplied: it must be a positive integer."),
        _ when value > limit => throw MlflowException.InvalidParameter(
            $"Invalid value {value} for parameter 'max_results' supplied. It must be at most {limit}."),
        _ => value.Value,
    };
}
