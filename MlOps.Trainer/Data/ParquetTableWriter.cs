using Parquet;
using Parquet.Schema;

namespace MlOps.Trainer.Data;

/// <summary>Parquet output: doubles (NaN kept), nullable strings, nullable UTC timestamps, in row groups of up to a million rows.</summary>
internal static class ParquetTableWriter
{
    private const int RowGroupSize = 1 << 20;

    public static void Write(DataTable table, Stream stream, CancellationToken ct) =>
        WriteAsync(table, stream, ct).GetAwaiter().GetResult();

    private static async Task WriteAsync(DataTable table, Stream stream, CancellationToken ct)
    {
        var fields = table.Columns.Select(ToField).ToArray();
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, null, false, ct).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            for (var start = 0; start < Math.Max(table.RowCount, 1); start += RowGroupSize)
            {
                var count = Math.Min(RowGroupSize, table.RowCount - start);
                using var group = writer.CreateRowGroup();
                for (var c = 0; c < fields.Length; c++)
                {
                    await WriteColumnAsync(group, fields[c], table.Columns[c], start, count, ct).ConfigureAwait(false);
                }
            }
        }
    }

    private static DataField ToField(DataColumn column) => column.Kind switch
    {
        ColumnKind.Numeric => new DataField<double>(column.Name, false),
        ColumnKind.String => new DataField<string>(column.Name, true),
        _ => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Micros, true),
    };

    private static async Task WriteColumnAsync(
        ParquetRowGroupWriter group, DataField field, DataColumn column, int start, int count, CancellationToken ct)
    {
        switch (column)
        {
            case NumericColumn numeric:
                await group.WriteAsync<double>(field, numeric.Values.AsMemory(start, count), null, null, ct).ConfigureAwait(false);
                break;
            case StringColumn text:
                await group.WriteAsync(field, new ArraySegment<string>(text.Values!, start, count), null).ConfigureAwait(false);
                break;
            case TimestampColumn time:
                await group.WriteAsync<DateTime>(field, time.Values.AsMemory(start, count), null, null, ct).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"Unknown column type {column.GetType().Name}.");
        }
    }
}
