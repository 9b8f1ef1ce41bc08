using Parquet;
using Parquet.Schema;

namespace MlOps.Trainer.Data;

/// <summary>Loads every row group of a Parquet file; numbers and booleans become numeric, text stays text, dates become UTC timestamps.</summary>
internal static class ParquetTableReader
{
    public static DataTable Read(string path, CancellationToken ct) =>
        ReadAsync(path, ct).GetAwaiter().GetResult();

    private static async Task<DataTable> ReadAsync(string path, CancellationToken ct)
    {
        var fileName = Path.GetFileName(path);
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(path, null, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ParquetException)
        {
            throw new BadInputException($"{fileName}: not a readable Parquet file ({e.Message}).", e);
        }

        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.GetDataFields();
            CheckFields(fields, fileName);
            var rowCount = TotalRows(reader);
            if (rowCount == 0)
            {
                throw new BadInputException($"{fileName}: has no data rows.");
            }

            var sinks = fields.Select(f => ParquetColumnSink.Create(f, rowCount, fileName)).ToArray();
            var offset = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var count = checked((int)group.RowCount);
                foreach (var sink in sinks)
                {
                    await sink.ReadAsync(group, offset, count, ct).ConfigureAwait(false);
                }

                offset += count;
            }

            return new DataTable([.. sinks.Select(s => s.Build())]);
        }
    }

    private static int TotalRows(ParquetReader reader)
    {
        long total = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            total += group.RowCount;
        }

        return checked((int)total);
    }

    private static void CheckFields(DataField[] fields, string fileName)
    {
        if (fields.Length == 0)
        {
            throw new BadInputException($"{fileName}: has no columns.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (string.IsNullOrWhiteSpace(field.Name))
            {
                throw new BadInputException($"{fileName}: a column has no name.");
            }

            if (!seen.Add(field.Name))
            {
                throw new BadInputException($"{fileName}: column name '{field.Name}' appears more than once.");
            }

            if (field.IsArray || field.MaxRepetitionLevel > 0)
            {
                throw new BadInputException($"{fileName}: column '{field.Path}' is a list; only flat columns are supported.");
            }
        }
    }
}
