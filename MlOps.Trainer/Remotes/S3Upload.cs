using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace MlOps.Trainer.Remotes;

/// <summary>
/// One object upload. Payloads are signed whole, not sent as <c>aws-chunked</c> streams: that is what botocore (and so
/// DVC) sends, and what every S3-compatible store understands. The remote's <c>sse</c>, <c>sse_kms_key_id</c> and
/// <c>acl</c> keys apply as dvc-s3 applies them.
/// </summary>
internal sealed class S3Upload(AmazonS3Client client, string bucket, string key, RemoteOptions options)
{
    private const long MinimumPartBytes = 16L << 20;
    private const int MaximumParts = 10_000;

    public async Task PutAsync(UploadSource source, IProgress<long> progress, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest { BucketName = bucket, Key = key, FilePath = source.Path, UseChunkEncoding = false };
        if (source.RawMd5 is { } md5)
        {
            request.MD5Digest = Convert.ToBase64String(Convert.FromHexString(md5));
        }

        ApplyOptions(request);
        request.StreamTransferProgress += (_, e) => progress.Report(e.TransferredBytes);
        await client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task MultipartAsync(UploadSource source, IProgress<long> progress, CancellationToken cancellationToken)
    {
        var start = new InitiateMultipartUploadRequest { BucketName = bucket, Key = key };
        ApplyOptions(start);
        var upload = await client.InitiateMultipartUploadAsync(start, cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = await UploadPartsAsync(source, upload.UploadId, progress, cancellationToken).ConfigureAwait(false);
            await client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = parts },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbortAsync(upload.UploadId).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<List<PartETag>> UploadPartsAsync(UploadSource source, string uploadId, IProgress<long> progress, CancellationToken cancellationToken)
    {
        var partBytes = Math.Max(MinimumPartBytes, (source.Length + MaximumParts - 1) / MaximumParts);
        var parts = new List<PartETag>();
        for (long position = 0; position < source.Length; position += partBytes)
        {
            var sent = position;
            var request = new UploadPartRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = parts.Count + 1,
                FilePath = source.Path,
                FilePosition = position,
                PartSize = Math.Min(partBytes, source.Length - position),
                UseChunkEncoding = false,
            };
            request.StreamTransferProgress += (_, e) => progress.Report(sent + e.TransferredBytes);
            var response = await client.UploadPartAsync(request, cancellationToken).ConfigureAwait(false);
            parts.Add(new PartETag(request.PartNumber!.Value, response.ETag));
        }

        return parts;
    }

    private async Task AbortAsync(string uploadId)
    {
        try
        {
            await client.AbortMultipartUploadAsync(bucket, key, uploadId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AmazonServiceException)
        {
            // Best effort: the store's lifecycle rules remove abandoned parts; the object itself never appeared.
        }
        catch (HttpRequestException)
        {
            // Same as above.
        }
    }

    private void ApplyOptions(PutObjectRequest request)
    {
        request.ServerSideEncryptionMethod = Encryption();
        request.ServerSideEncryptionKeyManagementServiceKeyId = options.Get("sse_kms_key_id");
        request.CannedACL = Acl();
    }

    private void ApplyOptions(InitiateMultipartUploadRequest request)
    {
        request.ServerSideEncryptionMethod = Encryption();
        request.ServerSideEncryptionKeyManagementServiceKeyId = options.Get("sse_kms_key_id");
        request.CannedACL = Acl();
    }

    private ServerSideEncryptionMethod? Encryption() =>
        options.Get("sse") is { Length: > 0 } sse ? ServerSideEncryptionMethod.FindValue(sse) : null;

    private S3CannedACL? Acl() => options.Get("acl") is { Length: > 0 } acl ? S3CannedACL.FindValue(acl) : null;
}
