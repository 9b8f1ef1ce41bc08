using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MlOps.Trainer.Model;

/// <summary>Captures what produced a model: runtime, OS, the trainer's resolved packages (our "pip freeze") and git commit.</summary>
public static class EnvironmentProbe
{
    public static EnvironmentInfo Capture(string? directory)
    {
        var version = typeof(EnvironmentProbe).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? "0.0.0";
        return new EnvironmentInfo(
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription,
            RuntimeInformation.OSArchitecture.ToString(),
            version,
            GitCommit(directory ?? Environment.CurrentDirectory),
            ResolvedPackages());
    }

    /// <summary>The NuGet packages the trainer was built against, from its deps.json, sorted by name.</summary>
    public static IReadOnlyDictionary<string, string> ResolvedPackages()
    {
        var result = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var depsFile = Path.Combine(AppContext.BaseDirectory, "mlops-trainer.deps.json");
        if (!File.Exists(depsFile))
        {
            return result;
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(depsFile));
        if (!doc.RootElement.TryGetProperty("libraries", out var libraries))
        {
            return result;
        }

        foreach (var library in libraries.EnumerateObject())
        {
            if (library.Value.TryGetProperty("type", out var type) && type.GetString() == "package"
                && library.Name.Split('/') is [var name, var packageVersion])
            {
                result[name] = packageVersion;
            }
        }

        return result;
    }

    /// <summary>The commit of the repository holding <paramref name="directory"/>, or null outside one (or without git).</summary>
    public static string? GitCommit(string directory)
    {
        var commit = MlflowGitEnvironment();
        if (commit is not null)
        {
            return commit;
        }

        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["rev-parse", "HEAD"])
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            if (!git.WaitForExit(5_000))
            {
                git.Kill();
                return null;
            }

            return git.ExitCode == 0 && output.Length == 40 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git is not installed
        }
    }

    // In a container there is no .git; the build passes the commit in (MLflow's own variable name).
    private static string? MlflowGitEnvironment() =>
        Environment.GetEnvironmentVariable("MLFLOW_GIT_COMMIT") is { Length: 40 } c ? c : null;
}
