namespace MlOps.Hosting.ApplicationModel;

/// <summary>A container: an image (or a Dockerfile) run by the container engine.</summary>
public class ContainerResource(string name) : Resource(name),
    IResourceWithEnvironment, IResourceWithArgs, IResourceWithEndpoints, IResourceWithWaitSupport;

/// <summary>A .NET project run from its built output (<c>dotnet Project.dll</c>).</summary>
public class ProjectResource(string name, string projectPath, string? assemblyPath) : Resource(name),
    IResourceWithEnvironment, IResourceWithArgs, IResourceWithServiceDiscovery, IResourceWithWaitSupport
{
    /// <summary>The absolute path of the <c>.csproj</c>.</summary>
    public string ProjectPath { get; } = projectPath;

    /// <summary>The built assembly, when the AppHost build recorded it; null means it is looked up next to the project.</summary>
    public string? AssemblyPath { get; } = assemblyPath;
}

/// <summary>Any program on the machine.</summary>
public class ExecutableResource(string name, string command, string workingDirectory) : Resource(name),
    IResourceWithEnvironment, IResourceWithArgs, IResourceWithServiceDiscovery, IResourceWithWaitSupport
{
    /// <summary>The program (a path or a name found on PATH).</summary>
    public string Command { get; } = command;

    /// <summary>The working directory.</summary>
    public string WorkingDirectory { get; } = workingDirectory;
}

/// <summary>How a parameter gets a value when configuration has none.</summary>
/// <param name="MinLength">Length of the generated secret.</param>
public sealed record GenerateParameterDefault(int MinLength = 22);

/// <summary>A value supplied from outside: configuration <c>Parameters:&lt;name&gt;</c>, or generated once and kept.</summary>
public sealed class ParameterResource : Resource, IManifestExpressionProvider, IValueProvider
{
    private readonly Func<string> _valueGetter;
    private string? _value;

    /// <summary>Creates a parameter whose value comes from <paramref name="valueGetter"/> the first time it is read.</summary>
    public ParameterResource(string name, Func<string> valueGetter, bool secret, GenerateParameterDefault? generate = null)
        : base(name)
    {
        _valueGetter = valueGetter;
        Secret = secret;
        Generate = generate;
    }

    /// <summary>True for passwords and keys: masked in the dashboard, a secret input in the manifest.</summary>
    public bool Secret { get; }

    /// <summary>Set when the value is generated if configuration has none.</summary>
    public GenerateParameterDefault? Generate { get; }

    /// <summary>The value (read once, then cached).</summary>
    public string Value => _value ??= _valueGetter();

    /// <inheritdoc />
    public string ValueExpression => $"{{{Name}.value}}";

    /// <inheritdoc />
    public ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(Value);
}

/// <summary>Thrown when a parameter has no value in configuration and none can be generated.</summary>
public sealed class MissingParameterValueException(string parameterName)
    : InvalidOperationException($"Parameter '{parameterName}' has no value: set 'Parameters:{parameterName}' in configuration, " +
        $"an environment variable Parameters__{parameterName}, or --Parameters:{parameterName}=<value> on the command line.")
{
    /// <summary>The parameter.</summary>
    public string ParameterName { get; } = parameterName;
}
