using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting;

/// <summary>Containers: <c>AddContainer</c>, <c>AddDockerfile</c> and their <c>With*</c> methods.</summary>
public static class ContainerResourceBuilderExtensions
{
    /// <summary>Adds a container running <paramref name="image"/>:<paramref name="tag"/>.</summary>
    public static IResourceBuilder<ContainerResource> AddContainer(this DistributedApplicationBuilder builder, string name, string image, string tag = "latest") =>
        builder.AddResource(new ContainerResource(name)).WithAnnotation(new ContainerImageAnnotation(image, tag));

    /// <summary>Adds a container whose image is built from <paramref name="dockerfilePath"/> (default <c>Dockerfile</c>)
    /// in <paramref name="contextPath"/>; both relative to the AppHost folder.</summary>
    public static IResourceBuilder<ContainerResource> AddDockerfile(this DistributedApplicationBuilder builder, string name, string contextPath, string? dockerfilePath = null)
    {
        var context = builder.ResolvePath(contextPath);
        var dockerfile = Path.GetFullPath(dockerfilePath ?? "Dockerfile", context);
        return builder.AddResource(new ContainerResource(name))
            .WithAnnotation(new ContainerImageAnnotation($"mlops/{name}", "dev"))
            .WithAnnotation(new DockerfileBuildAnnotation(context, dockerfile));
    }

    /// <summary>Changes the image (and tag).</summary>
    public static IResourceBuilder<T> WithImage<T>(this IResourceBuilder<T> builder, string image, string? tag = null) where T : ContainerResource
    {
        var annotation = builder.Resource.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault();
        if (annotation is null)
        {
            return builder.WithAnnotation(new ContainerImageAnnotation(image, tag ?? "latest"));
        }

        annotation.Image = image;
        annotation.Tag = tag ?? annotation.Tag;
        return builder;
    }

    /// <summary>Changes the image tag.</summary>
    public static IResourceBuilder<T> WithImageTag<T>(this IResourceBuilder<T> builder, string tag) where T : ContainerResource
    {
        var annotation = builder.Resource.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault()
            ?? throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' has no image to tag.");
        annotation.Tag = tag;
        return builder;
    }

    /// <summary>Adds a build argument to a Dockerfile resource.</summary>
    public static IResourceBuilder<T> WithBuildArg<T>(this IResourceBuilder<T> builder, string name, object value) where T : ContainerResource
    {
        var annotation = builder.Resource.Annotations.OfType<DockerfileBuildAnnotation>().LastOrDefault()
            ?? throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' is not built from a Dockerfile.");
        annotation.BuildArguments[name] = value;
        return builder;
    }

    /// <summary>Mounts a named volume (the volume outlives the container).</summary>
    public static IResourceBuilder<T> WithVolume<T>(this IResourceBuilder<T> builder, string name, string target, bool isReadOnly = false) where T : ContainerResource =>
        builder.WithAnnotation(new ContainerMountAnnotation(name, target, ContainerMountType.Volume, isReadOnly));

    /// <summary>Mounts a host folder (relative to the AppHost folder).</summary>
    public static IResourceBuilder<T> WithBindMount<T>(this IResourceBuilder<T> builder, string source, string target, bool isReadOnly = false) where T : ContainerResource =>
        builder.WithAnnotation(new ContainerMountAnnotation(builder.ApplicationBuilder.ResolvePath(source), target, ContainerMountType.BindMount, isReadOnly));

    /// <summary>Overrides the image's entrypoint.</summary>
    public static IResourceBuilder<T> WithEntrypoint<T>(this IResourceBuilder<T> builder, string entrypoint) where T : ContainerResource =>
        builder.WithAnnotation(new ContainerEntrypointAnnotation(entrypoint));

    /// <summary>Adds arguments to <c>docker run</c> itself (run time only), such as <c>"--gpus", "all"</c>.</summary>
    public static IResourceBuilder<T> WithContainerRuntimeArgs<T>(this IResourceBuilder<T> builder, params string[] args) where T : ContainerResource =>
        builder.WithAnnotation(new ContainerRuntimeArgsCallbackAnnotation(list =>
        {
            list.AddRange(args);
            return ValueTask.CompletedTask;
        }));

    /// <summary>In local mode (no container engine) runs <paramref name="standIn"/> in the container's place, under the
    /// container's name and endpoints. <paramref name="configure"/> sets the stand-in's own environment and arguments.</summary>
    public static IResourceBuilder<T> WithLocalStandIn<T, TStandIn>(this IResourceBuilder<T> builder, TStandIn standIn, string reason,
        Action<IResourceBuilder<TStandIn>>? configure = null)
        where T : ContainerResource
        where TStandIn : IResource
    {
        if (standIn.Name != builder.Resource.Name)
        {
            throw new DistributedApplicationException($"The local stand-in of '{builder.Resource.Name}' must have the same name (got '{standIn.Name}').");
        }

        configure?.Invoke(builder.ApplicationBuilder.CreateResourceBuilder(standIn));
        return builder.WithAnnotation(new LocalStandInAnnotation(standIn, reason));
    }

    /// <summary>Runs the project at <paramref name="projectPath"/> in the container's place in local mode.</summary>
    public static IResourceBuilder<T> WithLocalProject<T>(this IResourceBuilder<T> builder, string projectPath, string reason,
        Action<IResourceBuilder<ProjectResource>>? configure = null)
        where T : ContainerResource =>
        builder.WithLocalStandIn(ProjectResourceBuilderExtensions.CreateProject(builder.ApplicationBuilder, builder.Resource.Name, projectPath), reason, configure);
}
