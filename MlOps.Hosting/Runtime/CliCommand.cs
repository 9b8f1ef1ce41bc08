using System.Diagnostics;

namespace MlOps.Hosting.Runtime;

/// <summary>What a short CLI query printed.</summary>
/// <param name="ExitCode">The exit code; -1 when the command is missing or gave no answer in time.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error, or why the command could not run.</param>
internal sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>Runs a short query (<c>docker version</c>, <c>nvidia-smi -L</c>) with a time limit. Used for the start-up
/// decisions only (mode, GPU); every resource runs under Aspire's orchestrator.</summary>
internal static class CliCommand
{
    public static async Task<CliResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(info)!;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
            var stderr = process.StandardError.ReadToEndAsync(limit.Token);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                return new CliResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return new CliResult(-1, "", $"'{file} {string.Join(' ', info.ArgumentList)}' gave no answer within {timeout.TotalSeconds:0} s");
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new CliResult(-1, "", $"'{file}' is not on PATH");
        }
    }
}
