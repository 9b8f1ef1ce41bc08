using System.CommandLine;
using MlOps.Trainer.Devices;
using MlOps.Trainer.Tuning;

namespace MlOps.Trainer.Cli;

/// <summary>
/// <c>tune --data FILE --label COLUMN --trials N [--timeout S] [--space FILE.json] …</c>: a model-based search
/// (TPE) of LightGBM's settings, then the best refit, exported, verified and registered as <c>train</c> does.
/// </summary>
internal static class TuneCommand
{
    public static Command Create(CliContext context)
    {
        var o = new TrainingOptions();
        var trials = new Option<int>("--trials") { Description = "How many configurations to try.", DefaultValueFactory = _ => 30 };
        var timeout = new Option<double?>("--timeout") { Description = "Start no trial after this many seconds (the running one finishes)." };
        var space = new Option<string?>("--space") { Description = "JSON search space: {\"learning_rate\": {\"low\": 0.01, \"high\": 0.3, \"log\": true}, \"class_weight\": {\"choices\": [\"none\", \"sqrt\"]}, …}." };
        var command = new Command("tune", "Search LightGBM's settings (TPE, deterministic per seed; each trial a nested MLflow run), then train, export and register the best as train does.");
        foreach (var option in o.All)
        {
            command.Options.Add(option);
        }

        command.Options.Add(trials);
        command.Options.Add(timeout);
        command.Options.Add(space);
        command.SetAction((parse, ct) =>
        {
            var request = o.ToRequest(parse);
            var budget = new SearchBudget(
                parse.GetValue(trials) is var n and >= 1 and <= 10_000 ? n : throw new BadInputException($"--trials {parse.GetValue(trials)}: expected 1 to 10000."),
                parse.GetValue(timeout) is { } s ? (s > 0 ? TimeSpan.FromSeconds(s) : throw new BadInputException($"--timeout {s}: expected a positive number of seconds.")) : null);
            var searchSpace = parse.GetValue(space) is { } path ? SearchSpace.Load(path) : SearchSpace.Default;
            var runner = new TuneRunner(request, searchSpace, budget, context.Console, new SystemGpuEnvironment());
            return TrainerHost.RunAsync(context, "tune", request, o.ToTracking(parse), runner.RunAsync, ct);
        });
        return command;
    }
}
