using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace MlOps.Serving.Input;

/// <summary>
/// Reads a whole request body from the pipe without copying, refusing it as soon as it passes the size limit.
/// The caller parses <see cref="Buffer"/> and then calls <see cref="Complete"/> to hand the memory back.
/// </summary>
public readonly struct RequestBody
{
    private readonly PipeReader? _reader;

    private RequestBody(PipeReader? reader, ReadOnlySequence<byte> buffer, bool tooLarge)
    {
        _reader = reader;
        Buffer = buffer;
        TooLarge = tooLarge;
    }

    public ReadOnlySequence<byte> Buffer { get; }

    public bool TooLarge { get; }

    public static async ValueTask<RequestBody> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return new RequestBody(null, default, tooLarge: true);
        }

        // The limit is ours (a 400 naming it), not the server's generic one.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.End);
                return new RequestBody(null, default, tooLarge: true);
            }

            if (result.IsCompleted)
            {
                return new RequestBody(reader, buffer, tooLarge: false);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public void Complete() => _reader?.AdvanceTo(Buffer.End);
}
