namespace MlOps.Trainer.Remotes;

/// <summary>Strips user-info (<c>user:secret@</c>) from URLs before they reach a message or a log.</summary>
internal static class SafeUrl
{
    public static string Redact(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }

        var authorityStart = scheme + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        var authority = authorityEnd < 0 ? url[authorityStart..] : url[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        return at < 0 ? url : url[..authorityStart] + authority[(at + 1)..] + (authorityEnd < 0 ? string.Empty : url[authorityEnd..]);
    }
}
