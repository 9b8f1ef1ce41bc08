using System.Text.Json.Serialization;
using MlOps.Serving.Model;

namespace MlOps.Serving.Api;

/// <summary>The answer of <c>POST /predict</c>.</summary>
/// <param name="Prediction">The model's label: 1 when <paramref name="Probability"/> reaches its threshold, else 0.</param>
/// <param name="Probability">The model's probability of the positive class.</param>
/// <param name="Threshold">The decision threshold chosen at training (model card).</param>
/// <param name="Model">The model that answered.</param>
public sealed record PredictionResponse(int Prediction, float Probability, double Threshold, ModelInfo Model);

/// <summary>The answer of <c>POST /predict/batch</c>: arrays in the order of the instances.</summary>
public sealed record BatchPredictionResponse(int[] Predictions, float[] Probabilities, double Threshold, ModelInfo Model);

/// <summary>One row of an MLflow scoring answer: the model's outputs by name.</summary>
public sealed record InvocationPrediction(long Label, float Probability);

/// <summary>MLflow's scoring answer: <c>{"predictions": [...]}</c>.</summary>
public sealed record InvocationsResponse(InvocationPrediction[] Predictions);

/// <summary>The body of <c>GET /health</c>: <c>loading</c>, <c>unavailable</c> (with a reason) or <c>healthy</c> (with the model).</summary>
public sealed record HealthResponse(string Status, string? Reason, ModelInfo? Model, string? Registry = null);

/// <summary>The answer of a successful <c>POST /admin/reload</c>.</summary>
public sealed record ReloadResponse(string Status, ModelInfo Model, ModelInfo? Previous);

/// <summary>Source-generated JSON for the API's own types (snake_case, nulls left out).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PredictionResponse))]
[JsonSerializable(typeof(BatchPredictionResponse))]
[JsonSerializable(typeof(InvocationsResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ReloadResponse))]
public sealed partial class ServingJsonContext : JsonSerializerContext;
