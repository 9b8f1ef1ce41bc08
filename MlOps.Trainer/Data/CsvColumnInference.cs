namespace MlOps.Trainer.Data;

/// <summary>
/// The state of one CSV column while the file is read. It keeps parsed numbers while the column can still be numeric,
/// timestamps while it can still be a timestamp, and, once neither is possible, the (interned) text from that row on;
/// only the rows before that point need a second read (<see cref="StringStart"/>).
/// </summary>
internal sealed class CsvColumnInference(string name, int capacity)
{
    private List<double>? _numbers = new(Math.Min(capacity, 1 << 16));
    private List<DateTime?>? _timestamps;
    private bool _couldBeTimestamp = true;
    private List<string?>? _strings;
    private string?[]? _prefix;
    private readonly StringInterner _interner = new();
    private int _rows;

    public string Name { get; } = name;

    public int NonMissing { get; private set; }

    public int NumericCount { get; private set; }

    public int NonNumericCount { get; private set; }

    public int FirstNonNumericRow { get; private set; }

    public string? FirstNonNumericValue { get; private set; }

    /// <summary>How many leading rows hold no captured text (they must be read again for a text column).</summary>
    public int StringStart { get; private set; }

    public void Observe(ReadOnlySpan<char> cell, int row)
    {
        _rows++;
        if (ValueParsing.IsMissing(cell))
        {
            _numbers?.Add(double.NaN);
            _timestamps?.Add(null);
            _strings?.Add(null);
            return;
        }

        NonMissing++;
        var isNumber = ValueParsing.TryParseNumber(cell, out var number);
        if (isNumber)
        {
            NumericCount++;
            _numbers?.Add(number);
        }
        else
        {
            RecordNonNumeric(cell, row);
        }

        ObserveTimestamp(cell, isNumber);
        ObserveString(cell);
    }

    private void RecordNonNumeric(ReadOnlySpan<char> cell, int row)
    {
        NonNumericCount++;
        _numbers = null;
        if (FirstNonNumericValue is null)
        {
            FirstNonNumericRow = row;
            FirstNonNumericValue = cell.ToString();
        }
    }

    private void ObserveTimestamp(ReadOnlySpan<char> cell, bool isNumber)
    {
        if (!_couldBeTimestamp)
        {
            return;
        }

        if (!isNumber && ValueParsing.TryParseTimestamp(cell, out var utc))
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

    private void ObserveString(ReadOnlySpan<char> cell)
    {
        if (_strings is null && _numbers is null && !_couldBeTimestamp)
        {
            StringStart = _rows - 1;
            _strings = [];
        }

        _strings?.Add(_interner.Intern(cell));
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

        _prefix = new string?[StringStart];
        return ColumnKind.String;
    }

    /// <summary>Sets the text of a row read before the column was known to hold text (second read).</summary>
    public void Backfill(int rowIndex, ReadOnlySpan<char> cell)
    {
        if (rowIndex < StringStart)
        {
            _prefix![rowIndex] = ValueParsing.IsMissing(cell) ? null : _interner.Intern(cell);
        }
    }

    public DataColumn BuildNumeric() => new NumericColumn(Name, (_numbers ?? []).ToArray());

    public DataColumn BuildTimestamps() => new TimestampColumn(Name, (_timestamps ?? []).ToArray());

    public DataColumn BuildStrings()
    {
        var values = new string?[_rows];
        _prefix?.CopyTo(values, 0);
        _strings?.CopyTo(values, StringStart);
        return new StringColumn(Name, values);
    }

    public void Release()
    {
        _numbers = null;
        _timestamps = null;
        _strings = null;
        _prefix = null;
    }
}
