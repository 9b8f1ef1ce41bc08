namespace MlOps.Trainer.Remotes;

/// <summary>A DVC local remote: a folder holding <c>files/md5/ab/cdef…</c> (and DVC 2's <c>ab/cdef…</c> at its root).</summary>
internal sealed class DirectoryRemote(string root, string description) : IDataRemote
{
    private const int BufferBytes = 1 << 20;

    public string Description { get; } = description;

    public string Locate(string key) => Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar));

    public Task<long?> SizeAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(Locate(key));
        return Task.FromResult(file.Exists ? file.Length : (long?)null);
    }

    public async Task UploadAsync(string key, UploadSource source, IProgress<long> progress, CancellationToken cancellationToken)
    {
        var target = Locate(key);
        var temp = AtomicFile.TempPathFor(target);
        try
        {
            var input = new FileStream(source.Path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.SequentialScan | FileOptions.Asynchronous);
            await using (input.ConfigureAwait(false))
            {
                var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, FileOptions.Asynchronous);
                await using (output.ConfigureAwait(false))
                {
                    await StreamCopy.CopyAsync(input, output, progress, 0, cancellationToken).ConfigureAwait(false);
                    output.Flush(flushToDisk: true);
                }
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }

    public Task<RemoteRead> ReadAsync(string key, long offset, CancellationToken cancellationToken)
    {
        var path = Locate(key);
        if (!File.Exists(path))
        {
            throw new RemoteObjectMissingException(path);
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.SequentialScan | FileOptions.Asynchronous);
        stream.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult(new RemoteRead(stream, stream.Length));
    }

    public void Dispose()
    {
        // Nothing held between calls.
    }
}
