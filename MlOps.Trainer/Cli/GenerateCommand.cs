using System.CommandLine;
using System.Diagnostics;
using MlOps.Trainer.Data;
using MlOps.Trainer.Versioning;
using Spectre.Console;

namespace MlOps.Trainer.Cli;

/// <summary><c>generate --rows N --seed S --out FILE</c>: synthetic card transactions, the same bytes for the same seed.</summary>
internal static class GenerateCommand
{
    public static Command Create(CliContext context)
    {
        var rows = new Option<int>("--rows") { Description = "Number of transactions.", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same file.", DefaultValueFactory = _ => 42 };
        var output = new Option<string>("--out") { Description = "Output file (.csv or .parquet).", Required = true };
        var ifMissing = new Option<bool>("--if-missing") { Description = "Keep an existing file and do nothing (used by the AppHost's first run)." };
        var addPointer = new Option<bool>("--dvc") { Description = "Also write the file's DVC pointer (like 'data add')." };
        var command = new Command("generate", "Generate synthetic card transactions with a rare, learnable fraud label.") { rows, seed, output, ifMissing, addPointer };
        command.SetAction((parse, ct) =>
        {
            var n = parse.GetValue(rows);
            if (n is < 1 or > 100_000_000)
            {
                throw new BadInputException($"--rows {n}: must be between 1 and 100000000.");
            }

            var path = parse.GetRequiredValue(output);
            if (parse.GetValue(ifMissing) && File.Exists(path))
            {
                context.Console.MarkupLineInterpolated($"[grey]{path} exists; kept (--if-missing)[/]");
                return Task.FromResult(TrainerCli.Ok);
            }

            var clock = Stopwatch.StartNew();
            var table = TransactionGenerator.Generate(n, parse.GetValue(seed));
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            TableWriter.Write(table, path, ct);
            var fraud = ((NumericColumn)table["is_fraud"]).Values.Count(v => v > 0.5);
            context.Console.MarkupLineInterpolated(
                $"[green]✓[/] wrote {n:N0} transactions to {path} ({fraud:N0} fraud, {100.0 * fraud / n:F2}%) in {clock.Elapsed.TotalSeconds:F1}s");
            if (parse.GetValue(addPointer))
            {
                var pointer = DataVersioning.Add(path);
                context.Console.MarkupLineInterpolated($"[green]✓[/] wrote {DataVersioning.PointerPathFor(path)} (md5 {pointer.Md5})");
            }

            return Task.FromResult(TrainerCli.Ok);
        });
        return command;
    }
}
