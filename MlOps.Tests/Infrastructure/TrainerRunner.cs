using MlOps.Trainer.Cli;

namespace MlOps.Tests.Infrastructure;

/// <summary>Runs the trainer's real command line in-process and captures what it prints.</summary>
public static class TrainerRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Task<Result> RunAsync(params string[] args) => RunAsync(_ => null, args);

    /// <summary>
    /// Runs with its own environment lookup instead of the process environment (e.g. MLFLOW_TRACKING_URI for one
    /// test's tracking server), so tests that track can run in parallel with tests that do not.
    /// </summary>
    public static async Task<Result> RunAsync(Func<string, string?> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TrainerCli.RunAsync(args, output, error, environment).DefaultTimeout(TimeSpan.FromMinutes(5));
        return new Result(code, output.ToString(), error.ToString());
    }
}
