namespace MlOps.Trainer.Remotes;

/// <summary>Raised by a remote when the object asked for is not there; the transfer turns it into a message naming the file.</summary>
internal sealed class RemoteObjectMissingException(string location) : Exception($"{location}: no such object.")
{
    public string Location { get; } = location;
}
