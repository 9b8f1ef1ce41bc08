using Sylvan.Data.Csv;

namespace MlOps.Trainer.Data;

/// <summary>
/// Loads a CSV file in two passes: the first infers each column's kind and keeps numbers and timestamps,
/// the second materialises only the text columns (with repeated values shared).
/// </summary>
internal static class CsvTableReader
{
    private const int CancellationCheckMask = 0x3FFF;

    public static DataTable Read(string path, CancellationToken ct)
    {
        var fileName = Path.GetFileName(path);
        var capacity = EstimateRows(path);
        string[] names;
        CsvColumnInference[] columns;
        int rowCount;
        using (var reader = Open(path))
        {
            names = ReadHeader(reader, fileName);
            columns = [.. names.Select(n => new CsvColumnInference(n, capacity))];
            rowCount = FirstPass(reader, columns, fileName, ct);
        }

        if (rowCount == 0)
        {
            throw new BadInputException($"{fileName}: has a header but no data rows.");
        }

        var kinds = columns.Select(c => c.Resolve(fileName)).ToArray();
        var strings = kinds.Contains(ColumnKind.String) ? SecondPass(path, kinds, rowCount, ct) : [];
        var result = new DataColumn[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            result[i] = kinds[i] switch
            {
                ColumnKind.Numeric => columns[i].BuildNumeric(),
                ColumnKind.Timestamp => columns[i].BuildTimestamps(),
                _ => new StringColumn(names[i], strings[i]!),
            };
            columns[i].Release();
        }

        return new DataTable(result);
    }

    private static CsvDataReader Open(string path)
    {
        var options = new CsvDataReaderOptions
        {
            HasHeaders = true,
            Delimiter = ',',
            Quote = '"',
            ResultSetMode = ResultSetMode.SingleResult,
            Culture = System.Globalization.CultureInfo.InvariantCulture,
            MaxBufferSize = 16 * 1024 * 1024,
        };
        return CsvDataReader.Create(path, options);
    }

    private static int EstimateRows(string path)
    {
        var length = new FileInfo(path).Length;
        return (int)Math.Clamp(length / 64, 16, 4_000_000);
    }

    private static string[] ReadHeader(CsvDataReader reader, string fileName)
    {
        if (reader.FieldCount == 0)
        {
            throw new BadInputException($"{fileName}: has no header line.");
        }

        var names = new string[reader.FieldCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetName(i).Trim();
            if (names[i].Length == 0)
            {
                throw new BadInputException($"{fileName}: column {i + 1} of the header has no name.");
            }

            if (!seen.Add(names[i]))
            {
                throw new BadInputException($"{fileName}: column name '{names[i]}' appears more than once in the header.");
            }
        }

        return names;
    }

    private static int FirstPass(CsvDataReader reader, CsvColumnInference[] columns, string fileName, CancellationToken ct)
    {
        var row = 0;
        while (reader.Read())
        {
            row++;
            if ((row & CancellationCheckMask) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            CheckFieldCount(reader, columns.Length, row, fileName);
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i].Observe(reader.GetFieldSpan(i), row);
            }
        }

        return row;
    }

    private static void CheckFieldCount(CsvDataReader reader, int expected, int row, string fileName)
    {
        if (reader.RowFieldCount != expected)
        {
            throw new BadInputException(
                $"{fileName}: line {row + 1} has {reader.RowFieldCount} fields but the header has {expected}.");
        }
    }

    private static string?[]?[] SecondPass(string path, ColumnKind[] kinds, int rowCount, CancellationToken ct)
    {
        var values = new string?[]?[kinds.Length];
        var interners = new StringInterner?[kinds.Length];
        var stringColumns = Enumerable.Range(0, kinds.Length).Where(i => kinds[i] == ColumnKind.String).ToArray();
        foreach (var i in stringColumns)
        {
            values[i] = new string?[rowCount];
            interners[i] = new StringInterner();
        }

        using var reader = Open(path);
        for (var row = 0; row < rowCount && reader.Read(); row++)
        {
            if ((row & CancellationCheckMask) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            foreach (var i in stringColumns)
            {
                var cell = reader.GetFieldSpan(i);
                values[i]![row] = ValueParsing.IsMissing(cell) ? null : interners[i]!.Intern(cell);
            }
        }

        return values;
    }
}
