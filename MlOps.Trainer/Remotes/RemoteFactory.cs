namespace MlOps.Trainer.Remotes;

/// <summary>Opens the store behind a <see cref="RemoteSpec"/>: an S3 bucket prefix or a folder, behind one interface.</summary>
internal static class RemoteFactory
{
    public static IDataRemote Create(RemoteSpec spec, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Options.GetBool("worktree") == true || spec.Options.GetBool("version_aware") == true)
        {
            throw new BadInputException(
                $"remote {spec.Describe()}: worktree and version_aware remotes keep files by their paths, not by md5; they are not supported here.");
        }

        if (spec.IsS3)
        {
            var location = S3Location.Parse(spec.Url);
            var (client, endpoint) = S3ClientFactory.Create(spec, getVariable);
            return new S3Remote(client, location, endpoint, spec);
        }

        return new DirectoryRemote(spec.Url, spec.Describe());
    }
}
