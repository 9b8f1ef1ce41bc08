using System.Diagnostics;
using MlOps.Serving.Model;

namespace MlOps.Serving.Monitoring;

/// <summary>
/// One answered request as monitoring sees it: a compact copy of its inputs (numbers and categories, column by
/// column, so the request's pooled buffers go straight back), the model's outputs, and — once the shadow has run —
/// the challenger's. Handed from the request to the monitor through a bounded queue; never touched by both at once.
/// </summary>
internal sealed class PredictionEvent
{
    public PredictionEvent(Guid requestId, DateTimeOffset time, LoadedModel model, int rows, ActivityTraceId traceId)
    {
        RequestId = requestId;
        Time = time;
        Model = model;
        Rows = rows;
        TraceId = traceId;
        Numeric = new double[model.Schema.NumericCount * rows];
        Text = new string[model.Schema.TextCount * rows];
        Probabilities = new float[rows];
        Labels = new long[rows];
    }

    /// <summary>The id the client was given for feedback (empty when the log is off).</summary>
    public Guid RequestId { get; }

    public DateTimeOffset Time { get; }

    /// <summary>The production model that answered (its schema, version, threshold and drift reference).</summary>
    public LoadedModel Model { get; }

    public int Rows { get; }

    public ActivityTraceId TraceId { get; }

    /// <summary>Numeric inputs, feature-major: <c>[slot * Rows + row]</c>; NaN is missing.</summary>
    public double[] Numeric { get; }

    /// <summary>Categorical inputs, feature-major: <c>[slot * Rows + row]</c>; "" is missing.</summary>
    public string[] Text { get; }

    public float[] Probabilities { get; }

    public long[] Labels { get; }

    public ModelInfo? ChallengerModel { get; set; }

    public float[]? ChallengerProbabilities { get; set; }

    public long[]? ChallengerLabels { get; set; }

    public double Number(int feature, int row) => Numeric[(Model.Schema.Slots[feature] * Rows) + row];

    public string Category(int feature, int row) => Text[(Model.Schema.Slots[feature] * Rows) + row];

    /// <summary>Copies the request's rows and scores (the request's buffers are reused once it answers).</summary>
    public static PredictionEvent Capture(Guid requestId, DateTimeOffset time, LoadedModel model, FeatureBatch batch, ModelScores scores)
    {
        var rows = batch.Count;
        var captured = new PredictionEvent(requestId, time, model, rows, Activity.Current?.TraceId ?? default);
        var schema = model.Schema;
        for (var f = 0; f < schema.Count; f++)
        {
            var offset = schema.Slots[f] * rows;
            if (schema.Features[f].IsCategorical)
            {
                batch.TextRows(f).CopyTo(captured.Text.AsSpan(offset, rows));
            }
            else
            {
                batch.NumericMemory(f).Span.CopyTo(captured.Numeric.AsSpan(offset, rows));
            }
        }

        scores.Probabilities.CopyTo(captured.Probabilities);
        scores.Labels.CopyTo(captured.Labels);
        return captured;
    }
}
