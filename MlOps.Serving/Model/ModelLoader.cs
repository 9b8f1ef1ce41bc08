using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlOps.Serving.Monitoring.Drift;

namespace MlOps.Serving.Model;

/// <summary>
/// Opens a model folder as a <see cref="LoadedModel"/>: one session configured for a small machine (one intra- and
/// inter-op thread per call, all graph optimisations; concurrency comes from requests), inputs and outputs checked
/// against the serving contract with a clear message, then warmed up so the first request pays no first-run cost.
/// </summary>
public static class ModelLoader
{
    public static LoadedModel Load(ModelFolder folder, int warmupRuns, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(time);
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");

        InferenceSession session;
        try
        {
            session = new InferenceSession(folder.OnnxPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"{folder.OnnxPath} could not be loaded by ONNX Runtime: {e.Message}", e);
        }

        try
        {
            var schema = BuildSchema(session, folder);
            var labelShape = OutputShape(session, "label", TensorElementType.Int64);
            var probabilityShape = OutputShape(session, "probability", TensorElementType.Float);
            var info = new ModelInfo(folder.Name, folder.Version, folder.RunId, time.GetUtcNow());
            var drift = DriftReference.Load(Path.GetDirectoryName(folder.OnnxPath)!, schema);
            var model = new LoadedModel(session, schema, info, folder.Threshold, labelShape, probabilityShape, drift);
            WarmUp(model, warmupRuns);
            return model;
        }
        catch (Exception e)
        {
            session.Dispose();
            throw e is ModelLoadException ? e : new ModelLoadException($"{folder.OnnxPath}: {e.Message}", e);
        }
    }

    private static ModelSchema BuildSchema(InferenceSession session, ModelFolder folder)
    {
        var card = folder.Features.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var features = new List<SchemaFeature>();
        foreach (var (name, meta) in session.InputMetadata)
        {
            var categorical = meta.ElementDataType switch
            {
                TensorElementType.String => true,
                TensorElementType.Double => false,
                var other => throw new ModelLoadException($"input '{name}' is {other}; serving takes double and string inputs."),
            };
            if (meta.Dimensions.Length != 2 || meta.Dimensions[1] != 1)
            {
                throw new ModelLoadException($"input '{name}' has shape [{string.Join(',', meta.Dimensions)}]; expected [N,1].");
            }

            if (folder.SignatureTypes.TryGetValue(name, out var type) && type != (categorical ? "string" : "double"))
            {
                throw new ModelLoadException($"input '{name}' is {(categorical ? "string" : "double")} in model.onnx but {type} in MLmodel.");
            }

            if (!card.TryGetValue(name, out var feature))
            {
                throw new ModelLoadException($"input '{name}' is not among the model card's features.");
            }

            if (feature.IsCategorical != categorical)
            {
                throw new ModelLoadException($"input '{name}' is {(categorical ? "categorical" : "numeric")} in model.onnx but not in the model card.");
            }

            features.Add(new SchemaFeature(name, categorical, feature.Categories));
        }

        return features.Count > 0 ? new ModelSchema(features) : throw new ModelLoadException("model.onnx has no inputs.");
    }

    private static int[] OutputShape(InferenceSession session, string name, TensorElementType type)
    {
        if (!session.OutputMetadata.TryGetValue(name, out var meta))
        {
            throw new ModelLoadException($"model.onnx has no '{name}' output (outputs: {string.Join(", ", session.OutputMetadata.Keys)}).");
        }

        if (meta.ElementDataType != type || meta.Dimensions.Length is < 1 or > 2 || meta.Dimensions.Skip(1).Any(d => d != 1))
        {
            throw new ModelLoadException(
                $"output '{name}' is {meta.ElementDataType} [{string.Join(',', meta.Dimensions)}]; expected {type} [N].");
        }

        return meta.Dimensions;
    }

    // Scores rows of missing values (every model handles them) a few times and batches of two sizes.
    private static void WarmUp(LoadedModel model, int runs)
    {
        foreach (var rows in new[] { 1, 64 })
        {
            using var batch = new FeatureBatch(model.Schema);
            batch.EnsureCapacity(rows);
            batch.Count = rows;
            for (var f = 0; f < model.Schema.Count; f++)
            {
                if (model.Schema.Features[f].IsCategorical)
                {
                    batch.Text(f)[..rows].Fill(string.Empty);
                }
                else
                {
                    batch.Numeric(f)[..rows].Fill(double.NaN);
                }
            }

            for (var i = 0; i < Math.Max(1, runs); i++)
            {
                using var scores = model.Score(batch);
            }
        }
    }
}
