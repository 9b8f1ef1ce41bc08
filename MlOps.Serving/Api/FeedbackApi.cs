using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MlOps.Serving.Input;
using MlOps.Serving.Model;
using MlOps.Serving.Monitoring;
using MlOps.Serving.Monitoring.Log;
using MlOps.Serving.Monitoring.Quality;

namespace MlOps.Serving.Api;

/// <summary>
/// <c>POST /feedback</c>: the ground truth for logged predictions, <c>{"request_id", "label"}</c> (plus <c>row</c> for a
/// batch request's rows) or an array of them, joined in one transaction. Unknown ids, predictions already labelled,
/// repeated items and bad labels are 400 problem details naming the item; nothing is written then.
/// </summary>
public static class FeedbackApi
{
    public static IEndpointRouteBuilder MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/feedback", SubmitAsync)
            .WithTags("Monitoring")
            .WithName("Feedback")
            .WithSummary("Joins true labels to logged predictions by request_id (one object or an array).")
            .Accepts<Dictionary<string, object>>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<Results<Ok<FeedbackResponse>, ValidationProblem, ProblemHttpResult>> SubmitAsync(HttpRequest request,
        PredictionLog log, FeedbackStore store, QualityMonitor quality, MonitoringTelemetry telemetry, IOptions<ServingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        if (!log.Enabled)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The prediction log is off.",
                detail: log.Status.Reason);
        }

        if (!request.HasJsonContentType())
        {
            var failure = Failures.UnsupportedMediaType(request.ContentType, acceptCsv: false);
            return TypedResults.Problem(statusCode: failure.Status, title: failure.Title, detail: failure.Detail);
        }

        var settings = options.Value;
        var body = await RequestBody.ReadAsync(request, settings.MaxBodyBytes, request.HttpContext.RequestAborted);
        if (body.TooLarge)
        {
            return Problems.BadInput(Failures.TooLarge(settings.MaxBodyBytes).Errors!, "The request body is too large.");
        }

        var errors = new InputErrors();
        IReadOnlyList<FeedbackItem> items;
        try
        {
            items = FeedbackParser.Parse(body.Buffer, settings.MaxBatchRows, errors);
        }
        finally
        {
            body.Complete();
        }

        if (errors.Any)
        {
            return Problems.BadInput(errors, "The feedback is not valid.");
        }

        try
        {
            if (!await store.TryJoinAsync(items, errors, request.HttpContext.RequestAborted))
            {
                return Problems.BadInput(errors, "Some feedback does not match a logged prediction; nothing was recorded.");
            }
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The prediction log's database is unavailable; send the feedback again later.", detail: Reasons.Of(e));
        }

        telemetry.Feedback(items.Count);
        quality.Signal();
        return TypedResults.Ok(new FeedbackResponse(items.Count));
    }
}

/// <summary>The answer of <c>POST /feedback</c>: how many labels were joined.</summary>
public sealed record FeedbackResponse(int Accepted);
