using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

/// <summary>
/// A registry answer far larger than any real one (200 MB of registered models) must not be read whole into memory.
/// The server here is a hand-written stand-in for a misbehaving registry: real Kestrel on 127.0.0.1 streaming valid
/// MLflow JSON without end; a counting handler in the client's pipeline measures what the client actually read.
/// </summary>
public sealed class MlflowClientResponseSizeTests : IAsyncLifetime
{
    private const long Huge = 200L * 1024 * 1024;
    private static readonly byte[] s_model = Encoding.UTF8.GetBytes(
        """{"name": "m", "creation_timestamp": 1, "last_updated_timestamp": 1, "description": "padding padding padding padding"},""");

    private readonly CountingHandler _counter = new() { InnerHandler = new SocketsHttpHandler() };
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        (_app, _) = await LoopbackServer.StartAsync(ServeAsync);
    }

    public async Task DisposeAsync()
    {
        _counter.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task HugeStreamedAnswer_StopsAtTheLimitWithTheMlflowError()
    {
        using var http = new HttpClient(_counter, disposeHandler: false) { BaseAddress = new Uri(_app.Urls.Single()) };
        var client = new MlflowClient(http);

        var error = await Assert.ThrowsAsync<MlflowException>(() => client.SearchRegisteredModelsAsync()).DefaultTimeout();

        Assert.Contains(MlflowClientOptions.DefaultMaxResponseBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains("registered-models/search", error.Message, StringComparison.Ordinal);
        // The client stopped reading at the limit: far from the 200 MB the server was ready to send.
        Assert.InRange(_counter.Read, MlflowClientOptions.DefaultMaxResponseBytes, MlflowClientOptions.DefaultMaxResponseBytes + (1L << 20));
    }

    [Fact]
    public async Task AnnouncedHugeAnswer_RefusedBeforeReading()
    {
        using var http = new HttpClient(_counter, disposeHandler: false) { BaseAddress = new Uri(_app.Urls.Single()) };
        var client = new MlflowClient(http, new MlflowClientOptions { MaxResponseBytes = 1024 * 1024 });

        var error = await Assert.ThrowsAsync<MlflowException>(() => client.SearchModelVersionsAsync()).DefaultTimeout();

        Assert.Contains("1048576", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _counter.Read);
    }

    private async Task ServeAsync(HttpContext context)
    {
        var announce = context.Request.Path.Value!.EndsWith("model-versions/search", StringComparison.Ordinal);
        context.Response.ContentType = "application/json";
        if (announce)
        {
            context.Response.ContentLength = Huge;
        }

        try
        {
            await Write(context, """{"registered_models": ["""u8.ToArray());
            var chunk = Enumerable.Repeat(s_model, 1000).SelectMany(b => b).ToArray();
            for (long sent = 0; !context.RequestAborted.IsCancellationRequested && sent + chunk.Length < Huge - 100; sent += chunk.Length)
            {
                await Write(context, chunk);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client hung up: what it read is counted.
        }

        static async Task Write(HttpContext c, byte[] bytes) => await c.Response.Body.WriteAsync(bytes, c.RequestAborted);
    }

    /// <summary>Counts the response body bytes the client reads.</summary>
    private sealed class CountingHandler : DelegatingHandler
    {
        private long _read;

        public long Read => Interlocked.Read(ref _read);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var inner = response.Content;
            response.Content = new CountingContent(inner, n => Interlocked.Add(ref _read, n));
            return response;
        }
    }

    private sealed class CountingContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly Action<int> _count;

        public CountingContent(HttpContent inner, Action<int> count)
        {
            (_inner, _count) = (inner, count);
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override async Task<Stream> CreateContentReadStreamAsync() => new CountingStream(await _inner.ReadAsStreamAsync(), _count);

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => _inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class CountingStream(Stream inner, Action<int> count) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Counted(int read)
        {
            count(read);
            return read;
        }
    }
}
