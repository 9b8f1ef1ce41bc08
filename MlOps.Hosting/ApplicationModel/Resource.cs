namespace MlOps.Hosting.ApplicationModel;

/// <summary>Base class of every resource: validates the name and holds the annotations.</summary>
public abstract class Resource : IResource
{
    /// <summary>Creates a resource after checking <paramref name="name"/> against Aspire's naming rules.</summary>
    protected Resource(string name)
    {
        ResourceNameRules.ThrowIfInvalid(name);
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ResourceAnnotationCollection Annotations { get; } = [];

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name}({Name})";
}

/// <summary>The annotations of one resource, in the order they were added.</summary>
public sealed class ResourceAnnotationCollection : System.Collections.ObjectModel.Collection<IResourceAnnotation>
{
    /// <summary>All annotations of type <typeparamref name="T"/>.</summary>
    public IEnumerable<T> OfType<T>() where T : IResourceAnnotation => this.Items.OfType<T>();
}
