namespace MlOps.Trainer.Versioning;

/// <summary>The hash names DVC records for a file output (dvc-data's <c>hash_name</c>).</summary>
public static class DvcHashNames
{
    /// <summary>DVC 3: MD5 of the raw bytes; objects live under <c>files/md5/</c> in caches and remotes.</summary>
    public const string Md5 = "md5";

    /// <summary>DVC 2 (a pointer without <c>hash:</c>): MD5 with CRLF→LF in text chunks; objects live at the remote's root.</summary>
    public const string Md5Dos2Unix = "md5-dos2unix";
}
