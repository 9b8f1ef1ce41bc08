using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Serving.Input;

namespace MlOps.Serving.Api;

/// <summary><c>POST /predict</c> (one row) and <c>POST /predict/batch</c> (<c>{"instances": [...]}</c>).</summary>
public static class PredictApi
{
    private static readonly BodyParser s_single = static (body, _, batch, maxRows, errors) =>
        RequestParser.TryParse(body, RequestFormat.Single, batch, maxRows, errors);

    private static readonly BodyParser s_batch = static (body, _, batch, maxRows, errors) =>
        RequestParser.TryParse(body, RequestFormat.Batch, batch, maxRows, errors);

    public static IEndpointRouteBuilder MapPredictApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/predict").WithTags("Predictions")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/", Predict)
            .WithName("Predict")
            .WithSummary("Scores one transaction.")
            .WithDescription("The body is one JSON object with a field per model input (see the model's schema); null means missing. " +
                "With the prediction log on, the answer's request_id is what feedback names.")
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
        pipeline.ScoreAsync(request, "predict", s_single, acceptCsv: false, static scored =>
        {
            var (model, scores) = (scored.Model, scored.Scores);
            return (Results<Ok<PredictionResponse>, ValidationProblem, ProblemHttpResult>)TypedResults.Ok(
                new PredictionResponse((int)scores.Labels[0], scores.Probabilities[0], model.Threshold, model.Info, scored.RequestId));
        }, Problems.Scoring<PredictionResponse>);

    public static Task<Results<Ok<BatchPredictionResponse>, ValidationProblem, ProblemHttpResult>> PredictBatch(HttpRequest request, ScoringPipeline pipeline) =>
        pipeline.ScoreAsync(request, "predict_batch", s_batch, acceptCsv: false, static scored =>
        {
            var probabilities = scored.Scores.Probabilities.ToArray();
            var predictions = new int[probabilities.Length];
            for (var i = 0; i < predictions.Length; i++)
            {
                predictions[i] = (int)scored.Scores.Labels[i];
            }

            return (Results<Ok<BatchPredictionResponse>, ValidationProblem, ProblemHttpResult>)TypedResults.Ok(
                new BatchPredictionResponse(predictions, probabilities, scored.Model.Threshold, scored.Model.Info, scored.RequestId));
        }, Problems.Scoring<BatchPredictionResponse>);
}
