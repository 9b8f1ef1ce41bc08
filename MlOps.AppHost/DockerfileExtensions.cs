namespace MlOps.AppHost;

internal static class DockerfileExtensions
{
    /// <summary>The configured .NET base images for a .NET Dockerfile (build arguments <c>SDK_IMAGE</c>, <c>RUNTIME_IMAGE</c>),
    /// and the BuildKit secrets of <c>AppHost:BuildSecrets</c> while running (the CA bundle behind a TLS-inspecting proxy).</summary>
    public static IResourceBuilder<T> WithDotnetBuild<T>(this IResourceBuilder<T> container, AppHostSettings settings) where T : ContainerResource
    {
        if (settings.Images.DotnetSdk is { } sdk)
        {
            container.WithBuildArg("SDK_IMAGE", sdk);
        }

        if (settings.Images.DotnetRuntime is { } runtime)
        {
            container.WithBuildArg("RUNTIME_IMAGE", runtime);
        }

        return container.WithBuildSecretFiles(settings);
    }

    /// <summary>Passes each <c>AppHost:BuildSecrets:id=path</c> as a file secret (<c>--secret id=…,src=…</c>), run mode only.</summary>
    public static IResourceBuilder<T> WithBuildSecretFiles<T>(this IResourceBuilder<T> container, AppHostSettings settings) where T : ContainerResource
    {
        if (container.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            // WithBuildSecret takes a parameter (its value inlined); Aspire's build annotation also takes a file, which
            // keeps a 200 KB CA bundle out of the environment.
            var build = container.Resource.Annotations.OfType<DockerfileBuildAnnotation>().Single();
            foreach (var (id, path) in settings.BuildSecrets)
            {
                build.BuildSecrets[id] = new FileInfo(path);
            }
        }

        return container;
    }
}
