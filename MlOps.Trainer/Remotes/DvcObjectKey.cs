using MlOps.Trainer.Versioning;

namespace MlOps.Trainer.Remotes;

/// <summary>
/// Where DVC keeps a file's object inside a remote: <c>files/md5/ab/cdef…</c> for DVC 3 outputs, <c>ab/cdef…</c> at the
/// remote's root for DVC 2 (md5-dos2unix) outputs (dvc/data_cloud.py <c>Remote.odb</c> / <c>legacy_odb</c>,
/// dvc-objects <c>oid_to_path</c>).
/// </summary>
internal static class DvcObjectKey
{
    public static string For(DvcPointer pointer)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        var shard = $"{pointer.Md5[..2]}/{pointer.Md5[2..]}";
        return pointer.HashName == DvcHashNames.Md5 ? $"files/md5/{shard}" : shard;
    }
}
