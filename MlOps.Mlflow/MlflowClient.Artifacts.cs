using System.Net.Http.Headers;

namespace MlOps.Mlflow;

public sealed partial class MlflowClient
{
    private const int CopyBufferSize = 81920;

    /// <summary>
    /// Uploads content as one artifact (<c>PUT /api/2.0/mlflow-artifacts/artifacts/…</c>), streamed, not buffered.
    /// A seekable stream is re-read from its start if the request is retried.
    /// </summary>
    /// <param name="artifactUri">The destination root: a run's <see cref="RunInfo.ArtifactUri"/>, or any URI <see cref="ResolveArtifactUriAsync"/> takes.</param>
    /// <param name="artifactPath">The path under the root, e.g. <c>model/model.onnx</c>.</param>
    /// <param name="content">The bytes to upload; read to its end, not disposed.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>A task that completes when the server has stored it.</returns>
    public async Task UploadArtifactAsync(
        string artifactUri, string artifactPath, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var location = (await ResolveLocationAsync(artifactUri, cancellationToken).ConfigureAwait(false)).Under(artifactPath);
        const string operation = "artifacts/upload";
        using var activity = StartActivity(operation);
        activity?.SetTag("mlflow.artifact.path", location.Path);
        using var request = new HttpRequestMessage(HttpMethod.Put, location.FileUri(location.Path))
        {
            Content = new StreamContent(new NonDisposingStream(content), CopyBufferSize),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await SendAsync(request, operation, HttpCompletionOption.ResponseContentRead, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Uploads one local file as an artifact, streamed from disk.</summary>
    /// <param name="artifactUri">The destination root, e.g. a run's <see cref="RunInfo.ArtifactUri"/>.</param>
    /// <param name="artifactPath">The path under the root, e.g. <c>model/model.onnx</c>.</param>
    /// <param name="localFile">The file to upload.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>A task that completes when the server has stored it.</returns>
    public async Task UploadFileAsync(
        string artifactUri, string artifactPath, string localFile, CancellationToken cancellationToken = default)
    {
        var file = new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            await UploadArtifactAsync(artifactUri, artifactPath, file, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Uploads every file under a local folder, keeping the relative layout.</summary>
    /// <param name="artifactUri">The destination root, e.g. a run's <see cref="RunInfo.ArtifactUri"/>.</param>
    /// <param name="artifactPath">The folder under the root, e.g. <c>model</c>; the root itself when empty.</param>
    /// <param name="localDirectory">The folder to upload.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The artifact paths uploaded, relative to <paramref name="artifactUri"/>.</returns>
    public async Task<IReadOnlyList<string>> UploadDirectoryAsync(
        string artifactUri, string artifactPath, string localDirectory, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(localDirectory))
        {
            throw new DirectoryNotFoundException($"Folder to upload not found: {localDirectory}");
        }

        var uploaded = new List<string>();
        var root = await ResolveArtifactUriAsync(artifactUri, cancellationToken).ConfigureAwait(false);
        var files = Directory.EnumerateFiles(localDirectory, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(localDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
            var target = ArtifactPaths.Combine(ArtifactPaths.Normalize(artifactPath), relative);
            await UploadFileAsync(root, target, file, cancellationToken).ConfigureAwait(false);
            uploaded.Add(target);
        }

        return uploaded;
    }

    /// <summary>Lists one folder of proxied artifacts (<c>GET /api/2.0/mlflow-artifacts/artifacts?path=</c>).</summary>
    /// <param name="artifactUri">The root, e.g. a run's <see cref="RunInfo.ArtifactUri"/>.</param>
    /// <param name="path">The folder under the root; the root when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries, their paths relative to the listed folder.</returns>
    public async Task<IReadOnlyList<ArtifactFile>> ListArtifactsAsync(
        string artifactUri, string? path = null, CancellationToken cancellationToken = default)
    {
        var folder = (await ResolveLocationAsync(artifactUri, cancellationToken).ConfigureAwait(false)).Under(path);
        var response = await ListAsync(folder, cancellationToken).ConfigureAwait(false);
        return response.Files;
    }

    /// <summary>Lists a run's artifacts under a path (<c>GET /api/2.0/mlflow/artifacts/list</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="path">The folder under the run's root; the root when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run's root URI and the entries, their paths relative to the run's root.</returns>
    public async Task<ArtifactListing> ListRunArtifactsAsync(string runId, string? path = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var response = await GetAsync<ListArtifactsResponse>(
            "artifacts/list", Query(("run_id", runId), ("path", path)), cancellationToken).ConfigureAwait(false);
        return new ArtifactListing(response.RootUri ?? string.Empty, response.Files);
    }

    /// <summary>
    /// Downloads one artifact to a local file: streamed into a temporary file beside it, then moved into place,
    /// so the destination is either absent, the old file, or complete.
    /// </summary>
    /// <param name="artifactUri">The root, e.g. a run's <see cref="RunInfo.ArtifactUri"/>.</param>
    /// <param name="artifactPath">The file under the root.</param>
    /// <param name="destinationFile">The local file to write (replaced if it exists).</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The number of bytes written.</returns>
    public async Task<long> DownloadFileAsync(
        string artifactUri, string artifactPath, string destinationFile, CancellationToken cancellationToken = default)
    {
        var location = (await ResolveLocationAsync(artifactUri, cancellationToken).ConfigureAwait(false)).Under(artifactPath);
        return await DownloadProxiedFileAsync(location, destinationFile, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Downloads a folder of artifacts recursively into a local folder, checking each file's size against the
    /// listing. Every listed name must stay inside the folder (no <c>..</c>, no absolute path), and a listing is
    /// followed at most <see cref="MaxDownloadDepth"/> folders deep and for <see cref="MaxDownloadFiles"/> files.
    /// </summary>
    /// <param name="artifactUri">The root: a run's <see cref="RunInfo.ArtifactUri"/>, a model version's download URI, or any URI <see cref="ResolveArtifactUriAsync"/> takes.</param>
    /// <param name="path">The folder under the root; the root when null.</param>
    /// <param name="destinationDirectory">The local folder to fill (created if needed).</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The files downloaded, their paths relative to the folder and their sizes.</returns>
    /// <exception cref="MlflowException">A file's size differs from the listing, or the listing is not safe to follow.</exception>
    public async Task<IReadOnlyList<ArtifactFile>> DownloadDirectoryAsync(
        string artifactUri, string? path, string destinationDirectory, CancellationToken cancellationToken = default)
    {
        var root = (await ResolveLocationAsync(artifactUri, cancellationToken).ConfigureAwait(false)).Under(path);
        var destination = Path.GetFullPath(destinationDirectory);
        Directory.CreateDirectory(destination);
        var downloaded = new List<ArtifactFile>();
        var folders = new Queue<string>([string.Empty]);
        while (folders.Count > 0)
        {
            var relativeFolder = folders.Dequeue();
            var listed = root.Under(relativeFolder);
            var response = await ListAsync(listed, cancellationToken).ConfigureAwait(false);
            foreach (var entry in response.Files)
            {
                var relative = ArtifactPaths.Combine(relativeFolder, EntryName(entry.Path, listed.Path));
                if (entry.IsDir)
                {
                    folders.Enqueue(CheckDepth(relative));
                    continue;
                }

                if (downloaded.Count == MaxDownloadFiles)
                {
                    throw UnsafeListing($"'{root.Path}' lists more than {MaxDownloadFiles} files");
                }

                var local = LocalPath(destination, relative);
                var size = await DownloadProxiedFileAsync(root.Under(relative), local, cancellationToken).ConfigureAwait(false);
                if (entry.FileSize is { } expected && expected != size)
                {
                    throw new MlflowException(KnownMlflowErrorCodes.InternalError, null,
                        $"Artifact '{relative}' downloaded {size} bytes but the listing says {expected}.");
                }

                downloaded.Add(new ArtifactFile(relative, false, size));
            }
        }

        return downloaded;
    }

    /// <summary>How many folders deep <see cref="DownloadDirectoryAsync"/> follows a listing.</summary>
    public const int MaxDownloadDepth = 32;

    /// <summary>How many files <see cref="DownloadDirectoryAsync"/> downloads at most.</summary>
    public const int MaxDownloadFiles = 10_000;

    private Task<ListArtifactsResponse> ListAsync(ArtifactLocation folder, CancellationToken cancellationToken) =>
        SendToAsync<ListArtifactsResponse>("artifacts/list-proxied", folder.ListUri(folder.Path), cancellationToken);

    private async Task<T> SendToAsync<T>(string operation, Uri uri, CancellationToken cancellationToken)
    {
        using var activity = StartActivity(operation);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = await SendAsync(request, operation, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<T>(response, operation, cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> DownloadProxiedFileAsync(ArtifactLocation file, string destinationFile, CancellationToken cancellationToken)
    {
        const string operation = "artifacts/download";
        using var activity = StartActivity(operation);
        activity?.SetTag("mlflow.artifact.path", file.Path);
        var target = Path.GetFullPath(destinationFile);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + ".part-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, file.FileUri(file.Path));
            using var response = await SendAsync(request, operation, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
            long size;
            var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                try
                {
                    await response.Content.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested && output.CanWrite)
                {
                    // The connection broke mid-body (a full disk would have closed nothing): a transport failure.
                    throw Unavailable(operation, e);
                }

                size = output.Length;
            }

            File.Move(temp, target, overwrite: true);
            return size;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    // Proxied listings give names relative to the listed folder; tolerate servers that repeat the folder, refuse any
    // name that would leave it.
    private static string EntryName(string entryPath, string listedFolder)
    {
        var name = entryPath ?? string.Empty;
        if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || Path.IsPathRooted(name)
            || name.Split('/').Any(segment => segment is ".." or "." || segment.Contains('\0', StringComparison.Ordinal)))
        {
            throw UnsafeListing($"the listing of '{listedFolder}' holds the path '{name.Replace("\0", "\\0", StringComparison.Ordinal)}'");
        }

        return listedFolder.Length > 0 && name.StartsWith(listedFolder + "/", StringComparison.Ordinal)
            ? name[(listedFolder.Length + 1)..]
            : name;
    }

    private static string CheckDepth(string relative) =>
        relative.Count(c => c == '/') + 1 > MaxDownloadDepth
            ? throw UnsafeListing($"'{relative[..Math.Min(relative.Length, 200)]}' is more than {MaxDownloadDepth} folders deep")
            : relative;

    private static MlflowException UnsafeListing(string what) =>
        new(KnownMlflowErrorCodes.InternalError, null, $"The tracking server's artifact listing is not safe to follow: {what}.");

    private static string LocalPath(string destination, string relative)
    {
        var local = Path.GetFullPath(Path.Combine(destination, relative.Replace('/', Path.DirectorySeparatorChar)));
        if (!local.StartsWith(destination + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw UnsafeListing($"'{relative}' points outside the download folder");
        }

        return local;
    }

    private sealed record ListArtifactsResponse
    {
        public string? RootUri { get; init; }

        public IReadOnlyList<ArtifactFile> Files { get; init; } = [];
    }

    /// <summary>Lets <see cref="StreamContent"/> dispose its stream without closing the caller's.</summary>
    private sealed class NonDisposingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
