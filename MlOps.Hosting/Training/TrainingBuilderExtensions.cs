using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Hosting.Training;

namespace Aspire.Hosting;

/// <summary>The trainer's place in the dashboard: a "Train" command, and one training by itself on a first run.</summary>
public static class TrainingBuilderExtensions
{
    /// <summary>The command's name (<c>aspire resource trainer train</c>).</summary>
    public const string TrainCommandName = "train";

    /// <summary>Adds the "Train" command: starts the run-to-completion trainer again (a new model version, promoted when
    /// at least as good); disabled while a training runs.</summary>
    /// <param name="builder">The trainer's builder.</param>
    /// <returns>The same builder.</returns>
    public static IResourceBuilder<T> WithTrainCommand<T>(this IResourceBuilder<T> builder) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithCommand(TrainCommandName, "Train",
            context => context.Services.GetRequiredService<ResourceCommandService>()
                .ExecuteCommandAsync(builder.Resource, KnownResourceCommands.StartCommand, context.CancellationToken),
            new CommandOptions
            {
                Description = "Train a new model version on the current data; it is promoted when at least as good as production.",
                IconName = "BrainCircuit",
                IsHighlighted = true,
                UpdateState = context => context.ResourceSnapshot.State?.Text is { } state && TrainingStates.Busy.Contains(state)
                    ? ResourceCommandState.Disabled
                    : ResourceCommandState.Enabled,
            });
    }

    /// <summary>
    /// Starts the trainer once when the registry behind <paramref name="tracking"/> has no <c>model@alias</c> yet, so a
    /// first run ends with a model being served. Asked when the tracking server turns ready (Aspire's
    /// <see cref="ResourceReadyEvent"/>), started through <see cref="ResourceCommandService"/>; run mode only.
    /// </summary>
    /// <param name="builder">The trainer's builder.</param>
    /// <param name="tracking">The MLflow-compatible tracking server (its <c>http</c> endpoint).</param>
    /// <param name="model">The registered model's name.</param>
    /// <param name="alias">The alias serving follows.</param>
    /// <returns>The same builder.</returns>
    public static IResourceBuilder<T> WithFirstRunTraining<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithEndpoints> tracking,
        string model = "fraud-detector", string alias = "production") where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tracking);
        if (builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            var firstRun = new FirstRunTraining(builder.Resource, tracking.Resource.GetEndpoint("http"), model, alias);
            builder.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(tracking.Resource, (e, _) =>
            {
                // Not awaited: the trainer waits for this very event to finish before it starts.
                firstRun.Begin(e.Services);
                return Task.CompletedTask;
            });
        }

        return builder;
    }
}
