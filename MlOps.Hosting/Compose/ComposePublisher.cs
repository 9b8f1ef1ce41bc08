#pragma warning disable ASPIREPIPELINES001 // Pipeline steps are how Aspire 13 publishes; the API is marked experimental.
#pragma warning disable ASPIREPIPELINES004 // The pipeline's default output folder (aspire-output), as Aspire's own steps use it.

using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MlOps.Hosting.Compose;

/// <summary>The <c>publish-compose</c> pipeline step: generates the compose files and writes each one atomically into
/// the output folder, then says what it wrote and how to start it.</summary>
internal static class ComposePublisher
{
    public static async Task PublishAsync(PipelineStepContext context)
    {
        var outputPath = context.Services.GetRequiredService<IOptions<PipelineOptions>>().Value.OutputPath
            ?? context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
        var composeFile = ComposeOutput.ComposeFile(outputPath);
        var directory = Path.GetDirectoryName(composeFile)!;
        var files = await new ComposeGenerator(context.Model, context.ExecutionContext, context.Logger)
            .GenerateAsync(composeFile, context.CancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (name, text) in files)
            {
                var path = Path.Combine(directory, name);
                await ComposeOutput.WriteAsync(path, text, context.CancellationToken).ConfigureAwait(false);
                context.Logger.LogInformation("Wrote {Path}", path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Bad input (--output-path), not a bug: one line and a failing exit code, not the pipeline's stack trace.
            // Aspire's publishing offers no result to the AppHost, so the process's exit code carries it.
            context.Logger.LogError("Cannot write the compose files to {Directory}: {Reason}", directory, e.Message);
            Environment.ExitCode = 1;
            return;
        }

        context.Logger.LogInformation(
            "Next: cd {Directory} && cp {EnvExample} .env (fill in the secrets) && docker-compose -f {ComposeFile} up -d; on-demand resources: docker-compose --profile {Profile} up <name>",
            directory, ComposeNames.EnvExampleFile, Path.GetFileName(composeFile), ComposeNames.ExplicitStartProfile);
    }
}
