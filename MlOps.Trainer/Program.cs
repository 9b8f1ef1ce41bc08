using MlOps.Trainer.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C cancels cleanly (no partial output is ever moved into place); a second one kills.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

return await TrainerCli.RunAsync(args, cancellationToken: cancellation.Token);
