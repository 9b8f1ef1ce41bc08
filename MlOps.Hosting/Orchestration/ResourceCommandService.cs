namespace MlOps.Hosting.Orchestration;

/// <summary>Start, stop and restart through the orchestrator.</summary>
internal sealed class ResourceCommandService(ApplicationOrchestrator orchestrator) : IResourceCommandService
{
    public Task<ResourceCommandResult> ExecuteAsync(string resourceName, string commandName, CancellationToken cancellationToken) =>
        orchestrator.ExecuteCommandAsync(resourceName, commandName, cancellationToken);
}
