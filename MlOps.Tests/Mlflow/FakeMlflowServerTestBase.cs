using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

/// <summary>
/// A client against its own <see cref="FakeMlflowServer"/> per test; at the end every request the client sent must
/// have matched a captured one.
/// </summary>
public abstract class FakeMlflowServerTestBase : IAsyncLifetime
{
    protected FakeMlflowServer Server { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    protected MlflowClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await FakeMlflowServer.StartAsync().DefaultTimeout();
        Http = Server.CreateHttpClient();
        Client = new MlflowClient(Http);
    }

    public async Task DisposeAsync()
    {
        Assert.Empty(Server.Unmatched);
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
