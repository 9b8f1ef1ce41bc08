using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace MlOps.Trainer.Remotes;

/// <summary>Credentials found for an S3 remote, where they came from (for messages, never the values) and a profile's region.</summary>
internal sealed record AwsCredentialChoice(AWSCredentials Credentials, string Source, RegionEndpoint? ProfileRegion);

/// <summary>
/// Finds S3 credentials the way DVC (boto3) does, from the variables the command was given rather than a process-wide
/// lookup: keys in the remote's config (usually <c>.dvc/config.local</c>), a profile the config names,
/// <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>/<c>AWS_SESSION_TOKEN</c>, then <c>AWS_PROFILE</c> (or
/// <c>default</c>) from the shared credentials file; anonymous only when the remote allows it. Instance and container
/// metadata endpoints are never asked: they are not on this machine and a test must not reach them.
/// </summary>
internal static class AwsCredentialResolver
{
    public static AwsCredentialChoice Resolve(RemoteOptions options, Func<string, string?> getVariable, string where)
    {
        if (FromKeys(options.Get("access_key_id"), options.Get("secret_access_key"), options.Get("session_token"),
                "access_key_id", "secret_access_key", where) is { } configured)
        {
            return new AwsCredentialChoice(configured, "access_key_id in the DVC config", null);
        }

        var file = CredentialsFile(options, getVariable);
        if (options.Get("profile") is { Length: > 0 } configuredProfile)
        {
            return FromProfile(file, configuredProfile, where, required: true)!;
        }

        if (FromKeys(getVariable("AWS_ACCESS_KEY_ID"), getVariable("AWS_SECRET_ACCESS_KEY"), getVariable("AWS_SESSION_TOKEN"),
                "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", where) is { } environment)
        {
            return new AwsCredentialChoice(environment, "AWS_ACCESS_KEY_ID", null);
        }

        var profileVariable = getVariable("AWS_PROFILE");
        var profile = FromProfile(file, profileVariable ?? SharedCredentialsFile.DefaultProfileName, where, required: profileVariable is not null);
        if (profile is not null)
        {
            return profile;
        }

        if (options.GetBool("allow_anonymous_login") == true)
        {
            return new AwsCredentialChoice(new AnonymousAWSCredentials(), "anonymous (allow_anonymous_login)", null);
        }

        throw new BadInputException(
            $"{where}: no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (a profile in {file ?? "~/.aws/credentials"}), or 'dvc remote modify --local NAME access_key_id …'.");
    }

    private static AWSCredentials? FromKeys(string? key, string? secret, string? token, string keyName, string secretName, string where)
    {
        if (string.IsNullOrEmpty(key) && string.IsNullOrEmpty(secret))
        {
            return null;
        }

        if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret))
        {
            throw new BadInputException($"{where}: {(string.IsNullOrEmpty(key) ? secretName : keyName)} is set but {(string.IsNullOrEmpty(key) ? keyName : secretName)} is not.");
        }

        return string.IsNullOrEmpty(token) ? new BasicAWSCredentials(key, secret) : new SessionAWSCredentials(key, secret, token);
    }

    private static AwsCredentialChoice? FromProfile(string? file, string name, string where, bool required)
    {
        // The SDK reads the profile from the credentials file and the config file beside it (SSO and role profiles
        // often live only in the latter).
        if (file is null || (!File.Exists(file) && !File.Exists(Path.Combine(Path.GetDirectoryName(file) ?? ".", "config"))))
        {
            return required
                ? throw new BadInputException($"{where}: AWS profile '{name}' asked for, but the shared credentials file {file ?? "~/.aws/credentials"} does not exist.")
                : null;
        }

        var store = new SharedCredentialsFile(file);
        if (!store.TryGetProfile(name, out var profile))
        {
            return required ? throw new BadInputException($"{where}: AWS profile '{name}' is not in {file}.") : null;
        }

        if (!AWSCredentialsFactory.TryGetAWSCredentials(profile, store, out var credentials))
        {
            throw new BadInputException($"{where}: AWS profile '{name}' in {file} holds no usable credentials.");
        }

        return new AwsCredentialChoice(credentials, $"profile '{name}'", profile.Region);
    }

    // DVC's credentialpath (already resolved against .dvc/), then the standard variable, then ~/.aws/credentials.
    private static string? CredentialsFile(RemoteOptions options, Func<string, string?> getVariable)
    {
        if (options.Get("credentialpath") is { Length: > 0 } configured)
        {
            return configured;
        }

        if (getVariable("AWS_SHARED_CREDENTIALS_FILE") is { Length: > 0 } variable)
        {
            return variable;
        }

        var home = getVariable("HOME") ?? getVariable("USERPROFILE");
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".aws", "credentials");
    }
}
