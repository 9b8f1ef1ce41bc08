using System.Security.Cryptography;

namespace MlOps.Trainer.Versioning;

/// <summary>
/// Computes a DVC file hash over bytes fed in any slices, so a download can be hashed while it streams.
/// <c>md5</c> is the MD5 of the raw bytes; <c>md5-dos2unix</c> (DVC 2) reads the file in 1 MiB chunks and, for a chunk
/// whose first 512 bytes look like text, hashes it with CRLF turned into LF (dvc-data: hashfile/hash.py, istextfile.py).
/// </summary>
public sealed class DvcHasher : IDisposable
{
    // dvc-data's fobj_md5 reads 2**20 bytes at a time and judges each chunk by its first DEFAULT_CHUNK_SIZE (512) bytes.
    private const int Dos2UnixChunkBytes = 1 << 20;
    private const int TextProbeBytes = 512;

    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly byte[]? _chunk;
    private int _chunkLength;

    private DvcHasher(bool dos2Unix)
    {
        _chunk = dos2Unix ? new byte[Dos2UnixChunkBytes] : null;
    }

    /// <summary>A hasher for <paramref name="hashName"/> (<see cref="DvcHashNames"/>).</summary>
    public static DvcHasher Create(string hashName) => hashName switch
    {
        DvcHashNames.Md5 => new DvcHasher(dos2Unix: false),
        DvcHashNames.Md5Dos2Unix => new DvcHasher(dos2Unix: true),
        _ => throw new BadInputException($"hash '{hashName}' is not supported; expected md5."),
    };

    /// <summary>Hashes a whole file.</summary>
    public static string HashFile(string path, string hashName)
    {
        using var hasher = Create(hashName);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            hasher.Append(buffer.AsSpan(0, read));
        }

        return hasher.Finish();
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_chunk is null)
        {
            _md5.AppendData(data);
            return;
        }

        while (!data.IsEmpty)
        {
            var take = Math.Min(data.Length, _chunk.Length - _chunkLength);
            data[..take].CopyTo(_chunk.AsSpan(_chunkLength));
            _chunkLength += take;
            data = data[take..];
            if (_chunkLength == _chunk.Length)
            {
                FlushChunk();
            }
        }
    }

    /// <summary>The lowercase hex digest of everything appended.</summary>
    public string Finish()
    {
        if (_chunk is not null && _chunkLength > 0)
        {
            FlushChunk();
        }

        return Convert.ToHexStringLower(_md5.GetHashAndReset());
    }

    public void Dispose() => _md5.Dispose();

    private void FlushChunk()
    {
        var chunk = _chunk.AsSpan(0, _chunkLength);
        _chunkLength = 0;
        if (!IsTextBlock(chunk[..Math.Min(chunk.Length, TextProbeBytes)]))
        {
            _md5.AppendData(chunk);
            return;
        }

        // CRLF pairs split across two chunks stay as they are, exactly as DVC 2 hashed them.
        var start = 0;
        for (var i = 0; i < chunk.Length - 1; i++)
        {
            if (chunk[i] == (byte)'\r' && chunk[i + 1] == (byte)'\n')
            {
                _md5.AppendData(chunk[start..i]);
                start = i + 1;
            }
        }

        _md5.AppendData(chunk[start..]);
    }

    /// <summary>DVC's text heuristic: no NUL byte and at most 30% of bytes outside printable ASCII and \n\r\t\f\b.</summary>
    internal static bool IsTextBlock(ReadOnlySpan<byte> block)
    {
        if (block.IsEmpty)
        {
            return true;
        }

        if (block.Contains((byte)0))
        {
            return false;
        }

        var nonText = 0;
        foreach (var b in block)
        {
            var text = b is >= 32 and < 127 or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f' or (byte)'\b';
            nonText += text ? 0 : 1;
        }

        return (double)nonText / block.Length <= 0.30;
    }
}
