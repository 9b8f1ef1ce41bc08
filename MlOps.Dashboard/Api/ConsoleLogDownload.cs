using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MlOps.Hosting.Orchestration;

namespace MlOps.Dashboard.Api;

/// <summary><c>/consolelogs/{name}/download</c>: a resource's kept console lines as a text file (the page's Download link).</summary>
internal static class ConsoleLogDownload
{
    public static void MapConsoleLogDownload(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/consolelogs/{name}/download", Download);

    private static Results<FileContentHttpResult, NotFound> Download(string name, ResourceNotificationService notifications, ResourceLoggerService logs)
    {
        if (notifications.Get(name) is null)
        {
            return TypedResults.NotFound();
        }

        var text = new StringBuilder();
        foreach (var line in logs.GetLines(name))
        {
            text.Append(line.Timestamp.ToString("O", System.Globalization.CultureInfo.InvariantCulture))
                .Append(line.IsError ? " [stderr] " : " ").AppendLine(line.Text);
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/plain; charset=utf-8", $"{name}-console.txt");
    }
}
