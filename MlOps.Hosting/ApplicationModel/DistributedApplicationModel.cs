namespace MlOps.Hosting.ApplicationModel;

/// <summary>The built application: its resources in declaration order and where the AppHost lives.</summary>
/// <param name="Resources">Every resource, in the order it was added.</param>
/// <param name="ExecutionContext">Run or publish.</param>
/// <param name="AppHostDirectory">The AppHost project's folder; relative paths resolve against it.</param>
/// <param name="DataDirectory">The AppHost's state folder (<c>.mlops/</c>): data of local resources and generated secrets.</param>
public sealed record DistributedApplicationModel(
    IReadOnlyList<IResource> Resources,
    DistributedApplicationExecutionContext ExecutionContext,
    string AppHostDirectory,
    string DataDirectory)
{
    /// <summary>The resource named <paramref name="name"/>, or null.</summary>
    public IResource? Find(string name) => Resources.FirstOrDefault(r => r.Name == name);
}
