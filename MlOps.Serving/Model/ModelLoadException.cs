namespace MlOps.Serving.Model;

/// <summary>A model could not be resolved, read or loaded; the message says why in one line.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException()
    {
    }

    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The registry has no such model, version or alias yet: serving waits for one (health <c>no-model</c>).</summary>
    public bool ModelMissing { get; init; }
}
