using System.Text.Json.Serialization;
using MlOps.Serving.Model;
using MlOps.Serving.Monitoring.Drift;
using MlOps.Serving.Monitoring.Log;
using MlOps.Serving.Monitoring.Quality;
using MlOps.Serving.Monitoring.Shadow;

namespace MlOps.Serving.Api;

/// <summary>The answer of <c>POST /predict</c>.</summary>
/// <param name="Prediction">The model's label: 1 when <paramref name="Probability"/> reaches its threshold, else 0.</param>
/// <param name="Probability">The model's probability of the positive class.</param>
/// <param name="Threshold">The decision threshold chosen at training (model card).</param>
/// <param name="Model">The model that answered.</param>
/// <param name="RequestId">The logged prediction's id, for <c>POST /feedback</c>; only when the prediction log is on.</param>
public sealed record PredictionResponse(int Prediction, float Probability, double Threshold, ModelInfo Model, string? RequestId = null);

/// <summary>The answer of <c>POST /predict/batch</c>: arrays in the order of the instances (feedback names a row by its index).</summary>
public sealed record BatchPredictionResponse(int[] Predictions, float[] Probabilities, double Threshold, ModelInfo Model, string? RequestId = null);

/// <summary>One row of an MLflow scoring answer: the model's outputs by name.</summary>
public sealed record InvocationPrediction(long Label, float Probability);

/// <summary>MLflow's scoring answer: <c>{"predictions": [...]}</c>.</summary>
public sealed record InvocationsResponse(InvocationPrediction[] Predictions);

/// <summary>
/// The body of <c>GET /health</c>: <c>loading</c>, <c>no-model</c> or <c>unavailable</c> (with a reason) or <c>healthy</c>
/// (with the model); <c>load_error</c> says why the last attempt to load a new model failed while this one serves; the
/// challenger's state when the shadow is on.
/// </summary>
public sealed record HealthResponse(string Status, string? Reason, ModelInfo? Model, string? Registry = null, string? LoadError = null,
    DateTimeOffset? LoadErrorAt = null, ChallengerHealth? Challenger = null);

/// <summary>The challenger's part of <c>GET /health</c> (it never makes serving unhealthy).</summary>
public sealed record ChallengerHealth(string Status, string? Reason, ModelInfo? Model, string? LoadError = null);

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
[JsonSerializable(typeof(FeedbackResponse))]
[JsonSerializable(typeof(DriftSnapshot))]
[JsonSerializable(typeof(QualitySnapshot))]
[JsonSerializable(typeof(ShadowSnapshot))]
[JsonSerializable(typeof(PredictionLogStatus))]
[JsonSerializable(typeof(OipServerMetadata))]
[JsonSerializable(typeof(OipLive))]
[JsonSerializable(typeof(OipReady))]
[JsonSerializable(typeof(OipModelReady))]
[JsonSerializable(typeof(OipModelMetadata))]
[JsonSerializable(typeof(OipInferenceResponse))]
[JsonSerializable(typeof(OipError))]
[JsonSerializable(typeof(long[]))]
[JsonSerializable(typeof(float[]))]
public sealed partial class ServingJsonContext : JsonSerializerContext;
