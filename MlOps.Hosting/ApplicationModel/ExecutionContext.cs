namespace MlOps.Hosting.ApplicationModel;

/// <summary>Whether the app model is being run or published.</summary>
public enum DistributedApplicationOperation
{
    /// <summary>The orchestrator starts the resources.</summary>
    Run,

    /// <summary>A publisher writes a manifest; nothing starts.</summary>
    Publish,
}

/// <summary>What the AppHost is doing this time, visible to callbacks.</summary>
/// <param name="Operation">Run or publish.</param>
/// <param name="PublisherName">The publisher (<c>manifest</c>, <c>compose</c>) when publishing.</param>
public sealed record DistributedApplicationExecutionContext(DistributedApplicationOperation Operation, string? PublisherName = null)
{
    /// <summary>True when the resources are being started.</summary>
    public bool IsRunMode => Operation == DistributedApplicationOperation.Run;

    /// <summary>True when a manifest is being written.</summary>
    public bool IsPublishMode => Operation == DistributedApplicationOperation.Publish;
}
