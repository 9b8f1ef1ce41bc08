using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Serving.Model;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Serving;

/// <summary>The real serving app in memory, pointed at a model folder, with settings a test chooses.</summary>
public sealed class ServingApp(
    string modelUri,
    IReadOnlyDictionary<string, string?>? settings = null,
    Func<IModelSource, IModelSource>? wrapSource = null,
    Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<global::MlOps.Serving.Program>
{
    public const string ApiKey = "test-admin-key";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Model:Uri", modelUri);
        builder.UseSetting("Admin:ApiKey", ApiKey);
        builder.UseSetting("Model:RetryInitialDelay", "00:00:00.050");
        builder.UseSetting("Model:RetryMaxDelay", "00:00:00.200");
        builder.UseSetting("Model:WarmupRuns", "1");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (wrapSource is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<IModelSource>(sp =>
                wrapSource(ActivatorUtilities.CreateInstance<LocalModelSource>(sp))));
        }

        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }

    /// <summary>Polls <c>/health</c> until it answers 200 and returns its body.</summary>
    public static async Task<JsonElement> WaitHealthyAsync(HttpClient client)
    {
        using var timeout = new CancellationTokenSource(TaskTimeoutExtensions.DefaultTimeoutDuration);
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), timeout.Token).DefaultTimeout();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token).DefaultTimeout();
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}

/// <summary>A model source that resolves only once the test opens the gate, to observe the loading state.</summary>
public sealed class GatedModelSource(IModelSource inner, Task gate) : IModelSource
{
    public async Task<ResolvedModel> ResolveAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        return await inner.ResolveAsync(cancellationToken);
    }
}
