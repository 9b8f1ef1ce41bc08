using System.Reflection;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting;

/// <summary>Projects and executables.</summary>
public static class ProjectResourceBuilderExtensions
{
    /// <summary>The prefix of the assembly metadata the AppHost build writes for each referenced project:
    /// <c>MlOpsProject:&lt;csproj path&gt;</c> = the built assembly's path (matched by the csproj's file name).</summary>
    public const string ProjectOutputMetadataPrefix = "MlOpsProject:";

    /// <summary>Adds a .NET project (path relative to the AppHost folder), run from its built output.</summary>
    public static IResourceBuilder<ProjectResource> AddProject(this DistributedApplicationBuilder builder, string name, string projectPath) =>
        builder.AddResource(CreateProject(builder, name, projectPath));

    /// <summary>Adds a program run as a child process.</summary>
    public static IResourceBuilder<ExecutableResource> AddExecutable(this DistributedApplicationBuilder builder, string name, string command,
        string workingDirectory, params object[] args)
    {
        var resource = builder.AddResource(new ExecutableResource(name, command, builder.ResolvePath(workingDirectory)));
        return args.Length == 0 ? resource : resource.WithArgs(args);
    }

    internal static ProjectResource CreateProject(DistributedApplicationBuilder builder, string name, string projectPath)
    {
        var fullPath = builder.ResolvePath(projectPath);
        if (!File.Exists(fullPath))
        {
            throw new DistributedApplicationException($"Project file for resource '{name}' not found: {fullPath}");
        }

        return new ProjectResource(name, fullPath, FindBuiltAssembly(fullPath));
    }

    private static string? FindBuiltAssembly(string projectPath)
    {
        var fileName = Path.GetFileName(projectPath);
        var recorded = Assembly.GetEntryAssembly()?.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key.StartsWith(ProjectOutputMetadataPrefix, StringComparison.Ordinal)
                && string.Equals(Path.GetFileName(a.Key[ProjectOutputMetadataPrefix.Length..].Replace('\\', '/')), fileName, StringComparison.Ordinal))?.Value;
        return recorded is not null && File.Exists(recorded) ? recorded : null;
    }
}

/// <summary>Parameters: values from configuration, or generated and kept.</summary>
public static class ParameterResourceBuilderExtensions
{
    /// <summary>Adds a parameter read from configuration <c>Parameters:&lt;name&gt;</c>.</summary>
    public static IResourceBuilder<ParameterResource> AddParameter(this DistributedApplicationBuilder builder, string name, bool secret = false) =>
        builder.AddResource(new ParameterResource(name, () => builder.Configuration[$"Parameters:{name}"] ?? throw new MissingParameterValueException(name), secret));

    /// <summary>Adds a secret parameter that is generated once (and kept under the data folder) when configuration has none.</summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedParameter(this DistributedApplicationBuilder builder, string name, int minLength = 22) =>
        builder.AddResource(CreateGeneratedParameter(builder, name, minLength));

    internal static ParameterResource CreateGeneratedParameter(DistributedApplicationBuilder builder, string name, int minLength) =>
        new(name, () => builder.Configuration[$"Parameters:{name}"] ?? builder.Secrets.GetOrCreate(name, minLength), secret: true, new GenerateParameterDefault(minLength));
}
