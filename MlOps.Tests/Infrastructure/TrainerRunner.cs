using MlOps.Trainer.Cli;

namespace MlOps.Tests.Infrastructure;

/// <summary>Runs the trainer's real command line in-process and captures what it prints.</summary>
public static class TrainerRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TrainerCli.RunAsync(args, output, error).DefaultTimeout(TimeSpan.FromMinutes(5));
        return new Result(code, output.ToString(), error.ToString());
    }
}
