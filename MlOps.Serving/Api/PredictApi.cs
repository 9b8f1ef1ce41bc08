using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Serving.Input;

namespace MlOps.Serving.Api;

/// <summary><c>POST /predict</c> (one row) and <c>POST /predict/batch</c> (<c>{"instances": [...]}</c>).</summary>
public static class PredictApi
{
    public static IEndpointRouteBuilder MapPredictApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/predict").WithTags("Predictions")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/", Predict)
            .WithName("Predict")
            .WithSummary("Scores one transaction.")
            .WithDescription("The body is one JSON object with a field per model input (see the model's schema); null means missing.")
            .Accepts<Dictionary<string, object>>("application/json")
            .WithMetadata(new RequestExampleMetadata(RequestFormat.Single));

        group.MapPost("/batch", PredictBatch)
            .WithName("PredictBatch")
            .WithSummary("Scores many transactions: {\"instances\": [...]}, answers in the same order.")
            .Accepts<Dictionary<string, object>>("application/json")
            .WithMetadata(new RequestExampleMetadata(RequestFormat.Batch));

        return app;
    }

    public static Task<Results<Ok<PredictionResponse>, ValidationProblem, ProblemHttpResult>> Predict(HttpRequest request, ScoringPipeline pipeline) =>
        pipeline.ScoreAsync(request, RequestFormat.Single, "predict", static (model, scores) =>
        {
            return new PredictionResponse((int)scores.Labels[0], scores.Probabilities[0], model.Threshold, model.Info);
        });

    public static Task<Results<Ok<BatchPredictionResponse>, ValidationProblem, ProblemHttpResult>> PredictBatch(HttpRequest request, ScoringPipeline pipeline) =>
        pipeline.ScoreAsync(request, RequestFormat.Batch, "predict_batch", static (model, scores) =>
        {
            var probabilities = scores.Probabilities.ToArray();
            var predictions = new int[probabilities.Length];
            for (var i = 0; i < predictions.Length; i++)
            {
                predictions[i] = (int)scores.Labels[i];
            }

            return new BatchPredictionResponse(predictions, probabilities, model.Threshold, model.Info);
        });
}
