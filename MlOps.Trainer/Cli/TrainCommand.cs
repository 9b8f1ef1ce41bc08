using System.CommandLine;
using MlOps.Trainer.Devices;
using MlOps.Trainer.Training;

namespace MlOps.Trainer.Cli;

/// <summary><c>train --data FILE --label COLUMN …</c>: train, evaluate, export and verify a model folder.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var o = new TrainingOptions();
        var command = new Command("train", "Train a LightGBM binary classifier and export a verified ONNX model folder to DIR/model/.");
        foreach (var option in o.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) =>
        {
            var request = o.ToRequest(parse);
            return TrainerHost.RunAsync(context, "train", request, o.ToTracking(parse),
                (_, reporter, token) => new TrainingPipeline(request, reporter, new SystemGpuEnvironment()).RunAsync(token), ct);
        });
        return command;
    }
}
