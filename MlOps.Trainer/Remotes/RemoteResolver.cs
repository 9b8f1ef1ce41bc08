using System.Text.RegularExpressions;
using MlOps.Trainer.Versioning;

namespace MlOps.Trainer.Remotes;

/// <summary>
/// Decides which remote a transfer uses, as <c>dvc push/pull</c> would: <c>--remote</c> names a remote of the
/// repository's config, or is an <c>s3://</c> URL or a folder; without it, the output's own <c>remote:</c>, then
/// <c>[core] remote</c> of <c>.dvc/config</c> / <c>.dvc/config.local</c> found above the data file.
/// </summary>
internal static partial class RemoteResolver
{
    private const int MaxReferenceDepth = 8;

    public static RemoteSpec Resolve(string dataPath, string? requested, DvcPointer? pointer, Func<string, string?> getVariable)
    {
        var repository = DvcRepository.Find(dataPath);
        if (string.IsNullOrWhiteSpace(requested))
        {
            var name = pointer?.Remote ?? repository?.DefaultRemote;
            return name is not null && repository is not null
                ? FromConfig(repository, name, getVariable, 0)
                : throw new BadInputException(NoDefaultRemote(dataPath, repository));
        }

        if (HasScheme(requested))
        {
            return new RemoteSpec(null, RequireSupportedUrl(requested, requested), RemoteOptions.None);
        }

        if (repository?.Remote(requested) is not null)
        {
            return FromConfig(repository, requested, getVariable, 0);
        }

        return new RemoteSpec(null, Path.GetFullPath(ExpandHome(requested, getVariable)), RemoteOptions.None);
    }

    private static string NoDefaultRemote(string dataPath, DvcRepository? repository) => repository is null
        ? $"{dataPath}: no remote given and no .dvc/ folder above the file; run 'dvc remote add -d NAME URL' in a DVC repository, or name one with 'data push|pull FILE --remote NAME|DIR|s3://BUCKET/PREFIX'."
        : $"{dataPath}: no remote given and {string.Join(" / ", repository.ConfigPaths.DefaultIfEmpty(Path.Combine(repository.DvcDirectory, "config")))} names no default remote ([core] remote); run 'dvc remote add -d NAME URL', or name one with 'data push|pull FILE --remote'.";

    private static RemoteSpec FromConfig(DvcRepository repository, string name, Func<string, string?> getVariable, int depth)
    {
        var source = string.Join(" / ", repository.ConfigPaths);
        var values = repository.Remote(name);
        if (values is null)
        {
            var known = repository.RemoteNames.ToList();
            throw new BadInputException(
                $"remote '{name}' is not defined in {(source.Length == 0 ? repository.DvcDirectory : source)} (defined: {(known.Count == 0 ? "none" : string.Join(", ", known))}).");
        }

        var options = new RemoteOptions(ResolvePaths(values, repository.DvcDirectory, getVariable), source);
        var url = options.Get("url") is { Length: > 0 } u ? u : throw new BadInputException($"{source}: remote '{name}' has no url.");
        if (url.StartsWith("remote://", StringComparison.OrdinalIgnoreCase))
        {
            return FromReference(repository, name, url, options, getVariable, depth);
        }

        return new RemoteSpec(name.ToLowerInvariant(), RequireSupportedUrl(url, $"{source}: remote '{name}'"), options);
    }

    // url = remote://base/sub/path: the base remote's settings, shadowed by this one's, at base url + /sub/path
    // (dvc/fs/__init__.py _resolve_remote_refs).
    private static RemoteSpec FromReference(
        DvcRepository repository, string name, string url, RemoteOptions options, Func<string, string?> getVariable, int depth)
    {
        if (depth >= MaxReferenceDepth)
        {
            throw new BadInputException($"{options.Source}: remote '{name}' refers to remotes in a loop.");
        }

        var rest = url["remote://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var baseName = slash < 0 ? rest : rest[..slash];
        var relative = slash < 0 ? string.Empty : rest[(slash + 1)..].TrimStart('/');
        var baseSpec = FromConfig(repository, baseName, getVariable, depth + 1);
        var joined = relative.Length == 0 ? baseSpec.Url
            : baseSpec.IsS3 ? $"{baseSpec.Url.TrimEnd('/')}/{relative}"
            : Path.Combine(baseSpec.Url, relative.Replace('/', Path.DirectorySeparatorChar));
        var merged = new Dictionary<string, string>(baseSpec.Options.Values, StringComparer.Ordinal);
        foreach (var (key, value) in options.Values)
        {
            merged[key] = value;
        }

        merged["url"] = joined;
        return new RemoteSpec(name.ToLowerInvariant(), joined, new RemoteOptions(merged, options.Source));
    }

    private static string RequireSupportedUrl(string url, string where)
    {
        if (!HasScheme(url) || S3Location.IsS3(url))
        {
            return url;
        }

        var scheme = url[..url.IndexOf("://", StringComparison.Ordinal)];
        throw new BadInputException(
            $"{where}: {scheme}:// remotes are not supported here ({SafeUrl.Redact(url)}); the trainer reads folder and s3:// remotes (use 'dvc pull' for others).");
    }

    // DVC resolves these keys against the config file's folder (.dvc/) and expands ~ (dvc/config.py _map_dirs).
    private static Dictionary<string, string> ResolvePaths(IReadOnlyDictionary<string, string> values, string dvcDirectory, Func<string, string?> getVariable)
    {
        var resolved = new Dictionary<string, string>(values, StringComparer.Ordinal);
        foreach (var key in new[] { "url", "credentialpath", "configpath" })
        {
            if (resolved.TryGetValue(key, out var value) && value.Length > 0 && !HasScheme(value))
            {
                resolved[key] = Path.GetFullPath(ExpandHome(value, getVariable), dvcDirectory);
            }
        }

        return resolved;
    }

    private static string ExpandHome(string path, Func<string, string?> getVariable)
    {
        if (path != "~" && !path.StartsWith("~/", StringComparison.Ordinal))
        {
            return path;
        }

        var home = getVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, path.Length > 2 ? path[2..] : string.Empty);
    }

    private static bool HasScheme(string value) => UrlScheme().IsMatch(value);

    [GeneratedRegex(@"^\w+://")]
    private static partial Regex UrlScheme();
}
