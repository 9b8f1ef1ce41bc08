namespace MlOps.Hosting.Runtime;

/// <summary>The AppHost's own switches, turned into configuration keys before Aspire reads the command line:
/// <c>--runtime X</c> → <c>AppHost:Runtime=X</c>, <c>--require-gpu</c> → <c>AppHost:RequireGpu=true</c>.
/// Everything else (<c>--publisher</c>, <c>--Key=Value</c>) passes through unchanged.</summary>
public static class AppHostArguments
{
    /// <summary>The setting <c>--require-gpu</c> turns on.</summary>
    public const string RequireGpuKey = "AppHost:RequireGpu";

    /// <summary>Rewrites the AppHost's switches.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The command line Aspire reads.</returns>
    public static string[] Normalize(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--require-gpu":
                    result.Add($"--{RequireGpuKey}=true");
                    break;
                case "--runtime" when i + 1 < args.Length:
                    result.Add($"--{RuntimeMode.ConfigurationKey}={args[++i]}");
                    break;
                case var arg when arg.StartsWith("--runtime=", StringComparison.Ordinal):
                    result.Add($"--{RuntimeMode.ConfigurationKey}={arg["--runtime=".Length..]}");
                    break;
                default:
                    result.Add(args[i]);
                    break;
            }
        }

        return [.. result];
    }
}
