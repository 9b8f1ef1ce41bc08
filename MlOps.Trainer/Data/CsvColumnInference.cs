namespace MlOps.Trainer.Data;

/// <summary>
/// First-pass state of one CSV column: counts what parses as a number or timestamp and keeps the parsed values
/// while the column can still be numeric or a timestamp, so only text columns need a second pass.
/// </summary>
internal sealed class CsvColumnInference(string name, int capacity)
{
    private List<double>? _numbers = new(Math.Min(capacity, 1 << 16));
    private List<DateTime?>? _timestamps;
    private bool _couldBeTimestamp = true;
    private int _rows;

    public string Name { get; } = name;

    public int NonMissing { get; private set; }

    public int NumericCount { get; private set; }

    public int NonNumericCount { get; private set; }

    public int FirstNonNumericRow { get; private set; }

    public string? FirstNonNumericValue { get; private set; }

    public void Observe(ReadOnlySpan<char> cell, int row)
    {
        _rows++;
        if (ValueParsing.IsMissing(cell))
        {
            _numbers?.Add(double.NaN);
            _timestamps?.Add(null);
            return;
        }

        NonMissing++;
        if (ValueParsing.TryParseNumber(cell, out var number))
        {
            NumericCount++;
            _numbers?.Add(number);
            _couldBeTimestamp = false;
            _timestamps = null;
            return;
        }

        NonNumericCount++;
        if (FirstNonNumericValue is null)
        {
            FirstNonNumericRow = row;
            FirstNonNumericValue = cell.ToString();
        }

        _numbers = null;
        ObserveTimestamp(cell);
    }

    private void ObserveTimestamp(ReadOnlySpan<char> cell)
    {
        if (!_couldBeTimestamp)
        {
            return;
        }

        if (ValueParsing.TryParseTimestamp(cell, out var utc))
        {
            // Every earlier cell was missing (a number would have ruled timestamps out), so pad with nulls.
            _timestamps ??= [.. new DateTime?[_rows - 1]];
            _timestamps.Add(utc);
        }
        else
        {
            _couldBeTimestamp = false;
            _timestamps = null;
        }
    }

    /// <summary>The kind this column resolves to; throws when a mostly numeric column holds some text.</summary>
    public ColumnKind Resolve(string fileName)
    {
        if (NonNumericCount == 0)
        {
            return ColumnKind.Numeric;
        }

        if (_couldBeTimestamp)
        {
            return ColumnKind.Timestamp;
        }

        if (NumericCount >= 0.9 * NonMissing)
        {
            throw new BadInputException(
                $"{fileName}: column '{Name}' row {FirstNonNumericRow}: '{FirstNonNumericValue}' is not a number.");
        }

        return ColumnKind.String;
    }

    public DataColumn BuildNumeric() => new NumericColumn(Name, (_numbers ?? []).ToArray());

    public DataColumn BuildTimestamps() => new TimestampColumn(Name, (_timestamps ?? []).ToArray());

    public void Release()
    {
        _numbers = null;
        _timestamps = null;
    }
}
