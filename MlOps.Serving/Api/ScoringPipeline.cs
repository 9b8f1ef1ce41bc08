using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MlOps.Serving.Input;
using MlOps.Serving.Model;
using MlOps.Serving.Telemetry;

namespace MlOps.Serving.Api;

/// <summary>
/// The one path every prediction endpoint takes: hold the current model for the whole request (a reload swaps the
/// model for later requests only), read and parse the body against that model's schema, score, answer.
/// </summary>
public sealed class ScoringPipeline(ModelHost host, IOptions<ServingOptions> options, ServingTelemetry telemetry)
{
    public async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> ScoreAsync<T>(
        HttpRequest request, RequestFormat format, string endpoint, Func<LoadedModel, ModelScores, T> respond)
    {
        var started = Stopwatch.GetTimestamp();
        if (!host.TryAcquire(out var lease))
        {
            telemetry.Rejected(endpoint, "no_model", started);
            return Problems.NoModel(host.Status.Reason);
        }

        using (lease)
        {
            var model = lease.Model;
            var settings = options.Value;
            var body = await RequestBody.ReadAsync(request, settings.MaxBodyBytes, request.HttpContext.RequestAborted);
            if (body.TooLarge)
            {
                telemetry.Rejected(endpoint, "invalid_input", started);
                return Problems.TooLarge(settings.MaxBodyBytes);
            }

            using var batch = new FeatureBatch(model.Schema);
            var errors = new InputErrors();
            bool parsed;
            try
            {
                parsed = format == RequestFormat.Invocations && IsCsv(request)
                    ? CsvRequestParser.TryParse(body.Buffer, batch, settings.MaxBatchRows, errors)
                    : RequestParser.TryParse(body.Buffer, format, batch, settings.MaxBatchRows, errors);
            }
            finally
            {
                body.Complete();
            }

            if (!parsed)
            {
                telemetry.Rejected(endpoint, "invalid_input", started);
                return Problems.BadInput(errors);
            }

            var modelStarted = Stopwatch.GetTimestamp();
            using var activity = ServingTelemetry.ActivitySource.StartActivity("model.score");
            activity?.SetTag(ServingTelemetry.ModelVersionAttribute, model.Info.Version).SetTag("mlops.rows", batch.Count);
            using var scores = model.Score(batch);
            var modelElapsed = Stopwatch.GetElapsedTime(modelStarted);
            var response = respond(model, scores);
            telemetry.Scored(endpoint, model.Info, scores.Labels, started, modelElapsed);
            return TypedResults.Ok(response);
        }
    }

    private static bool IsCsv(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);
}
