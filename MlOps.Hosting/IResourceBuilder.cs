using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting;

/// <summary>The handle a fluent <c>With*</c> chain works on: the resource plus the application builder.</summary>
/// <typeparam name="T">The resource type.</typeparam>
public interface IResourceBuilder<out T> where T : IResource
{
    /// <summary>The application builder the resource belongs to.</summary>
    DistributedApplicationBuilder ApplicationBuilder { get; }

    /// <summary>The resource.</summary>
    T Resource { get; }

    /// <summary>Attaches one annotation; every <c>With*</c> method goes through here.</summary>
    IResourceBuilder<T> WithAnnotation(IResourceAnnotation annotation);
}

internal sealed class ResourceBuilder<T>(DistributedApplicationBuilder applicationBuilder, T resource) : IResourceBuilder<T>
    where T : IResource
{
    public DistributedApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;

    public T Resource { get; } = resource;

    public IResourceBuilder<T> WithAnnotation(IResourceAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        Resource.Annotations.Add(annotation);
        return this;
    }
}
