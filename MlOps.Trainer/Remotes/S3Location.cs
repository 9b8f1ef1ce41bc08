namespace MlOps.Trainer.Remotes;

/// <summary>
/// <c>s3://bucket/prefix</c>: the bucket and the key prefix under which DVC keeps its objects
/// (<c>prefix/files/md5/ab/cdef…</c>), as dvc-s3 splits the URL.
/// </summary>
internal sealed record S3Location(string Bucket, string Prefix)
{
    public const string Scheme = "s3://";

    public static bool IsS3(string url) => url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public static S3Location Parse(string url)
    {
        var rest = url[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
        if (bucket.Length == 0 || bucket.Contains('@', StringComparison.Ordinal) || bucket.Contains('?', StringComparison.Ordinal))
        {
            throw new BadInputException($"{url}: expected s3://BUCKET/PREFIX.");
        }

        return new S3Location(bucket, prefix);
    }

    public string Key(string relative) => Prefix.Length == 0 ? relative : $"{Prefix}/{relative}";

    public override string ToString() => Prefix.Length == 0 ? $"{Scheme}{Bucket}" : $"{Scheme}{Bucket}/{Prefix}";
}
