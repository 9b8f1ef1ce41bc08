using System.Diagnostics.CodeAnalysis;

namespace MlOps.Tracking.Infrastructure;

/// <summary>Validation of request fields, each failure an INVALID_PARAMETER_VALUE.</summary>
internal static class Require
{
    public static string NotEmpty([NotNull] string? value, string parameter) =>
        string.IsNullOrEmpty(value) ? throw MlflowException.Missing(parameter) : value;

    public static T Present<T>([NotNull] T? value, string parameter)
        where T : struct =>
        value ?? throw MlflowException.Missing(parameter);

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
