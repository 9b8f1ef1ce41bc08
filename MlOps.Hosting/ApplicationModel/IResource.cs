namespace MlOps.Hosting.ApplicationModel;

/// <summary>A named part of the application: a name plus the annotations that describe how it runs.</summary>
public interface IResource
{
    /// <summary>The resource's unique, validated name (Aspire's rules: letters, digits and hyphens).</summary>
    string Name { get; }

    /// <summary>Everything attached to the resource by <c>With*</c> calls.</summary>
    ResourceAnnotationCollection Annotations { get; }
}

/// <summary>Marker for the small classes that carry one behaviour of a resource.</summary>
public interface IResourceAnnotation;

/// <summary>A resource that receives environment variables.</summary>
public interface IResourceWithEnvironment : IResource;

/// <summary>A resource that receives command-line arguments.</summary>
public interface IResourceWithArgs : IResource;

/// <summary>A resource that exposes network endpoints.</summary>
public interface IResourceWithEndpoints : IResource;

/// <summary>A resource other resources find through <c>services__{name}__{endpoint}__0</c> (projects and executables,
/// as in Aspire; containers are referenced through <c>GetEndpoint</c>).</summary>
public interface IResourceWithServiceDiscovery : IResourceWithEndpoints;

/// <summary>A resource that can wait for other resources before it starts.</summary>
public interface IResourceWithWaitSupport : IResource;

/// <summary>A resource that belongs to another one (a database of a server).</summary>
public interface IResourceWithParent : IResource
{
    /// <summary>The owning resource.</summary>
    IResource Parent { get; }
}

/// <summary>A resource other resources reach through a connection string (<c>ConnectionStrings__name</c>).</summary>
public interface IResourceWithConnectionString : IResource, IManifestExpressionProvider, IValueProvider
{
    /// <summary>The connection string, resolved late.</summary>
    ReferenceExpression ConnectionStringExpression { get; }

    /// <summary>The environment variable a referencing resource receives; null means <c>ConnectionStrings__{Name}</c>.</summary>
    string? ConnectionStringEnvironmentVariable => null;

    string IManifestExpressionProvider.ValueExpression => $"{{{Name}.connectionString}}";

    ValueTask<string?> IValueProvider.GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken) =>
        ConnectionStringExpression.GetValueAsync(context, cancellationToken);
}
