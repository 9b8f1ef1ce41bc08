using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Serving.Input;

namespace MlOps.Serving.Api;

/// <summary>
/// <c>POST /invocations</c>: MLflow's scoring protocol, so clients of <c>mlflow models serve</c> switch without
/// changes. Answers the model's outputs per row, as MLflow's ONNX flavor does: <c>{"predictions": [{"label", "probability"}]}</c>
/// (the request id for feedback, when the prediction log is on, is in the <c>X-Request-Id</c> header).
/// </summary>
public static class InvocationsApi
{
    private static readonly BodyParser s_parser = static (body, csv, batch, maxRows, errors) => csv
        ? CsvRequestParser.TryParse(body, batch, maxRows, errors)
        : RequestParser.TryParse(body, RequestFormat.Invocations, batch, maxRows, errors);

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

    public static Task<Results<Ok<InvocationsResponse>, ValidationProblem, ProblemHttpResult>> Invoke(HttpContext context, ScoringPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(context);
        return pipeline.ScoreAsync(context.Request, "invocations", s_parser, acceptCsv: true, scored =>
        {
            var predictions = new InvocationPrediction[scored.Scores.Count];
            for (var i = 0; i < predictions.Length; i++)
            {
                predictions[i] = new InvocationPrediction(scored.Scores.Labels[i], scored.Scores.Probabilities[i]);
            }

            if (scored.RequestId is { } id)
            {
                context.Response.Headers[ScoringPipeline.RequestIdHeader] = id;
            }

            return (Results<Ok<InvocationsResponse>, ValidationProblem, ProblemHttpResult>)TypedResults.Ok(new InvocationsResponse(predictions));
        }, Problems.Scoring<InvocationsResponse>);
    }
}
