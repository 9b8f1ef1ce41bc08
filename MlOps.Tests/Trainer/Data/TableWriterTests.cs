using System.Text;
using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Data;

namespace MlOps.Tests.Trainer.Data;

public sealed class TableWriterTests
{
    private static DataTable Sample() => new(
    [
        new NumericColumn("x", [1, 0.1, double.NaN, -2.5e-7]),
        new StringColumn("s", ["plain", "a,b", null, "say \"hi\"\nbye"]),
        new TimestampColumn("t",
        [
            new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            new DateTime(2024, 1, 2, 3, 4, 5, 120, DateTimeKind.Utc),
            null,
            new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc),
        ]),
    ]);

    [Fact]
    public void Write_Csv_ProducesExpectedText()
    {
        using var temp = new TempDirectory();
        var path = temp.File("out.csv");

        TableWriter.Write(Sample(), path);

        var expected =
            "x,s,t\n1,plain,2024-01-02T03:04:05Z\n0.1,\"a,b\",2024-01-02T03:04:05.120Z\n,,\n" +
            "-2.5E-07,\"say \"\"hi\"\"\nbye\",1999-12-31T23:59:59Z\n";
        Assert.Equal(expected, File.ReadAllText(path, Encoding.UTF8));
    }

    [Theory]
    [InlineData("round.csv")]
    [InlineData("round.parquet")]
    public void Write_ThenRead_RoundTripsValues(string name)
    {
        using var temp = new TempDirectory();
        var path = temp.File(name);
        var original = Sample();

        TableWriter.Write(original, path);
        var read = TableReader.Read(path);

        Assert.Equal(["x", "s", "t"], read.Columns.Select(c => c.Name));
        Assert.Equal(((NumericColumn)original["x"]).Values, ((NumericColumn)read["x"]).Values);
        Assert.Equal(((StringColumn)original["s"]).Values, ((StringColumn)read["s"]).Values);
        Assert.Equal(((TimestampColumn)original["t"]).Values, ((TimestampColumn)read["t"]).Values);
    }

    [Fact]
    public void Write_Generated_RoundTripsThroughParquet()
    {
        using var temp = new TempDirectory();
        var path = temp.File("tx.parquet");
        var table = TransactionGenerator.Generate(2_000, 5);

        TableWriter.Write(table, path);
        var read = TableReader.Read(path);

        foreach (var column in table.Columns)
        {
            Assert.Equal(column.Kind, read[column.Name].Kind);
        }

        Assert.Equal(((NumericColumn)table["amount"]).Values, ((NumericColumn)read["amount"]).Values);
        Assert.Equal(((TimestampColumn)table["timestamp"]).Values, ((TimestampColumn)read["timestamp"]).Values);
    }

    [Fact]
    public void Write_OverExistingFile_ReplacesItAndLeavesNoTempFiles()
    {
        using var temp = new TempDirectory();
        var path = temp.File("out.csv");
        File.WriteAllText(path, "old content that is longer than the new one\n");

        TableWriter.Write(new DataTable([new NumericColumn("a", [1])]), path);

        Assert.Equal("a\n1\n", File.ReadAllText(path));
        Assert.Equal(["out.csv"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_GeneratedCsv_ReadsBackSameValues()
    {
        using var temp = new TempDirectory();
        var path = temp.File("tx.csv");
        var table = TransactionGenerator.Generate(3_000, 8);

        TableWriter.Write(table, path);
        var read = TableReader.Read(path);

        foreach (var column in table.Columns)
        {
            Assert.Equal(column.Kind, read[column.Name].Kind);
        }

        Assert.Equal(((NumericColumn)table["avg_amount_30d"]).Values, ((NumericColumn)read["avg_amount_30d"]).Values);
        Assert.Equal(((StringColumn)table["merchant_category"]).Values, ((StringColumn)read["merchant_category"]).Values);
        Assert.Equal(((TimestampColumn)table["timestamp"]).Values, ((TimestampColumn)read["timestamp"]).Values);
    }

    [Fact]
    public void Write_UnknownExtension_ThrowsBadInputAndWritesNothing()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<MlOps.Trainer.BadInputException>(() => TableWriter.Write(Sample(), temp.File("out.json")));

        Assert.Contains("out.json", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Write_CancelledToken_ThrowsAndLeavesNoFile()
    {
        using var temp = new TempDirectory();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => TableWriter.Write(Sample(), temp.File("out.csv"), cts.Token));

        Assert.Empty(Directory.GetFiles(temp.Path));
    }
}
