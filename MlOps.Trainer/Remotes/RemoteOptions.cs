namespace MlOps.Trainer.Remotes;

/// <summary>The keys of one remote's config section (lowercased), with where they came from for messages.</summary>
internal sealed class RemoteOptions(IReadOnlyDictionary<string, string> values, string source)
{
    public static RemoteOptions None { get; } = new(new Dictionary<string, string>(), "the command line");

    /// <summary>The config file(s) the keys were read from.</summary>
    public string Source { get; } = source;

    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public string? Get(string key) => Values.TryGetValue(key, out var value) ? value : null;

    /// <summary>DVC's Bool: <c>true</c> or <c>false</c> in any case; anything else is a config error.</summary>
    public bool? GetBool(string key) => Get(key)?.ToLowerInvariant() switch
    {
        null => null,
        "true" => true,
        "false" => false,
        var other => throw new BadInputException($"{Source}: {key} = {other}: expected true or false."),
    };
}
