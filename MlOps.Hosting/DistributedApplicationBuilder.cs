using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Orchestration;
using MlOps.Hosting.Publishing;

namespace MlOps.Hosting;

/// <summary>Collects the resources of an application and builds it (Aspire's <c>IDistributedApplicationBuilder</c>).</summary>
public sealed class DistributedApplicationBuilder
{
    private static readonly Dictionary<string, string> s_switchMappings = new(StringComparer.Ordinal)
    {
        ["--publisher"] = "Publishing:Publisher",
        ["--output-path"] = "Publishing:OutputPath",
        ["--runtime"] = "AppHost:Runtime",
        ["--data-dir"] = "AppHost:DataDirectory",
        ["--require-gpu"] = "AppHost:RequireGpu",
    };

    // Switches that mean "true" when given without a value.
    private static readonly string[] s_flags = ["--require-gpu"];

    private readonly List<IResource> _resources = [];

    internal DistributedApplicationBuilder(string[] args, string? appHostDirectory)
    {
        Args = args;
        AppHostDirectory = Path.GetFullPath(appHostDirectory ?? FindAppHostDirectory());
        Configuration = new ConfigurationManager();
        Configuration.AddJsonFile(Path.Combine(AppHostDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(ExpandFlags(args), s_switchMappings);
        var publisher = Configuration["Publishing:Publisher"];
        ExecutionContext = string.IsNullOrEmpty(publisher)
            ? new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run)
            : new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish, publisher);
        DataDirectory = Path.GetFullPath(Configuration["AppHost:DataDirectory"] ?? Path.Combine(AppHostDirectory, ".mlops"), AppHostDirectory);
        Secrets = new ParameterSecretStore(Path.Combine(DataDirectory, "secrets.json"));
        HostBuilder = new HostApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            Args = args,
            Configuration = Configuration,
            ContentRootPath = AppHostDirectory,
            EnvironmentName = Configuration["DOTNET_ENVIRONMENT"] ?? Environments.Development,
        });
        HostBuilder.Logging.AddConfiguration(Configuration.GetSection("Logging"));
        HostBuilder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        HostBuilder.Logging.SetMinimumLevel(LogLevel.Information);
        HostBuilder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));
    }

    internal HostApplicationBuilder HostBuilder { get; }

    /// <summary>The command-line arguments the AppHost was started with.</summary>
    public string[] Args { get; }

    /// <summary>Configuration: <c>appsettings.json</c> next to the AppHost, environment variables, the command line.</summary>
    public ConfigurationManager Configuration { get; }

    /// <summary>Services of the AppHost itself (the orchestrator, publishers, the dashboard).</summary>
    public IServiceCollection Services => HostBuilder.Services;

    /// <summary>Run or publish.</summary>
    public DistributedApplicationExecutionContext ExecutionContext { get; }

    /// <summary>The AppHost project's folder; relative paths in <c>Add*</c> calls resolve against it.</summary>
    public string AppHostDirectory { get; }

    /// <summary>The AppHost's state folder (<c>.mlops/</c> by default; setting <c>AppHost:DataDirectory</c>).</summary>
    public string DataDirectory { get; }

    /// <summary>Where generated parameter values are kept (a 0600 file under the data folder).</summary>
    public ParameterSecretStore Secrets { get; }

    /// <summary>The resources added so far, in order.</summary>
    public IReadOnlyList<IResource> Resources => _resources;

    /// <summary>Registers a resource; its name must be valid and unique (case-insensitively, as in Aspire).</summary>
    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DistributedApplicationException($"Cannot add resource '{resource.Name}': a resource with that name already exists.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    /// <summary>A builder for a resource that is not registered (a local stand-in is configured this way).</summary>
    public IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource => new ResourceBuilder<T>(this, resource);

    /// <summary>Resolves a path given relative to the AppHost's folder.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, AppHostDirectory);

    /// <summary>Freezes the model and creates the application.</summary>
    public DistributedApplication Build()
    {
        var model = new DistributedApplicationModel(_resources.ToArray(), ExecutionContext, AppHostDirectory, DataDirectory);
        Services.AddSingleton(model);
        Services.AddSingleton(ExecutionContext);
        Services.AddSingleton<IConfiguration>(Configuration);
        Services.AddSingleton(Secrets);
        if (ExecutionContext.IsPublishMode)
        {
            Services.AddPublishers();
        }
        else
        {
            Services.AddOrchestration();
            Services.AddHostedService<Console.ResourceConsoleReporter>();
        }

        return new DistributedApplication(model, HostBuilder.Build());
    }

    // "--require-gpu" alone (last, or followed by another option) is "--require-gpu=true".
    private static string[] ExpandFlags(string[] args) =>
        [.. args.Select((arg, i) => s_flags.Contains(arg, StringComparer.Ordinal) && (i + 1 == args.Length || args[i + 1].StartsWith('-'))
            ? arg + "=true"
            : arg)];

    // The AppHost project records its folder at build time; without it (tests, tools) the working folder is used.
    private static string FindAppHostDirectory() =>
        Assembly.GetEntryAssembly()?.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AppHostDirectory")?.Value
        ?? Directory.GetCurrentDirectory();
}

/// <summary>A problem with the application model or its run, reported as one clear line.</summary>
public sealed class DistributedApplicationException(string message, Exception? inner = null) : Exception(message, inner);
