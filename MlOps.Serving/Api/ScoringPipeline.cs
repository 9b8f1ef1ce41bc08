using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using MlOps.Serving.Input;
using MlOps.Serving.Model;
using MlOps.Serving.Monitoring;
using MlOps.Serving.Telemetry;

namespace MlOps.Serving.Api;

/// <summary>Fills a batch from a request body; false (with the errors) when the body is bad.</summary>
public delegate bool BodyParser(ReadOnlySequence<byte> body, bool csv, FeatureBatch batch, int maxRows, InputErrors errors);

/// <summary>What a scored request gives its endpoint to answer with; the buffers are valid until the answer is built.</summary>
public readonly record struct Scored(LoadedModel Model, ModelScores Scores, FeatureBatch Batch, string? RequestId);

/// <summary>Why a request was not scored, for the endpoint to answer in its protocol's error shape.</summary>
public sealed record ScoringFailure(int Status, string Title, string Detail, string Outcome, InputErrors? Errors = null);

/// <summary>
/// The one path every prediction endpoint takes: hold the current model for the whole request (a reload swaps the
/// model for later requests only), check the media type, read and parse the body against that model's schema, score,
/// answer, and hand the rows to monitoring (a copy into a bounded queue; nothing else on the request's time). A client
/// that goes away mid-request is counted, not reported as a server error.
/// </summary>
public sealed partial class ScoringPipeline(
    ModelHost host,
    IOptions<ServingOptions> options,
    ServingTelemetry telemetry,
    PredictionMonitor monitor,
    ILogger<ScoringPipeline> logger)
{
    /// <summary>The request id header: each logged prediction's id, to send feedback for it.</summary>
    public const string RequestIdHeader = "X-Request-Id";

    public async Task<TResult> ScoreAsync<TResult>(HttpRequest request, string endpoint, BodyParser parse, bool acceptCsv,
        Func<Scored, TResult> respond, Func<ScoringFailure, TResult> fail)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(respond);
        ArgumentNullException.ThrowIfNull(fail);
        var started = Stopwatch.GetTimestamp();
        if (!host.TryAcquire(out var lease))
        {
            return Fail(endpoint, started, fail, Failures.NoModel(host.Status.Reason));
        }

        using (lease)
        {
            var csv = acceptCsv && IsCsv(request);
            if (!csv && !request.HasJsonContentType())
            {
                return Fail(endpoint, started, fail, Failures.UnsupportedMediaType(request.ContentType, acceptCsv));
            }

            var settings = options.Value;
            RequestBody body;
            try
            {
                body = await RequestBody.ReadAsync(request, settings.MaxBodyBytes, request.HttpContext.RequestAborted);
            }
            catch (Exception e) when (ClientWentAway(request, e))
            {
                LogClientClosed(endpoint);
                return Fail(endpoint, started, fail, Failures.ClientClosed());
            }
            catch (BadHttpRequestException e)
            {
                return Fail(endpoint, started, fail, Failures.BadRequest(e));
            }

            if (body.TooLarge)
            {
                return Fail(endpoint, started, fail, Failures.TooLarge(settings.MaxBodyBytes));
            }

            return Score(lease.Model, endpoint, started, body, csv, parse, respond, fail);
        }
    }

    private TResult Score<TResult>(LoadedModel model, string endpoint, long started, RequestBody body, bool csv, BodyParser parse,
        Func<Scored, TResult> respond, Func<ScoringFailure, TResult> fail)
    {
        var settings = options.Value;
        using var batch = new FeatureBatch(model.Schema);
        var errors = new InputErrors();
        bool parsed;
        try
        {
            parsed = parse(body.Buffer, csv, batch, settings.MaxBatchRows, errors);
        }
        finally
        {
            body.Complete();
        }

        if (!parsed)
        {
            return Fail(endpoint, started, fail, Failures.BadInput(errors));
        }

        var modelStarted = Stopwatch.GetTimestamp();
        using var activity = ServingTelemetry.ActivitySource.StartActivity("model.score");
        activity?.SetTag(ServingTelemetry.ModelVersionAttribute, model.Info.Version).SetTag("mlops.rows", batch.Count);
        using var scores = model.Score(batch);
        var modelElapsed = Stopwatch.GetElapsedTime(modelStarted);
        var requestId = monitor.LogEnabled ? Guid.CreateVersion7() : Guid.Empty;
        var response = respond(new Scored(model, scores, batch, requestId == Guid.Empty ? null : requestId.ToString()));
        monitor.Observe(requestId, model, batch, scores);
        telemetry.Scored(endpoint, model.Info, scores.Labels, started, modelElapsed);
        return response;
    }

    private TResult Fail<TResult>(string endpoint, long started, Func<ScoringFailure, TResult> fail, ScoringFailure failure)
    {
        telemetry.Rejected(endpoint, failure.Outcome, started);
        return fail(failure);
    }

    private static bool IsCsv(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);

    // A client that disconnects mid-body surfaces as a cancelled read, a reset connection or an unexpected end of
    // the body; none of them is the server's fault.
    private static bool ClientWentAway(HttpRequest request, Exception e) =>
        e is OperationCanceledException or IOException && request.HttpContext.RequestAborted.IsCancellationRequested
        || e is IOException and not BadHttpRequestException;

    [LoggerMessage(Level = LogLevel.Debug, Message = "The client closed the connection before {Endpoint} was answered")]
    private partial void LogClientClosed(string endpoint);
}
