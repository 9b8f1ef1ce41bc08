using System.Buffers;
using System.Globalization;
using System.Text;

namespace MlOps.Trainer.Data;

/// <summary>CSV output: header line, LF endings, shortest round-trip numbers, NaN and null as empty cells, ISO-8601 UTC timestamps.</summary>
internal static class CsvTableWriter
{
    private static readonly SearchValues<char> s_needsQuoting = SearchValues.Create(",\"\r\n");

    public static void Write(DataTable table, Stream stream, CancellationToken ct)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        WriteRow(writer, table.Columns.Select(c => c.Name).ToArray());
        Span<char> buffer = stackalloc char[64];
        for (var row = 0; row < table.RowCount; row++)
        {
            if ((row & 0x3FFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            for (var c = 0; c < table.Columns.Count; c++)
            {
                if (c > 0)
                {
                    writer.Write(',');
                }

                WriteCell(writer, table.Columns[c], row, buffer);
            }

            writer.Write('\n');
        }
    }

    private static void WriteRow(StreamWriter writer, string[] cells)
    {
        for (var c = 0; c < cells.Length; c++)
        {
            if (c > 0)
            {
                writer.Write(',');
            }

            WriteText(writer, cells[c]);
        }

        writer.Write('\n');
    }

    private static void WriteCell(StreamWriter writer, DataColumn column, int row, Span<char> buffer)
    {
        switch (column)
        {
            case NumericColumn numeric:
                var value = numeric.Values[row];
                if (!double.IsNaN(value) && value.TryFormat(buffer, out var written, "R", CultureInfo.InvariantCulture))
                {
                    writer.Write(buffer[..written]);
                }

                break;
            case StringColumn text:
                WriteText(writer, text.Values[row]);
                break;
            case TimestampColumn time when time.Values[row] is { } utc:
                var utcValue = ToUtc(utc);
                if (utcValue.TryFormat(buffer, out var length, TimestampFormat(utcValue), CultureInfo.InvariantCulture))
                {
                    writer.Write(buffer[..length]);
                }
                break;
            default:
                break;
        }
    }

    private static void WriteText(StreamWriter writer, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.AsSpan().ContainsAny(s_needsQuoting))
        {
            writer.Write('"');
            writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
            writer.Write('"');
        }
        else
        {
            writer.Write(value);
        }
    }

    public static string FormatTimestamp(DateTime value)
    {
        var utc = ToUtc(value);
        return utc.ToString(TimestampFormat(utc), CultureInfo.InvariantCulture);
    }

    private static DateTime ToUtc(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;

    private static string TimestampFormat(DateTime utc) => (utc.Ticks % TimeSpan.TicksPerSecond) switch
    {
        0 => "yyyy-MM-dd'T'HH:mm:ss'Z'",
        var t when t % TimeSpan.TicksPerMillisecond == 0 => "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
        _ => "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'",
    };
}
