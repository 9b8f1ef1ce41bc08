using Parquet;
using Parquet.Schema;

namespace MlOps.Trainer.Data;

/// <summary>Collects one Parquet column across row groups into a <see cref="DataColumn"/>.</summary>
internal abstract class ParquetColumnSink(DataField field)
{
    protected DataField Field { get; } = field;

    public abstract Task ReadAsync(ParquetRowGroupReader group, int offset, int count, CancellationToken ct);

    public abstract DataColumn Build();

    public static ParquetColumnSink Create(DataField field, int rowCount, string fileName)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        return type switch
        {
            _ when type == typeof(double) => new NumericSink<double>(field, rowCount, v => v),
            _ when type == typeof(float) => new NumericSink<float>(field, rowCount, v => v),
            _ when type == typeof(int) => new NumericSink<int>(field, rowCount, v => v),
            _ when type == typeof(long) => new NumericSink<long>(field, rowCount, v => v),
            _ when type == typeof(short) => new NumericSink<short>(field, rowCount, v => v),
            _ when type == typeof(byte) => new NumericSink<byte>(field, rowCount, v => v),
            _ when type == typeof(sbyte) => new NumericSink<sbyte>(field, rowCount, v => v),
            _ when type == typeof(ushort) => new NumericSink<ushort>(field, rowCount, v => v),
            _ when type == typeof(uint) => new NumericSink<uint>(field, rowCount, v => v),
            _ when type == typeof(ulong) => new NumericSink<ulong>(field, rowCount, v => v),
            _ when type == typeof(decimal) => new NumericSink<decimal>(field, rowCount, v => (double)v),
            _ when type == typeof(bool) => new NumericSink<bool>(field, rowCount, v => v ? 1 : 0),
            _ when type == typeof(DateTime) => new TimestampSink<DateTime>(field, rowCount, ToUtc),
            _ when type == typeof(DateTimeOffset) => new TimestampSink<DateTimeOffset>(field, rowCount, v => v.UtcDateTime),
            _ when type == typeof(DateOnly) => new TimestampSink<DateOnly>(field, rowCount, v => v.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)),
            _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => new StringSink(field, rowCount),
            _ => throw new BadInputException($"{fileName}: column '{field.Name}' has unsupported type {type.Name}."),
        };
    }

    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };

    private sealed class NumericSink<T>(DataField field, int rowCount, Func<T, double> convert) : ParquetColumnSink(field)
        where T : struct
    {
        private readonly double[] _values = new double[rowCount];

        public override async Task ReadAsync(ParquetRowGroupReader group, int offset, int count, CancellationToken ct)
        {
            if (!Field.IsNullable)
            {
                await ReadRequiredAsync(group, offset, count, ct).ConfigureAwait(false);
                return;
            }

            var buffer = new T?[count];
            await group.ReadAsync<T>(Field, buffer.AsMemory(), null, ct).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                _values[offset + i] = buffer[i] is { } v ? convert(v) : double.NaN;
            }
        }

        private async Task ReadRequiredAsync(ParquetRowGroupReader group, int offset, int count, CancellationToken ct)
        {
            if (_values is T[] same)
            {
                await group.ReadAsync<T>(Field, same.AsMemory(offset, count), null, ct).ConfigureAwait(false);
                return;
            }

            var buffer = new T[count];
            await group.ReadAsync<T>(Field, buffer.AsMemory(), null, ct).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                _values[offset + i] = convert(buffer[i]);
            }
        }

        public override DataColumn Build() => new NumericColumn(Field.Name, _values);
    }

    private sealed class TimestampSink<T>(DataField field, int rowCount, Func<T, DateTime> convert) : ParquetColumnSink(field)
        where T : struct
    {
        private readonly DateTime?[] _values = new DateTime?[rowCount];

        public override async Task ReadAsync(ParquetRowGroupReader group, int offset, int count, CancellationToken ct)
        {
            var buffer = new T?[count];
            await group.ReadAsync<T>(Field, buffer.AsMemory(), null, ct).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                _values[offset + i] = buffer[i] is { } v ? convert(v) : null;
            }
        }

        public override DataColumn Build() => new TimestampColumn(Field.Name, _values);
    }

    private sealed class StringSink(DataField field, int rowCount) : ParquetColumnSink(field)
    {
        private readonly string?[] _values = new string?[rowCount];
        private readonly StringInterner _interner = new();

        public override async Task ReadAsync(ParquetRowGroupReader group, int offset, int count, CancellationToken ct)
        {
            var memory = _values.AsMemory(offset, count);
            await group.ReadAsync(Field, memory!, null, ct).ConfigureAwait(false);
            for (var i = offset; i < offset + count; i++)
            {
                // Share one instance per category so a million rows of a dozen values keep a dozen strings alive.
                _values[i] = _values[i] is { } value ? _interner.Intern(value) : null;
            }
        }

        public override DataColumn Build() => new StringColumn(Field.Name, _values);
    }
}
