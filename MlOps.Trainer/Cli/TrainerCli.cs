using System.CommandLine;
using Spectre.Console;

namespace MlOps.Trainer.Cli;

/// <summary>
/// The trainer's command line. Exit codes are a contract: 0 ok, 2 bad input (a one-line message naming the file,
/// column or value), 1 any other failure, 130 cancelled.
/// </summary>
public static class TrainerCli
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int Cancelled = 130;

    // getVariable looks environment variables up (MLFLOW_TRACKING_URI and friends), the process environment when
    // null: tests pass their own, so concurrent runs need no process-wide variable.
    public static async Task<int> RunAsync(
        string[] args, TextWriter? output = null, TextWriter? error = null, Func<string, string?>? getVariable = null,
        CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = ReferenceEquals(output, Console.Out) ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ReferenceEquals(output, Console.Out) ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (Console.IsOutputRedirected || !ReferenceEquals(output, Console.Out))
        {
            // Logs and captured output should keep one line per event, not wrap at a guessed 80 columns.
            console.Profile.Width = 512;
        }

        var context = new CliContext(console, output, error, getVariable ?? Environment.GetEnvironmentVariable);

        var root = new RootCommand("MlOps trainer: synthetic data, DVC-compatible data versions, LightGBM training and ONNX export.")
        {
            GenerateCommand.Create(context),
            TrainCommand.Create(context),
            TuneCommand.Create(context),
            DataCommands.Create(context),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"error: {parse.Errors[0].Message} (see --help)").ConfigureAwait(false);
            return BadInput;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (BadInputException ex)
        {
            await error.WriteLineAsync($"error: {OneLine(ex.Message)}").ConfigureAwait(false);
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return Cancelled;
        }
        catch (Exception ex)
        {
            await error.WriteLineAsync($"error: {OneLine(ex.Message)}").ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("MLOPS_TRAINER_DEBUG") == "1")
            {
                await error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return Failure;
        }
    }

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}

/// <summary>What every command writes to.</summary>
internal sealed record CliContext(IAnsiConsole Console, TextWriter Output, TextWriter Error, Func<string, string?> GetVariable);
