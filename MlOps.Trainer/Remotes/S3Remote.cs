using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace MlOps.Trainer.Remotes;

/// <summary>
/// A DVC S3 remote: objects at <c>s3://bucket/prefix/files/md5/ab/cdef…</c>. Small files go up in one PUT with
/// Content-MD5 (the store rejects damaged bytes); large ones as a multipart upload, aborted when it fails so nothing
/// half-written stays behind. Reads stream the body and can resume from an offset.
/// </summary>
internal sealed class S3Remote(AmazonS3Client client, S3Location location, string endpoint, RemoteSpec spec) : IDataRemote
{
    /// <summary>Above this a file is sent in parts (S3 takes at most 5 GiB in one PUT; parts also retry cheaply).</summary>
    internal const long MultipartThresholdBytes = 64L << 20;

    public string Description { get; } = $"{spec.Describe()} at {endpoint}";

    public string Locate(string key) => $"{location}/{key}";

    public async Task<long?> SizeAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await client.GetObjectMetadataAsync(location.Bucket, location.Key(key), cancellationToken).ConfigureAwait(false);
            return metadata.ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
        catch (Exception e) when (S3Errors.Translate(e, Describe(key), cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public async Task UploadAsync(string key, UploadSource source, IProgress<long> progress, CancellationToken cancellationToken)
    {
        try
        {
            var uploader = new S3Upload(client, location.Bucket, location.Key(key), spec.Options);
            if (source.Length <= MultipartThresholdBytes)
            {
                await uploader.PutAsync(source, progress, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await uploader.MultipartAsync(source, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (S3Errors.Translate(e, Describe(key), cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public async Task<RemoteRead> ReadAsync(string key, long offset, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = location.Bucket, Key = location.Key(key) };
        if (offset > 0)
        {
            request.ByteRange = new ByteRange($"bytes={offset}-");
        }

        try
        {
            var response = await client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return new RemoteRead(new ResponseBody(response), offset + response.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            throw new RemoteObjectMissingException(Locate(key));
        }
        catch (Exception e) when (S3Errors.Translate(e, Describe(key), cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public void Dispose() => client.Dispose();

    private string Describe(string key) => $"{Locate(key)} at {endpoint}";

    // Disposing the body alone would leave the response (and its connection) to the finalizer.
    private sealed class ResponseBody(GetObjectResponse response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.ContentLength;

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => response.ResponseStream.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            response.ResponseStream.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
