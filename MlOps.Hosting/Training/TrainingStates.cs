using Aspire.Hosting.ApplicationModel;

namespace MlOps.Hosting.Training;

internal static class TrainingStates
{
    /// <summary>States in which a training is under way or about to be.</summary>
    public static readonly IReadOnlySet<string> Busy = new HashSet<string>(StringComparer.Ordinal)
    {
        KnownResourceStates.Starting, KnownResourceStates.Running, KnownResourceStates.Waiting, KnownResourceStates.Building,
        KnownResourceStates.Stopping,
    };
}
