using Aspire.Hosting.ApplicationModel;
using YamlDotNet.RepresentationModel;

namespace MlOps.Hosting.Compose;

/// <summary>The <c>build:</c> of a service: a container's Dockerfile (context, dockerfile, target stage, args), or a
/// project's <c>Dockerfile</c> next to its project file with the solution folder as context, so it can copy the projects
/// it references. BuildKit secrets go to a separate override file: Compose v1 rejects <c>build.secrets</c>.</summary>
internal sealed class ComposeBuild(string composeDirectory, ComposeValueResolver values)
{
    private readonly HashSet<string> _secretIds = new(StringComparer.Ordinal);

    /// <summary>The folder of the compose file; relative paths start there.</summary>
    public string ComposeDirectory => composeDirectory;

    /// <summary>The top-level <c>secrets:</c> of the build-secrets override, filled while services are written.</summary>
    public YamlMappingNode Secrets { get; } = new();

    /// <summary>Per service, the secret ids its build uses.</summary>
    public YamlMappingNode SecretServices { get; } = new();

    /// <summary>The build node of <paramref name="resource"/>, or null when it runs an image.</summary>
    public async Task<YamlMappingNode?> CreateAsync(IResource resource)
    {
        if (resource.Annotations.OfType<DockerfileBuildAnnotation>().LastOrDefault() is { } dockerfile)
        {
            if (dockerfile.DockerfileFactory is not null)
            {
                throw new InvalidOperationException($"'{resource.Name}' builds from a generated Dockerfile, which the compose export cannot write.");
            }

            var args = dockerfile.BuildArguments.Select(a => KeyValuePair.Create(a.Key, a.Value));
            AddSecrets(resource, dockerfile);
            return await NodeAsync(dockerfile.ContextPath, dockerfile.DockerfilePath, dockerfile.Stage, args).ConfigureAwait(false);
        }

        if (resource is not ProjectResource project)
        {
            return null;
        }

        var projectDirectory = Path.GetDirectoryName(project.GetProjectMetadata().ProjectPath)!;
        var projectDockerfile = Path.Combine(projectDirectory, "Dockerfile");
        if (!File.Exists(projectDockerfile))
        {
            throw new InvalidOperationException($"Project '{resource.Name}' has no Dockerfile at {projectDockerfile}; the compose export builds projects from it.");
        }

        var projectArgs = project.Annotations.OfType<ComposeBuildArgAnnotation>().Select(a => KeyValuePair.Create(a.Name, (object?)a.Value));
        return await NodeAsync(SolutionDirectory(projectDirectory) ?? projectDirectory, projectDockerfile, null, projectArgs).ConfigureAwait(false);
    }

    private async Task<YamlMappingNode> NodeAsync(string context, string dockerfile, string? stage, IEnumerable<KeyValuePair<string, object?>> args)
    {
        var node = new YamlMappingNode(
            ComposeYaml.Plain("context"), ComposeYaml.Quoted(ComposeOutput.Relative(composeDirectory, context)),
            // compose resolves the Dockerfile against the context.
            ComposeYaml.Plain("dockerfile"), ComposeYaml.Quoted(Path.GetRelativePath(context, dockerfile).Replace('\\', '/')));
        if (!string.IsNullOrEmpty(stage))
        {
            node.Add("target", ComposeYaml.Quoted(stage));
        }

        var resolved = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in args.Where(a => a.Value is not null))
        {
            resolved.Add(KeyValuePair.Create(name, await values.ResolveAsync(value).ConfigureAwait(false)));
        }

        if (resolved.Count > 0)
        {
            node.Add("args", ComposeYaml.QuotedMap(resolved));
        }

        return node;
    }

    // A parameter's value is read from the environment (.env) when compose builds; a file is mounted from its path.
    private void AddSecrets(IResource resource, DockerfileBuildAnnotation dockerfile)
    {
        if (dockerfile.BuildSecrets.Count == 0)
        {
            return;
        }

        foreach (var (id, value) in dockerfile.BuildSecrets)
        {
            YamlNode source = value switch
            {
                ParameterResource parameter => new YamlMappingNode(ComposeYaml.Plain("environment"), ComposeYaml.Quoted(ComposeNames.Variable(parameter))),
                FileInfo file => new YamlMappingNode(ComposeYaml.Plain("file"), ComposeYaml.Quoted(ComposeOutput.Relative(composeDirectory, file.FullName))),
                _ => throw new InvalidOperationException($"Build secret '{id}' of '{resource.Name}' is neither a parameter nor a file."),
            };
            if (_secretIds.Add(id))
            {
                Secrets.Add(ComposeYaml.Plain(id), source);
            }
        }

        var build = new YamlMappingNode(ComposeYaml.Plain("secrets"), ComposeYaml.QuotedList(dockerfile.BuildSecrets.Keys));
        SecretServices.Add(ComposeYaml.Plain(ComposeNames.Service(resource)), new YamlMappingNode(ComposeYaml.Plain("build"), build));
    }

    private static string? SolutionDirectory(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (directory.EnumerateFiles("*.sln").Any() || directory.EnumerateFiles("*.slnx").Any())
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
