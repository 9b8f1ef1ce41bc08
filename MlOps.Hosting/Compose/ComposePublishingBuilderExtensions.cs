#pragma warning disable ASPIREPIPELINES001 // Pipeline steps are how Aspire 13 publishes; the API is marked experimental.

using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Pipelines;
using MlOps.Hosting.Compose;

namespace Aspire.Hosting;

/// <summary>Adds a docker-compose export of the app model to Aspire's publishing pipeline.</summary>
public static class ComposePublishingBuilderExtensions
{
    /// <summary>The value of <c>--publisher</c> that runs only this step.</summary>
    public const string PublisherName = "compose";

    /// <summary>The pipeline step that writes the compose files (<c>aspire do publish-compose</c>).</summary>
    public const string StepName = "publish-compose";

    /// <summary>
    /// Adds the <c>publish-compose</c> step, required by Aspire's <c>publish</c> step: it writes <c>docker-compose.yml</c>,
    /// <c>.env.example</c>, the PostgreSQL database script and, when a container asks for GPUs, <c>docker-compose.gpu.yml</c>
    /// into the pipeline's output path (<c>--output-path</c>; Aspire's <c>aspire-output</c> folder when unset).
    /// <c>--publisher compose</c> runs this step alone, the way <c>--publisher manifest</c> runs the manifest step.
    /// </summary>
    /// <param name="builder">The AppHost's builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IDistributedApplicationBuilder AddComposePublishing(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var step = new PipelineStep
        {
            Name = StepName,
            Description = "Writes a docker-compose.yml (and .env.example) from the application model.",
            Action = ComposePublisher.PublishAsync,
        };
        step.RequiredBy(WellKnownPipelineSteps.Publish);
        builder.Pipeline.AddStep(step);

        // Aspire maps --publisher to Publishing:Publisher and already chose publish mode; pick our step unless one was named.
        if (string.Equals(builder.Configuration["Publishing:Publisher"], PublisherName, StringComparison.OrdinalIgnoreCase)
            && string.IsNullOrEmpty(builder.Configuration["Pipeline:Step"]))
        {
            builder.Configuration["Pipeline:Step"] = StepName;
        }

        return builder;
    }

    /// <summary>
    /// Passes a build argument to the image the compose export builds from the project's <c>Dockerfile</c> (such as the
    /// base images of a .NET Dockerfile). Run mode and the Aspire manifest are unaffected: the project stays a project.
    /// </summary>
    /// <param name="builder">The project.</param>
    /// <param name="name">The <c>ARG</c> name.</param>
    /// <param name="value">A string, or a value provider such as a parameter, resolved when the compose file is written;
    /// null leaves the Dockerfile's default (no annotation), so optional settings can be passed as they are.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IResourceBuilder<ProjectResource> WithComposeBuildArg(this IResourceBuilder<ProjectResource> builder, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return value is null ? builder : builder.WithAnnotation(new ComposeBuildArgAnnotation(name, value));
    }
}
