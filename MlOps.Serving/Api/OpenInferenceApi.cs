using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Serving.Input;
using MlOps.Serving.Model;

namespace MlOps.Serving.Api;

/// <summary>
/// The Open Inference Protocol (KServe V2) over REST, so KServe, Triton and MLServer clients can call serving:
/// server and model metadata, liveness and readiness, and inference with one tensor per model input. Errors are the
/// protocol's <c>{"error": "…"}</c>: 400 for a bad request, 404 for a model or version that is not served.
/// </summary>
public static class OpenInferenceApi
{
    public const string Platform = "onnxruntime_onnx";
    private static readonly string s_version = typeof(OpenInferenceApi).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";

    public static IEndpointRouteBuilder MapOpenInferenceApi(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2").WithTags("Open Inference Protocol (V2)");
        v2.MapGet("", () => TypedResults.Ok(new OipServerMetadata("mlops-serving", s_version, [])))
            .WithName("OipServerMetadata").WithSummary("Server metadata.");
        v2.MapGet("/health/live", () => TypedResults.Ok(new OipLive(true))).WithName("OipLive").WithSummary("Server liveness.");
        v2.MapGet("/health/ready", Ready).WithName("OipReady").WithSummary("Server readiness: 200 once a model is loaded, else 400.");
        foreach (var prefix in new[] { "/models/{name}", "/models/{name}/versions/{version}" })
        {
            var suffix = prefix.Contains("versions", StringComparison.Ordinal) ? "Version" : string.Empty;
            v2.MapGet(prefix, Metadata).WithName("OipModelMetadata" + suffix).WithSummary("Model metadata: inputs, outputs, versions.");
            v2.MapGet(prefix + "/ready", ModelReady).WithName("OipModelReady" + suffix).WithSummary("Model readiness.");
            v2.MapPost(prefix + "/infer", InferAsync).WithName("OipInfer" + suffix)
                .WithSummary("Inference: one tensor per model input (BYTES for categories, FP32/FP64/INT64 for numbers); outputs label and probability.")
                .Accepts<Dictionary<string, object>>("application/json");
        }

        return app;
    }

    public static Results<Ok<OipReady>, JsonHttpResult<OipReady>> Ready(ModelHost host) =>
        host.HasModel ? TypedResults.Ok(new OipReady(true)) : TypedResults.Json(new OipReady(false), statusCode: StatusCodes.Status400BadRequest);

    public static Results<Ok<OipModelReady>, JsonHttpResult<OipModelReady>, NotFound<OipError>> ModelReady(ModelHost host, string name, string? version)
    {
        if (!host.TryAcquire(out var lease))
        {
            return TypedResults.Json(new OipModelReady(name, false), statusCode: StatusCodes.Status400BadRequest);
        }

        using (lease)
        {
            return NotServed(lease.Model.Info, name, version) is { } missing ? TypedResults.NotFound(missing) : TypedResults.Ok(new OipModelReady(name, true));
        }
    }

    public static Results<Ok<OipModelMetadata>, NotFound<OipError>> Metadata(ModelHost host, string name, string? version)
    {
        if (!host.TryAcquire(out var lease))
        {
            return TypedResults.NotFound(new OipError($"No model is loaded yet: {host.Status.Reason ?? "loading"}."));
        }

        using (lease)
        {
            var model = lease.Model;
            if (NotServed(model.Info, name, version) is { } missing)
            {
                return TypedResults.NotFound(missing);
            }

            var inputs = model.Schema.Features.Select(f => new OipTensorMetadata(f.Name, f.IsCategorical ? "BYTES" : "FP64", [-1, 1])).ToArray();
            OipTensorMetadata[] outputs =
            [
                new(OpenInferenceRequest.LabelOutput, "INT64", [.. model.LabelShape.Select(d => (long)d)]),
                new(OpenInferenceRequest.ProbabilityOutput, "FP32", [.. model.ProbabilityShape.Select(d => (long)d)]),
            ];
            return TypedResults.Ok(new OipModelMetadata(model.Info.Name, [model.Info.Version], Platform, inputs, outputs));
        }
    }

    public static async Task<Results<Ok<OipInferenceResponse>, JsonHttpResult<OipError>>> InferAsync(
        HttpContext context, ScoringPipeline pipeline, ModelHost host, string name, string? version)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(host);
        if (host.Status.Model is { } current && NotServed(current, name, version) is { } missing)
        {
            return TypedResults.Json(missing, statusCode: StatusCodes.Status404NotFound);
        }

        var request = new OpenInferenceRequest();
        return await pipeline.ScoreAsync<Results<Ok<OipInferenceResponse>, JsonHttpResult<OipError>>>(context.Request, "v2_infer",
            (body, _, batch, maxRows, errors) => request.TryParse(body, batch, maxRows, errors), acceptCsv: false,
            scored =>
            {
                if (scored.RequestId is { } id)
                {
                    context.Response.Headers[ScoringPipeline.RequestIdHeader] = id;
                }

                return TypedResults.Ok(Answer(scored, request));
            },
            failure => TypedResults.Json(new OipError(Message(failure)), statusCode: failure.Status));
    }

    private static OipInferenceResponse Answer(Scored scored, OpenInferenceRequest request)
    {
        var (model, scores) = (scored.Model, scored.Scores);
        var outputs = request.Outputs.Select(output => output == OpenInferenceRequest.LabelOutput
            ? new OipOutput(output, Shape(model.LabelShape, scores.Count), "INT64", scores.Labels.ToArray())
            : new OipOutput(output, Shape(model.ProbabilityShape, scores.Count), "FP32", scores.Probabilities.ToArray())).ToArray();
        return new OipInferenceResponse(model.Info.Name, model.Info.Version, request.Id, outputs);
    }

    private static long[] Shape(IReadOnlyList<int> template, int rows) => [.. template.Select(d => d < 0 ? rows : (long)d)];

    private static OipError? NotServed(ModelInfo model, string name, string? version)
    {
        if (!string.Equals(name, model.Name, StringComparison.Ordinal))
        {
            return new OipError($"Model '{name}' is not served here; this server serves '{model.Name}'.");
        }

        return version is not null && !string.Equals(version, model.Version, StringComparison.Ordinal)
            ? new OipError($"Version '{version}' of '{name}' is not served here; version {model.Version} is.")
            : null;
    }

    // The protocol's error is one string: the failure, then the fields it concerns.
    private static string Message(ScoringFailure failure)
    {
        if (failure.Errors is not { } errors)
        {
            return $"{failure.Title} {failure.Detail}";
        }

        var fields = errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}");
        return $"{failure.Title} {string.Join("; ", fields)}";
    }
}
