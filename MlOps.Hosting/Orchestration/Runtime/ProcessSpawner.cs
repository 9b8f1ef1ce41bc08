using System.Collections.Concurrent;
using System.Diagnostics;

namespace MlOps.Hosting.Orchestration.Runtime;

/// <summary>Starts every child process from one long-lived thread. On Linux each child is started through
/// <c>setpriv --pdeathsig</c>; the kernel sends that signal when the *thread* that forked the child exits, and .NET
/// forks on the calling thread, so starting from thread-pool threads (which retire) would kill children at random.
/// Rule: only the spawner thread calls <see cref="Process.Start()"/>.</summary>
internal sealed class ProcessSpawner : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Result)> _requests = new();
    private readonly Thread _thread;

    public ProcessSpawner(string? setprivPath = null, bool? isRoot = null)
    {
        SetprivPath = setprivPath ?? FindSetpriv();
        IsRoot = isRoot ?? (!OperatingSystem.IsWindows() && Environment.UserName == "root");
        _thread = new Thread(Loop) { IsBackground = true, Name = "mlops-process-spawner" };
        _thread.Start();
    }

    /// <summary>The setpriv binary, or null where it does not exist (macOS): children may then outlive a killed AppHost.</summary>
    public string? SetprivPath { get; }

    /// <summary>True when the AppHost runs as root.</summary>
    public bool IsRoot { get; }

    /// <summary>The managed id of the spawner thread (tests check that children do not depend on the caller's thread).</summary>
    public int ThreadId => _thread.ManagedThreadId;

    public Task<Process> StartAsync(ProcessStartInfo info)
    {
        var result = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add((info, result));
        return result.Task;
    }

    /// <summary>The start info for <paramref name="spec"/>: the program itself, or setpriv in front of it.</summary>
    internal static ProcessStartInfo BuildStartInfo(ResourceLaunchSpec spec, string? setprivPath)
    {
        var info = new ProcessStartInfo
        {
            FileName = setprivPath ?? spec.Executable,
            WorkingDirectory = spec.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (setprivPath is not null)
        {
            if (spec.RunAsUser is { } user)
            {
                foreach (var arg in new[] { "--reuid", user, "--regid", user, "--init-groups" })
                {
                    info.ArgumentList.Add(arg);
                }
            }

            info.ArgumentList.Add("--pdeathsig");
            info.ArgumentList.Add(SignalName(spec.DeathSignal));
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(spec.Executable);
        }

        foreach (var arg in spec.Args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    public void Dispose() => _requests.CompleteAdding();

    private static string SignalName(ProcessSignal signal) => signal switch
    {
        ProcessSignal.Interrupt => "INT",
        ProcessSignal.Terminate => "TERM",
        _ => "KILL",
    };

    private static string? FindSetpriv() =>
        OperatingSystem.IsLinux() && File.Exists("/usr/bin/setpriv") ? "/usr/bin/setpriv" : null;

    private void Loop()
    {
        foreach (var (info, result) in _requests.GetConsumingEnumerable())
        {
            try
            {
                var process = new Process { StartInfo = info };
                process.Start();
                result.SetResult(process);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
            {
                result.SetException(e);
            }
        }
    }
}
