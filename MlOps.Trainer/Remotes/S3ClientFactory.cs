using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace MlOps.Trainer.Remotes;

/// <summary>
/// Builds the S3 client for a remote from the keys dvc-s3 reads (<c>endpointurl</c>, <c>region</c>, <c>profile</c>,
/// <c>credentialpath</c>, <c>access_key_id</c>…, <c>use_ssl</c>) and the standard AWS variables
/// (<c>AWS_ENDPOINT_URL_S3</c>/<c>AWS_ENDPOINT_URL</c>, <c>AWS_REGION</c>/<c>AWS_DEFAULT_REGION</c>, credentials).
/// </summary>
internal static class S3ClientFactory
{
    private const string DefaultRegion = "us-east-1";

    public static (AmazonS3Client Client, string Endpoint) Create(RemoteSpec spec, Func<string, string?> getVariable)
    {
        var options = spec.Options;
        var where = spec.Describe();
        var credentials = AwsCredentialResolver.Resolve(options, getVariable, where);
        var region = options.Get("region") ?? getVariable("AWS_REGION") ?? getVariable("AWS_DEFAULT_REGION")
            ?? credentials.ProfileRegion?.SystemName ?? DefaultRegion;
        var config = new AmazonS3Config
        {
            // The SDK retries throttling, 5xx and connection failures with capped exponential backoff and jitter.
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 3,
            // Only the checksums S3 requires: S3-compatible stores (MinIO, Ceph, s3rver) differ in the newer
            // trailing checksums; the object's MD5 is checked end to end by the transfer instead.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };

        var endpoint = options.Get("endpointurl") ?? getVariable("AWS_ENDPOINT_URL_S3") ?? getVariable("AWS_ENDPOINT_URL");
        if (!string.IsNullOrEmpty(endpoint))
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new BadInputException($"{where}: endpointurl '{SafeUrl.Redact(endpoint)}' is not an http(s) URL.");
            }

            // Other S3-compatible stores are addressed by path (endpoint/bucket/key), as botocore does for a custom endpoint.
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            config.UseHttp = options.GetBool("use_ssl") == false;
        }

        var shown = string.IsNullOrEmpty(endpoint) ? $"AWS {region}" : SafeUrl.Redact(endpoint);
        return (new AmazonS3Client(credentials.Credentials, config), shown);
    }
}
