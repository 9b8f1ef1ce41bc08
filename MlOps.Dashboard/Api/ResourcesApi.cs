using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MlOps.Hosting.Orchestration;

namespace MlOps.Dashboard.Api;

/// <summary><c>/api/resources</c>: the resources' snapshots, their console output and their commands.</summary>
internal static class ResourcesApi
{
    public static RouteGroupBuilder MapResourcesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/resources");
        api.MapGet("/", (ResourceNotificationService notifications) => TypedResults.Ok(notifications.Current));
        api.MapGet("/watch", WatchAsync);
        api.MapGet("/{name}", GetResource);
        api.MapGet("/{name}/console", GetConsole);
        api.MapPost("/{name}/commands/{command}", ExecuteCommandAsync);
        return api;
    }

    private static Results<Ok<ResourceSnapshot>, ProblemHttpResult> GetResource(string name, ResourceNotificationService notifications) =>
        notifications.Get(name) is { } snapshot
            ? TypedResults.Ok(snapshot)
            : UnknownResource(name);

    private static Results<Ok<IReadOnlyList<ConsoleLogLine>>, ProblemHttpResult> GetConsole(
        string name, long? after, ResourceNotificationService notifications, ResourceLoggerService logs)
    {
        if (notifications.Get(name) is null)
        {
            return UnknownResource(name);
        }

        IReadOnlyList<ConsoleLogLine> lines = logs.GetLines(name).Where(l => l.LineNumber > (after ?? 0)).ToArray();
        return TypedResults.Ok(lines);
    }

    private static async Task<Results<Ok<ResourceSnapshot>, ProblemHttpResult>> ExecuteCommandAsync(
        string name, string command, ResourceNotificationService notifications, IResourceCommandService commands, CancellationToken cancellationToken)
    {
        if (notifications.Get(name) is null)
        {
            return UnknownResource(name);
        }

        if (command is not (KnownResourceCommands.Start or KnownResourceCommands.Stop or KnownResourceCommands.Restart))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown command",
                detail: $"'{command}' is not a command; use start, stop or restart.");
        }

        var result = await commands.ExecuteAsync(name, command, cancellationToken).ConfigureAwait(false);
        return result.Success
            ? TypedResults.Ok(notifications.Get(name)!)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Cannot {command} '{name}'", detail: result.ErrorMessage);
    }

    // Newline-delimited JSON: the current snapshots, then every change, until the client disconnects.
    private static async Task WatchAsync(HttpContext context, ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "application/x-ndjson";
        var options = context.RequestServices.GetService(typeof(JsonSerializerOptions)) as JsonSerializerOptions ?? DashboardJson.Options;
        await context.Response.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var snapshot in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(context.Response.Body, snapshot, options, cancellationToken).ConfigureAwait(false);
                await context.Response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static ProblemHttpResult UnknownResource(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown resource", detail: $"No resource is named '{name}'.");
}
