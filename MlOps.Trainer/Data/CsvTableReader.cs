using Sylvan.Data.Csv;

namespace MlOps.Trainer.Data;

/// <summary>
/// Loads a CSV file in one pass that infers each column's kind while keeping numbers, timestamps and (interned) text;
/// a partial second read fills in the leading rows of text columns that looked numeric or like timestamps at first.
/// </summary>
internal static class CsvTableReader
{
    private const int CancellationCheckMask = 0x3FFF;

    public static DataTable Read(string path, CancellationToken ct)
    {
        var fileName = Path.GetFileName(path);
        try
        {
            return ReadValidated(path, fileName, ct);
        }
        catch (CsvFormatException e)
        {
            throw new BadInputException($"{fileName}: malformed CSV at record {e.RowNumber} ({e.Message.TrimEnd('.')}).", e);
        }
    }

    private static DataTable ReadValidated(string path, string fileName, CancellationToken ct)
    {
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
        Backfill(path, columns, kinds, ct);
        var result = new DataColumn[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            result[i] = kinds[i] switch
            {
                ColumnKind.Numeric => columns[i].BuildNumeric(),
                ColumnKind.Timestamp => columns[i].BuildTimestamps(),
                _ => columns[i].BuildStrings(),
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
            Comment = '\0',
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
        if (reader.FieldCount == 0 || (reader.FieldCount == 1 && reader.GetName(0).Trim().Length == 0))
        {
            throw new BadInputException($"{fileName}: has no header line (the first line is empty).");
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
        var line = 1;
        while (reader.Read())
        {
            line++;
            if (IsBlankLine(reader))
            {
                continue;
            }

            row++;
            if ((row & CancellationCheckMask) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            CheckFieldCount(reader, columns.Length, line, fileName);
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i].Observe(reader.GetFieldSpan(i), row);
            }
        }

        return row;
    }

    /// <summary>Blank lines are skipped, as pandas and most CSV tools do.</summary>
    private static bool IsBlankLine(CsvDataReader reader) =>
        reader.RowFieldCount <= 1 && reader.GetFieldSpan(0).IsEmpty;

    private static void CheckFieldCount(CsvDataReader reader, int expected, int line, string fileName)
    {
        if (reader.RowFieldCount != expected)
        {
            throw new BadInputException(
                $"{fileName}: line {line} has {reader.RowFieldCount} fields but the header has {expected}.");
        }
    }

    /// <summary>Reads again the leading rows of text columns that looked numeric or like timestamps at first.</summary>
    private static void Backfill(string path, CsvColumnInference[] columns, ColumnKind[] kinds, CancellationToken ct)
    {
        var pending = Enumerable.Range(0, columns.Length)
            .Where(i => kinds[i] == ColumnKind.String && columns[i].StringStart > 0).ToArray();
        if (pending.Length == 0)
        {
            return;
        }

        var rows = pending.Max(i => columns[i].StringStart);
        using var reader = Open(path);
        var row = 0;
        while (row < rows && reader.Read())
        {
            if (IsBlankLine(reader))
            {
                continue;
            }

            if ((row & CancellationCheckMask) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            foreach (var i in pending)
            {
                columns[i].Backfill(row, reader.GetFieldSpan(i));
            }

            row++;
        }
    }
}
