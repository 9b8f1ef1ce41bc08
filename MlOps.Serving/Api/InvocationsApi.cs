using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Serving.Input;
using MlOps.Serving.Model;

namespace MlOps.Serving.Api;

/// <summary>
/// <c>POST /invocations</c>: MLflow's scoring protocol, so clients of <c>mlflow models serve</c> switch without
/// changes. Answers the model's outputs per row, as MLflow's ONNX flavor does: <c>{"predictions": [{"label", "probability"}]}</c>.
/// </summary>
public static class InvocationsApi
{
    public static IEndpointRouteBuilder MapInvocationsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/invocations", Invoke)
            .WithTags("MLflow scoring")
            .WithName("Invocations")
            .WithSummary("MLflow scoring protocol: dataframe_split, dataframe_records, instances or inputs (JSON), or a CSV body (text/csv).")
            .Accepts<Dictionary<string, object>>("application/json", "text/csv")
            .WithMetadata(new RequestExampleMetadata(RequestFormat.Invocations))
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static Task<Results<Ok<InvocationsResponse>, ValidationProblem, ProblemHttpResult>> Invoke(HttpRequest request, ScoringPipeline pipeline) =>
        pipeline.ScoreAsync(request, RequestFormat.Invocations, "invocations", static (LoadedModel _, ModelScores scores) =>
        {
            var predictions = new InvocationPrediction[scores.Count];
            for (var i = 0; i < predictions.Length; i++)
            {
                predictions[i] = new InvocationPrediction(scores.Labels[i], scores.Probabilities[i]);
            }

            return new InvocationsResponse(predictions);
        });
}
