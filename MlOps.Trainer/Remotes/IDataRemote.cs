namespace MlOps.Trainer.Remotes;

/// <summary>
/// A DVC remote as a store of objects addressed by their path inside it (<c>files/md5/ab/cdef…</c>): a folder or an
/// S3 bucket prefix. Implementations stream; none holds a whole object in memory.
/// </summary>
internal interface IDataRemote : IDisposable
{
    /// <summary>What to call the remote in messages (never with credentials).</summary>
    string Description { get; }

    /// <summary>Where an object is, for messages.</summary>
    string Locate(string key);

    /// <summary>The object's size, or null when it is not there.</summary>
    Task<long?> SizeAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores the file as the object, reporting bytes sent; the object appears whole or not at all.</summary>
    Task UploadAsync(string key, UploadSource source, IProgress<long> progress, CancellationToken cancellationToken);

    /// <summary>Opens the object from <paramref name="offset"/>; throws <see cref="RemoteObjectMissingException"/> when absent.</summary>
    Task<RemoteRead> ReadAsync(string key, long offset, CancellationToken cancellationToken);
}

/// <summary>A local file to upload, with its size and (for DVC 3 objects) the MD5 of its bytes for the store to check.</summary>
internal sealed record UploadSource(string Path, long Length, string? RawMd5);

/// <summary>An open object body from some offset and the object's total length.</summary>
internal sealed record RemoteRead(Stream Body, long TotalLength) : IDisposable
{
    public void Dispose() => Body.Dispose();
}
