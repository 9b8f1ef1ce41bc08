namespace MlOps.Trainer.Data;

/// <summary>The kind of values a column holds, as loaded from CSV or Parquet.</summary>
public enum ColumnKind
{
    /// <summary>Numbers (integers, decimals, booleans as 0/1); missing values are <see cref="double.NaN"/>.</summary>
    Numeric,

    /// <summary>Text; missing values are <c>null</c>.</summary>
    String,

    /// <summary>Points in time (ISO-8601 in CSV, timestamp/date types in Parquet); missing values are <c>null</c>.</summary>
    Timestamp,
}

/// <summary>One named column of a <see cref="DataTable"/>.</summary>
public abstract class DataColumn(string name)
{
    public string Name { get; } = name;

    public abstract ColumnKind Kind { get; }

    public abstract int Length { get; }
}

/// <summary>A numeric column. Missing values are NaN.</summary>
public sealed class NumericColumn(string name, double[] values) : DataColumn(name)
{
    public double[] Values { get; } = values;

    public override ColumnKind Kind => ColumnKind.Numeric;

    public override int Length => Values.Length;
}

/// <summary>A text column. Missing values are null (an empty CSV cell is missing).</summary>
public sealed class StringColumn(string name, string?[] values) : DataColumn(name)
{
    public string?[] Values { get; } = values;

    public override ColumnKind Kind => ColumnKind.String;

    public override int Length => Values.Length;
}

/// <summary>A timestamp column, values in UTC. Missing values are null.</summary>
public sealed class TimestampColumn(string name, DateTime?[] values) : DataColumn(name)
{
    public DateTime?[] Values { get; } = values;

    public override ColumnKind Kind => ColumnKind.Timestamp;

    public override int Length => Values.Length;
}

/// <summary>A column-oriented in-memory table. All columns have the same length.</summary>
public sealed class DataTable
{
    private readonly Dictionary<string, DataColumn> _byName;

    public DataTable(IReadOnlyList<DataColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns;
        RowCount = columns.Count == 0 ? 0 : columns[0].Length;
        _byName = new Dictionary<string, DataColumn>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (column.Length != RowCount)
            {
                throw new ArgumentException($"Column '{column.Name}' has {column.Length} rows, expected {RowCount}.", nameof(columns));
            }

            if (!_byName.TryAdd(column.Name, column))
            {
                throw new ArgumentException($"Column '{column.Name}' appears more than once.", nameof(columns));
            }
        }
    }

    public IReadOnlyList<DataColumn> Columns { get; }

    public int RowCount { get; }

    public DataColumn this[string name] =>
        _byName.TryGetValue(name, out var column) ? column : throw new KeyNotFoundException($"No column named '{name}'.");

    public bool TryGetColumn(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DataColumn? column) =>
        _byName.TryGetValue(name, out column);
}
