using System.CommandLine;
using MlOps.Trainer.Remotes;
using MlOps.Trainer.Versioning;
using Spectre.Console;

namespace MlOps.Trainer.Cli;

/// <summary><c>data add|verify|push|pull</c>: DVC-compatible versions of a data file and their remotes.</summary>
internal static class DataCommands
{
    public static Command Create(CliContext context)
    {
        var data = new Command("data", "Version data files with DVC-compatible pointer files (FILE.dvc).");

        var addFile = new Argument<string>("file") { Description = "The data file." };
        var add = new Command("add", "Write FILE.dvc recording the file's md5 and size.") { addFile };
        add.SetAction(parse =>
        {
            var pointer = DataVersioning.Add(parse.GetRequiredValue(addFile));
            context.Console.MarkupLineInterpolated($"[green]✓[/] {parse.GetRequiredValue(addFile)}.dvc: md5 {pointer.Md5}, {pointer.Size:N0} bytes");
            return TrainerCli.Ok;
        });

        var verifyFile = new Argument<string>("file") { Description = "The data file." };
        var verify = new Command("verify", "Check FILE against FILE.dvc; exit code 2 on a mismatch.") { verifyFile };
        verify.SetAction(parse =>
        {
            var result = DataVersioning.Verify(parse.GetRequiredValue(verifyFile));
            if (result.Status != VerificationStatus.Match)
            {
                throw new BadInputException(result.Message);
            }

            context.Console.MarkupLineInterpolated($"[green]✓[/] {result.Message}");
            return TrainerCli.Ok;
        });

        data.Subcommands.Add(add);
        data.Subcommands.Add(verify);
        data.Subcommands.Add(Push(context));
        data.Subcommands.Add(Pull(context));
        return data;
    }

    private static Command Push(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The data file (FILE.dvc must match it)." };
        var remote = RemoteOption();
        var command = new Command("push", "Upload FILE to a DVC remote (files/md5/ab/cdef…): the default remote of .dvc/config, or --remote.") { file, remote };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(file);
            var result = await DataRemotes.PushAsync(path, parse.GetValue(remote), context.GetVariable, new ConsoleTransferDisplay(context.Console), ct)
                .ConfigureAwait(false);
            Report(context, path, result);
            return TrainerCli.Ok;
        });
        return command;
    }

    private static Command Pull(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The data file to restore from FILE.dvc." };
        var remote = RemoteOption();
        var force = new Option<bool>("--force") { Description = "Replace a local file that differs from FILE.dvc." };
        var command = new Command("pull", "Download FILE from a DVC remote as FILE.dvc records it, checking its md5 before it replaces anything.") { file, remote, force };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(file);
            var result = await DataRemotes.PullAsync(path, parse.GetValue(remote), parse.GetValue(force), context.GetVariable, new ConsoleTransferDisplay(context.Console), ct)
                .ConfigureAwait(false);
            Report(context, path, result);
            return TrainerCli.Ok;
        });
        return command;
    }

    private static void Report(CliContext context, string path, TransferResult result)
    {
        var seconds = result.Elapsed.TotalSeconds;
        switch (result.Outcome)
        {
            case TransferOutcome.AlreadyInRemote:
                context.Console.MarkupLineInterpolated($"[green]✓[/] {path}: already in {result.Remote} ({result.Location})");
                break;
            case TransferOutcome.UpToDate:
                context.Console.MarkupLineInterpolated($"[green]✓[/] {path}: up to date (md5 {result.Md5})");
                break;
            case TransferOutcome.Pushed:
                context.Console.MarkupLineInterpolated(
                    $"[green]✓[/] {path}: pushed to {result.Remote} ({result.Location}), {result.Bytes:N0} bytes in {seconds:F1} s");
                break;
            default:
                context.Console.MarkupLineInterpolated(
                    $"[green]✓[/] {path}: pulled from {result.Remote} ({result.Location}), md5 {result.Md5} verified, {result.Bytes:N0} bytes in {seconds:F1} s");
                break;
        }
    }

    private static Option<string?> RemoteOption() => new("--remote", "-r")
    {
        Description = "A remote named in .dvc/config, a folder or s3://BUCKET/PREFIX (default: the output's remote, then [core] remote).",
    };
}
