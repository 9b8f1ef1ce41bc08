using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MlOps.Trainer.LightGbm;

/// <summary>
/// Routes LightGBM's own log (<c>[LightGBM] [Warning] …</c>, normally printed straight to stdout) into an
/// <see cref="ILogger"/>. LightGBM keeps its log callback per thread, so every wrapper call into the library first
/// makes sure the calling thread has it (<see cref="EnsureRouted"/>). The logger is an async-local, so concurrent
/// trainings in one process (tests) each hear their own. Messages logged by LightGBM's OpenMP worker threads still
/// bypass the callback: the trainer avoids what makes them (negative category codes).
/// </summary>
internal static unsafe class LightGbmLog
{
    private static readonly AsyncLocal<ILogger?> s_logger = new();

    [ThreadStatic]
    private static bool t_routed;

    [ThreadStatic]
    private static StringBuilder? t_line;

    /// <summary>Sends LightGBM's messages to <paramref name="logger"/> until the result is disposed.</summary>
    public static IDisposable RouteTo(ILogger logger)
    {
        var previous = s_logger.Value;
        s_logger.Value = logger;
        return new Restore(previous);
    }

    /// <summary>Registers the callback on the calling thread (once per thread).</summary>
    public static void EnsureRouted()
    {
        if (t_routed)
        {
            return;
        }

        t_routed = true;
        _ = NativeMethods.RegisterLogCallback(&OnMessage);
    }

    // LightGBM writes one message in pieces: "[LightGBM] [Warning] ", the text, then "\n".
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnMessage(byte* message)
    {
        try
        {
            var text = Marshal.PtrToStringUTF8((nint)message) ?? string.Empty;
            var line = t_line ??= new StringBuilder();
            line.Append(text);
            if (!text.EndsWith('\n'))
            {
                return;
            }

            var complete = line.ToString().TrimEnd();
            line.Clear();
            Write(complete);
        }
        catch (Exception)
        {
            // Nothing may escape into native code; a lost log line is the lesser harm.
        }
    }

    private static void Write(string line)
    {
        var logger = s_logger.Value;
        if (logger is null || line.Length == 0)
        {
            return;
        }

        var (level, text) = Parse(line);
        logger.Log(level, "LightGBM: {Message}", text);
    }

    /// <summary>"[LightGBM] [Warning] text" → (level, text). Chatty warnings about splits are debug detail.</summary>
    internal static (LogLevel Level, string Text) Parse(string line)
    {
        const string prefix = "[LightGBM] [";
        var end = line.StartsWith(prefix, StringComparison.Ordinal) ? line.IndexOf(']', prefix.Length) : -1;
        if (end < 0)
        {
            return (LogLevel.Information, line);
        }

        var tag = line[prefix.Length..end];
        var text = line[(end + 1)..].Trim();
        var level = tag switch
        {
            "Fatal" => LogLevel.Error,
            "Warning" when text.StartsWith("No further splits", StringComparison.Ordinal) => LogLevel.Debug,
            "Warning" => LogLevel.Warning,
            "Info" => LogLevel.Debug,
            _ => LogLevel.Trace,
        };
        return (level, text);
    }

    private sealed class Restore(ILogger? previous) : IDisposable
    {
        public void Dispose() => s_logger.Value = previous;
    }
}
