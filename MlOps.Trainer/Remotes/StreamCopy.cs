using System.Buffers;

namespace MlOps.Trainer.Remotes;

/// <summary>Copies a stream in 1 MiB pieces, reporting the running byte count and letting each piece be observed.</summary>
internal static class StreamCopy
{
    private const int BufferBytes = 1 << 20;

    /// <summary>Copies <paramref name="input"/> to its end; returns the bytes copied. <paramref name="startedAt"/> offsets the reported count.</summary>
    public static async Task<long> CopyAsync(
        Stream input, Stream output, IProgress<long> progress, long startedAt, CancellationToken cancellationToken, Action<ReadOnlyMemory<byte>>? observe = null)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            long copied = 0;
            int read;
            while ((read = await input.ReadAsync(buffer.AsMemory(0, BufferBytes), cancellationToken).ConfigureAwait(false)) > 0)
            {
                var piece = buffer.AsMemory(0, read);
                await output.WriteAsync(piece, cancellationToken).ConfigureAwait(false);
                observe?.Invoke(piece);
                copied += read;
                progress.Report(startedAt + copied);
            }

            return copied;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
