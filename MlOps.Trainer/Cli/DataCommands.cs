using System.CommandLine;
using MlOps.Trainer.Versioning;
using Spectre.Console;

namespace MlOps.Trainer.Cli;

/// <summary><c>data add|verify|push|pull</c>: DVC-compatible versions of a data file.</summary>
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
        data.Subcommands.Add(Transfer(context, "push", "Copy FILE to a DVC directory remote (files/md5/ab/cdef…).", (file, remote) =>
            DataVersioning.Push(file, remote) ? "pushed" : "already in the remote"));
        data.Subcommands.Add(Transfer(context, "pull", "Restore FILE from a DVC directory remote using FILE.dvc.", (file, remote) =>
        {
            DataVersioning.Pull(file, remote);
            return "pulled";
        }));
        return data;
    }

    private static Command Transfer(CliContext context, string name, string description, Func<string, string, string> transfer)
    {
        var file = new Argument<string>("file") { Description = "The data file." };
        var remote = new Option<string>("--remote") { Description = "The remote directory.", Required = true };
        var command = new Command(name, description) { file, remote };
        command.SetAction(parse =>
        {
            var outcome = transfer(parse.GetRequiredValue(file), parse.GetRequiredValue(remote));
            context.Console.MarkupLineInterpolated($"[green]✓[/] {parse.GetRequiredValue(file)}: {outcome} ({parse.GetRequiredValue(remote)})");
            return TrainerCli.Ok;
        });
        return command;
    }
}
