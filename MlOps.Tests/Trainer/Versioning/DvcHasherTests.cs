using System.Security.Cryptography;
using System.Text;
using MlOps.Trainer.Versioning;

namespace MlOps.Tests.Trainer.Versioning;

// The md5-dos2unix cases mirror dvc-data's own tests (tests/hashfile/test_hash.py, test_hash_stream.py).
public sealed class DvcHasherTests
{
    private static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    private static string Hash(byte[] bytes, string hashName, int slice = int.MaxValue)
    {
        using var hasher = DvcHasher.Create(hashName);
        for (var i = 0; i < bytes.Length; i += slice)
        {
            hasher.Append(bytes.AsSpan(i, Math.Min(slice, bytes.Length - i)));
        }

        return hasher.Finish();
    }

    [Fact]
    public void Md5_AnySlicing_IsMd5OfRawBytes()
    {
        var crlf = "a\r\nb\r\nc"u8.ToArray();

        Assert.Equal(Md5(crlf), Hash(crlf, DvcHashNames.Md5, slice: 2));
    }

    [Fact]
    public void Dos2Unix_CrlfText_HashesLikeLfText()
    {
        var lf = "a\nb\nc"u8.ToArray();
        var crlf = "a\r\nb\r\nc"u8.ToArray();

        Assert.Equal(Md5(lf), Hash(crlf, DvcHashNames.Md5Dos2Unix));
        Assert.Equal(Hash(lf, DvcHashNames.Md5Dos2Unix), Hash(crlf, DvcHashNames.Md5Dos2Unix, slice: 1));
    }

    [Fact]
    public void Dos2Unix_NulInFirst512Bytes_HashesRawBytes()
    {
        var binary = Encoding.ASCII.GetBytes("not clean \0\r\n");

        Assert.Equal(Md5(binary), Hash(binary, DvcHashNames.Md5Dos2Unix));
    }

    [Fact]
    public void Dos2Unix_NulAfterFirst512Bytes_StillTextSoCrlfConverted()
    {
        // DVC judges a chunk by its first 512 bytes only.
        var bytes = Encoding.ASCII.GetBytes(new string('x', 512) + "\r\n\0");

        Assert.Equal(Md5(Encoding.ASCII.GetBytes(new string('x', 512) + "\n\0")), Hash(bytes, DvcHashNames.Md5Dos2Unix));
    }

    [Fact]
    public void Dos2Unix_CrlfAcrossTheMebibyteChunkBoundary_IsKeptAsDvc2Did()
    {
        // fobj_md5 reads 2**20 bytes at a time and converts within each chunk, so a CR ending one chunk stays.
        var bytes = new byte[(1 << 20) + 1];
        bytes.AsSpan().Fill((byte)'x');
        bytes[(1 << 20) - 1] = (byte)'\r';
        bytes[1 << 20] = (byte)'\n';

        Assert.Equal(Md5(bytes), Hash(bytes, DvcHashNames.Md5Dos2Unix, slice: 4096));
    }

    [Fact]
    public void Dos2Unix_MostlyNonAsciiChunk_IsBinary()
    {
        var bytes = new byte[100];
        bytes.AsSpan().Fill(0xC3);
        bytes[10] = (byte)'\r';
        bytes[11] = (byte)'\n';

        Assert.False(DvcHasher.IsTextBlock(bytes));
        Assert.Equal(Md5(bytes), Hash(bytes, DvcHashNames.Md5Dos2Unix));
    }

    [Fact]
    public void HashFile_Dvc2FixtureFromDvcTests_MatchesItsPointer()
    {
        var pointer = DvcPointer.Parse(File.ReadAllText(DvcWorkspace.Fixture("foo.dvc")), "foo.dvc");

        Assert.Equal(pointer.Md5, DvcHasher.HashFile(DvcWorkspace.Fixture("foo"), pointer.HashName));
    }
}
