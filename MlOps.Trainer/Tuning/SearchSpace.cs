using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Trainer.Training;

namespace MlOps.Trainer.Tuning;

/// <summary>How one hyperparameter is searched: a range (log-scaled or not) or a list of choices.</summary>
internal sealed record SearchParameter(string Name, double Low, double High, bool Log, bool Integer, IReadOnlyList<JsonNode?>? Choices)
{
    public bool IsChoice => Choices is not null;

    /// <summary>The range in the sampler's space (logarithms for log-scaled ranges).</summary>
    public (double Low, double High) Internal => Log ? (Math.Log(Low), Math.Log(High)) : (Low, High);

    /// <summary>An internal value (a choice's index, or a point of the internal range) as the config value.</summary>
    public JsonNode? ToConfigValue(double value)
    {
        if (Choices is { } choices)
        {
            return choices[(int)value]?.DeepClone();
        }

        var plain = Log ? Math.Exp(value) : value;
        plain = Math.Clamp(plain, Low, High);
        return Integer ? JsonValue.Create((int)Math.Round(plain)) : JsonValue.Create(Math.Round(plain, 6));
    }

    public string Describe() => Choices is { } choices
        ? $"one of {string.Join(", ", choices.Select(c => c?.ToJsonString()))}"
        : string.Create(CultureInfo.InvariantCulture, $"{(Integer ? "whole numbers" : "numbers")} from {Low} to {High}{(Log ? " (log scale)" : string.Empty)}");
}

/// <summary>
/// The hyperparameters <c>tune</c> searches, from <c>--space FILE.json</c> or the default. Keys are the config's
/// <c>lightgbm</c> keys; each value is <c>{"low": …, "high": …, "log": true|false}</c> or <c>{"choices": […]}</c>.
/// Whole-number parameters (num_leaves, min_data_in_leaf, …) are sampled as whole numbers.
/// </summary>
internal sealed record SearchSpace(IReadOnlyList<SearchParameter> Parameters)
{
    public const string DefaultJson = """
        {
          "learning_rate": { "low": 0.01, "high": 0.3, "log": true },
          "num_leaves": { "low": 4, "high": 128, "log": true },
          "max_depth": { "choices": [-1, 3, 5, 8, 12] },
          "min_data_in_leaf": { "low": 2, "high": 300, "log": true },
          "lambda_l1": { "choices": [0, 0.01, 0.1, 1, 10] },
          "lambda_l2": { "choices": [0, 0.01, 0.1, 1, 10] },
          "feature_fraction": { "low": 0.4, "high": 1.0 },
          "bagging_fraction": { "low": 0.4, "high": 1.0 },
          "class_weight": { "choices": ["none", "sqrt", "balanced"] }
        }
        """;

    public static SearchSpace Default { get; } = Parse(DefaultJson, "the default search space");

    public static SearchSpace Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), path) : throw new BadInputException($"--space {path}: file not found.");

    /// <summary>Parses and checks a space: every key a lightgbm setting, every bound or choice a valid value for it.</summary>
    public static SearchSpace Parse(string json, string source)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new BadInputException($"{source}: the search space must be a JSON object of lightgbm settings.");
        }
        catch (JsonException ex)
        {
            throw new BadInputException($"{source}: not valid JSON (line {(ex.LineNumber ?? 0) + 1}).", ex);
        }

        var integers = IntegerKeys();
        var parameters = root.Select(p => ParseParameter(p.Key, p.Value, integers.Contains(p.Key), source)).ToList();
        if (parameters.Count == 0)
        {
            throw new BadInputException($"{source}: the search space names no parameter.");
        }

        var space = new SearchSpace(parameters);
        foreach (var parameter in parameters)
        {
            // Every extreme must make a valid config: the config's own checks name the key and the file.
            var extremes = parameter.Choices is { } choices ? Enumerable.Range(0, choices.Count).Select(i => (double)i) : [parameter.Internal.Low, parameter.Internal.High];
            foreach (var value in extremes)
            {
                space.Apply(new TrainingConfig(), new Dictionary<string, double> { [parameter.Name] = value }, source);
            }
        }

        return space;
    }

    /// <summary>The base config with a trial's values set in its <c>lightgbm</c> section.</summary>
    public TrainingConfig Apply(TrainingConfig baseConfig, IReadOnlyDictionary<string, double> values, string source = "search space")
    {
        var node = JsonSerializer.SerializeToNode(baseConfig, TrainingConfig.s_json)!.AsObject();
        var lightgbm = node["lightgbm"]!.AsObject();
        foreach (var parameter in Parameters)
        {
            if (values.TryGetValue(parameter.Name, out var value))
            {
                lightgbm[parameter.Name] = parameter.ToConfigValue(value);
            }
        }

        return TrainingConfig.Parse(node.ToJsonString(), source);
    }

    /// <summary>A trial's values as config values, for logs and params.</summary>
    public Dictionary<string, string> Describe(IReadOnlyDictionary<string, double> values) =>
        Parameters.Where(p => values.ContainsKey(p.Name)).ToDictionary(
            p => p.Name, p => p.ToConfigValue(values[p.Name]) is JsonValue v && v.TryGetValue<string>(out var text) ? text : p.ToConfigValue(values[p.Name])?.ToJsonString() ?? "null",
            StringComparer.Ordinal);

    public string ToJson() => new JsonObject(Parameters.Select(p => KeyValuePair.Create<string, JsonNode?>(p.Name, p.Choices is { } c
        ? new JsonObject { ["choices"] = new JsonArray([.. c.Select(x => x?.DeepClone())]) }
        : new JsonObject { ["low"] = p.Low, ["high"] = p.High, ["log"] = p.Log }))).ToJsonString();

    private static SearchParameter ParseParameter(string name, JsonNode? node, bool integer, string source)
    {
        if (node is not JsonObject spec)
        {
            throw new BadInputException($"{source}: '{name}' must be an object: {{\"low\": …, \"high\": …}} or {{\"choices\": […]}}.");
        }

        if (spec["choices"] is JsonArray choices)
        {
            return choices.Count > 0
                ? new SearchParameter(name, 0, choices.Count - 1, false, integer, [.. choices.Select(c => c?.DeepClone())])
                : throw new BadInputException($"{source}: '{name}.choices' is empty.");
        }

        double Bound(string key) => spec[key] is JsonValue v && v.TryGetValue<double>(out var d)
            ? d
            : throw new BadInputException($"{source}: '{name}' needs a numeric '{key}' (or a 'choices' list).");
        var (low, high) = (Bound("low"), Bound("high"));
        var log = spec["log"] is JsonValue l && l.TryGetValue<bool>(out var b) && b;
        if (!(low < high) || (log && low <= 0))
        {
            throw new BadInputException($"{source}: '{name}' needs low < high{(log ? " and low > 0 on a log scale" : string.Empty)}.");
        }

        return new SearchParameter(name, low, high, log, integer, null);
    }

    private static HashSet<string> IntegerKeys() =>
        [.. typeof(HyperParameters).GetProperties()
            .Where(p => p.PropertyType == typeof(int))
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))];
}
