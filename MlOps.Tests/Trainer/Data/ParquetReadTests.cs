using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Data;
using Parquet;
using Parquet.Schema;

namespace MlOps.Tests.Trainer.Data;

public sealed class ParquetReadTests
{
    private static readonly DateTime s_t0 = new(2024, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    [Fact]
    public async Task Read_TypedParquet_MapsTypesAcrossRowGroups()
    {
        using var temp = new TempDirectory();
        var path = temp.File("typed.parquet");
        await WriteTypedFileAsync(path).DefaultTimeout();

        var table = TableReader.Read(path);

        Assert.Equal(4, table.RowCount);
        Assert.Equal([1.0, double.NaN, 3.0, 4.0], ((NumericColumn)table["i"]).Values);
        Assert.Equal([10.0, 20.0, 30.0, 40.0], ((NumericColumn)table["l"]).Values);
        Assert.Equal([0.5, 1.5, 2.5, 3.5], ((NumericColumn)table["f"]).Values);
        Assert.Equal([1.0, 0.0, 1.0, 0.0], ((NumericColumn)table["b"]).Values);
        Assert.Equal([1.25, 2.5, 3.75, 5.0], ((NumericColumn)table["d"]).Values);
        var strings = ((StringColumn)table["s"]).Values;
        Assert.Equal((IEnumerable<string?>)["x", null, "y", "x"], strings);
        Assert.Same(strings[0], strings[3]);
        var times = ((TimestampColumn)table["t"]).Values;
        Assert.Equal(s_t0, times[0]);
        Assert.Null(times[1]);
        Assert.Equal(s_t0.AddDays(3), times[3]);
        Assert.All(times.OfType<DateTime>(), t => Assert.Equal(DateTimeKind.Utc, t.Kind));
    }

    private static async Task WriteTypedFileAsync(string path)
    {
        var fields = new DataField[]
        {
            new DataField<int?>("i"), new DataField<long>("l"), new DataField<float>("f"), new DataField<bool>("b"),
            new DecimalDataField("d", 10, 2), new DataField<string>("s", true),
            new DateTimeDataField("t", DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Millis, true),
        };
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        await WriteGroupAsync(writer, fields, [1, null], [10, 20], [0.5f, 1.5f], [true, false], [1.25m, 2.5m], ["x", null], [s_t0, null]);
        await WriteGroupAsync(writer, fields, [3, 4], [30, 40], [2.5f, 3.5f], [true, false], [3.75m, 5m], ["y", "x"], [s_t0.AddDays(2), s_t0.AddDays(3)]);
    }

    private static async Task WriteGroupAsync(
        ParquetWriter writer, DataField[] f, int?[] i, long[] l, float[] fl, bool[] b, decimal[] d, string?[] s, DateTime?[] t)
    {
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<int>(f[0], i.AsMemory(), null, null, default);
        await group.WriteAsync<long>(f[1], l.AsMemory(), null, null, default);
        await group.WriteAsync<float>(f[2], fl.AsMemory(), null, null, default);
        await group.WriteAsync<bool>(f[3], b.AsMemory(), null, null, default);
        await group.WriteAsync<decimal>(f[4], d.AsMemory(), null, null, default);
        await group.WriteAsync(f[5], s!, null);
        await group.WriteAsync<DateTime>(f[6], t.AsMemory(), null, null, default);
    }
}
