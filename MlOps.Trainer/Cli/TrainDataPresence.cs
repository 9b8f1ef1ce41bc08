using MlOps.Trainer.Remotes;
using MlOps.Trainer.Versioning;
using Spectre.Console;

namespace MlOps.Trainer.Cli;

/// <summary>
/// Before <c>train</c> loads its data: a file that is missing but has its <c>.dvc</c> pointer is pulled from the
/// default remote and checked against the pointer's md5 (what the seed's container entrypoint does with
/// <c>dvc pull</c>), and the console says so. Anything else is left to the loader.
/// </summary>
internal static class TrainDataPresence
{
    public static async Task EnsureAsync(CliContext context, string dataPath, CancellationToken cancellationToken)
    {
        if (File.Exists(dataPath) || !File.Exists(DataVersioning.PointerPathFor(dataPath)))
        {
            return;
        }

        context.Console.MarkupLineInterpolated(
            $"[grey]·[/] {dataPath} is missing; pulling it from the default remote as {Path.GetFileName(dataPath)}{DataVersioning.PointerExtension} records it");
        var result = await DataRemotes.PullAsync(dataPath, remoteArgument: null, force: false, context.GetVariable,
            new ConsoleTransferDisplay(context.Console), cancellationToken).ConfigureAwait(false);
        context.Console.MarkupLineInterpolated(
            $"[green]✓[/] pulled {dataPath} from {result.Remote} ({result.Location}): md5 {result.Md5} verified, {result.Bytes:N0} bytes in {result.Elapsed.TotalSeconds:F1} s");
    }
}
