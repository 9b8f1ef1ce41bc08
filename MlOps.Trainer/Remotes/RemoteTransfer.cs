using System.Diagnostics;
using System.Globalization;
using MlOps.Trainer.Versioning;

namespace MlOps.Trainer.Remotes;

/// <summary>
/// Push and pull of one DVC-tracked file against a remote. Pull streams into a temporary file beside the target while
/// hashing, resumes from where it stopped when the connection breaks (bounded attempts with backoff), checks the md5
/// and size against the pointer and only then moves the file into place: a failure leaves neither a partial file nor
/// a changed workspace.
/// </summary>
internal sealed class RemoteTransfer(IDataRemote remote, ITransferDisplay display)
{
    /// <summary>Attempts at one download body: the first plus resumed ones after a broken connection.</summary>
    internal const int MaxAttempts = 4;

    private const int BufferBytes = 1 << 20;

    public async Task<TransferResult> PushAsync(string dataPath, CancellationToken cancellationToken)
    {
        var verification = DataVersioning.Verify(dataPath);
        if (verification.Status != VerificationStatus.Match)
        {
            throw new BadInputException($"Cannot push: {verification.Message}");
        }

        var pointer = verification.Expected!;
        var size = verification.ActualSize!.Value;
        var key = DvcObjectKey.For(pointer);
        var clock = Stopwatch.StartNew();
        if (await remote.SizeAsync(key, cancellationToken).ConfigureAwait(false) == size)
        {
            return Result(TransferOutcome.AlreadyInRemote, key, pointer, size, clock, 1);
        }

        var source = new UploadSource(Path.GetFullPath(dataPath), size, pointer.HashName == DvcHashNames.Md5 ? pointer.Md5 : null);
        await display.ShowAsync($"{Path.GetFileName(dataPath)} → {remote.Description}", size,
            progress => remote.UploadAsync(key, source, progress, cancellationToken)).ConfigureAwait(false);
        return Result(TransferOutcome.Pushed, key, pointer, size, clock, 1);
    }

    /// <summary>Downloads the object <paramref name="pointer"/> names over <paramref name="dataPath"/> (the caller has decided it may be replaced).</summary>
    public async Task<TransferResult> PullAsync(string dataPath, DvcPointer pointer, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var key = DvcObjectKey.For(pointer);
        var temp = AtomicFile.TempPathFor(dataPath);
        try
        {
            var (md5, bytes, attempts) = await DownloadAsync(dataPath, key, pointer, temp, cancellationToken).ConfigureAwait(false);
            if (md5 != pointer.Md5)
            {
                throw Corrupt(dataPath, key, pointer, $"md5 {md5}, {bytes} bytes");
            }

            File.Move(temp, dataPath, overwrite: true);
            return Result(TransferOutcome.Pulled, key, pointer, bytes, clock, attempts);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }

    private async Task<(string Md5, long Bytes, int Attempts)> DownloadAsync(
        string dataPath, string key, DvcPointer pointer, string temp, CancellationToken cancellationToken)
    {
        // The first request is retried by the store's client (the SDK's bounded backoff); what follows here covers a
        // body that breaks off after bytes have flowed, resuming at the next byte.
        var read = await OpenAsync(dataPath, key, pointer, 0, cancellationToken).ConfigureAwait(false);
        var total = read.TotalLength;
        if (pointer.Size is { } expected && expected != total)
        {
            read.Dispose();
            throw Corrupt(dataPath, key, pointer, string.Create(CultureInfo.InvariantCulture, $"{total} bytes"));
        }

        using var hasher = DvcHasher.Create(pointer.HashName);
        long written = 0;
        var attempt = 1;
        var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, FileOptions.Asynchronous);
        await using (output.ConfigureAwait(false))
        {
            await display.ShowAsync($"{Path.GetFileName(dataPath)} ← {remote.Description}", total, async progress =>
            {
                while (true)
                {
                    try
                    {
                        read ??= await OpenAsync(dataPath, key, pointer, written, cancellationToken).ConfigureAwait(false);
                        using (read)
                        {
                            await StreamCopy.CopyAsync(read.Body, output, progress, written, cancellationToken, piece =>
                            {
                                hasher.Append(piece.Span);
                                written += piece.Length;
                            }).ConfigureAwait(false);
                        }

                        read = null;
                        if (written >= total)
                        {
                            return;
                        }

                        throw new IOException(string.Create(CultureInfo.InvariantCulture, $"the connection closed after {written} of {total} bytes"));
                    }
                    catch (Exception e) when (attempt < MaxAttempts && IsTransient(e, cancellationToken))
                    {
                        read = null;
                        attempt++;
                        display.Note(string.Create(CultureInfo.InvariantCulture,
                            $"{remote.Locate(key)}: {OneLine(e.Message)}; resuming at byte {written:N0} (attempt {attempt} of {MaxAttempts})"));
                        await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                    }
                }
            }).ConfigureAwait(false);
            output.Flush(flushToDisk: true);
        }

        return (hasher.Finish(), written, attempt);
    }

    private async Task<RemoteRead> OpenAsync(string dataPath, string key, DvcPointer pointer, long offset, CancellationToken cancellationToken)
    {
        try
        {
            return await remote.ReadAsync(key, offset, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteObjectMissingException e)
        {
            throw new BadInputException(
                $"{Path.GetFileName(dataPath)} (md5 {pointer.Md5}) is not in remote {remote.Description}: {e.Location} does not exist; push it first ('data push {dataPath}') or choose another --remote.", e);
        }
    }

    // A broken connection or a failing store is worth another try; bad input, a missing object or a corrupt one is not.
    private static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        IOException or HttpRequestException or DataRemoteException => true,
        _ => false,
    };

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(250 << Math.Min(attempt - 2, 4));

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private DataRemoteException Corrupt(string dataPath, string key, DvcPointer pointer, string actual)
    {
        var expected = pointer.Size is { } size ? string.Create(CultureInfo.InvariantCulture, $"md5 {pointer.Md5}, {size} bytes") : $"md5 {pointer.Md5}";
        return new DataRemoteException(
            $"{remote.Locate(key)}: the remote object is corrupt ({actual}; {Path.GetFileName(dataPath)}{DataVersioning.PointerExtension} expects {expected}); {dataPath} was left unchanged.");
    }

    private TransferResult Result(TransferOutcome outcome, string key, DvcPointer pointer, long bytes, Stopwatch clock, int attempts) =>
        new(outcome, remote.Description, remote.Locate(key), pointer.Md5, bytes, clock.Elapsed, attempts);
}
