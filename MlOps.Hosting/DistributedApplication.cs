using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Publishing;

namespace MlOps.Hosting;

/// <summary>A built application: runs the resources, or writes a manifest when a publisher was asked for.</summary>
public sealed class DistributedApplication : IAsyncDisposable, IDisposable
{
    private readonly IHost _host;

    internal DistributedApplication(DistributedApplicationModel model, IHost host)
    {
        Model = model;
        _host = host;
    }

    /// <summary>The resources.</summary>
    public DistributedApplicationModel Model { get; }

    /// <summary>The AppHost's services (orchestrator, notifications, commands, loggers).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Creates a builder from the command line (<c>--publisher</c>, <c>--output-path</c>, <c>--runtime</c>, settings).</summary>
    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args, appHostDirectory: null);

    /// <summary>Creates a builder whose relative paths resolve against <paramref name="appHostDirectory"/>.</summary>
    public static DistributedApplicationBuilder CreateBuilder(string[] args, string appHostDirectory) => new(args, appHostDirectory);

    /// <summary>Runs until Ctrl+C or SIGTERM (or publishes and returns). A problem with the model or its start is
    /// printed as one line on stderr and sets the process exit code to 1.</summary>
    public void Run()
    {
        try
        {
            RunAsync().GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is DistributedApplicationException or MissingParameterValueException)
        {
            System.Console.Error.WriteLine($"error: {ex.Message}");
            Environment.ExitCode = 1;
        }
    }

    /// <summary>Runs until <paramref name="cancellationToken"/>, Ctrl+C or SIGTERM (or publishes and returns).</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Model.ExecutionContext.IsPublishMode)
        {
            await PublishAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await _host.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the resources and returns once the orchestrator is running.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _host.StartAsync(cancellationToken);

    /// <summary>Stops every resource in reverse dependency order.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        _host.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _host.Dispose();

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        var name = Model.ExecutionContext.PublisherName!;
        var configuration = Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        var outputPath = configuration["Publishing:OutputPath"];
        if (string.IsNullOrWhiteSpace(outputPath))
        {
            throw new DistributedApplicationException($"Publisher '{name}' needs --output-path <path>.");
        }

        var publisher = Services.GetKeyedService<IDistributedApplicationPublisher>(name)
            ?? throw new DistributedApplicationException($"Unknown publisher '{name}'; use 'manifest' or 'compose'.");
        await publisher.PublishAsync(Model, Path.GetFullPath(outputPath), cancellationToken).ConfigureAwait(false);
    }
}
