using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Data;

namespace MlOps.Tests.Trainer.Data;

public sealed class TableReaderCsvTests
{
    [Fact]
    public void Read_MixedColumns_InfersKinds()
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, "id,amount,when,category,flag\nA1,1.5,2024-01-02,grocery,true\nA2,-3e2,2024-01-03T04:05:06Z,travel,false\n");

        var table = TableReader.Read(path);

        Assert.Equal(2, table.RowCount);
        Assert.Equal(
            [ColumnKind.String, ColumnKind.Numeric, ColumnKind.Timestamp, ColumnKind.String, ColumnKind.String],
            table.Columns.Select(c => c.Kind));
        Assert.Equal([1.5, -300.0], ((NumericColumn)table["amount"]).Values);
        Assert.Equal((IEnumerable<string?>)["true", "false"], ((StringColumn)table["flag"]).Values);
    }

    [Fact]
    public void Read_MissingTokens_BecomeNaNAndNull()
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, "x,name\n1,NA\n,a\nnull,None\nNaN,\nnone,b\n4,b\n");

        var table = TableReader.Read(path);

        var x = ((NumericColumn)table["x"]).Values;
        Assert.Equal(1.0, x[0]);
        Assert.All(x[1..5], v => Assert.True(double.IsNaN(v)));
        Assert.Equal(4.0, x[5]);
        Assert.Equal((IEnumerable<string?>)[null, "a", null, null, "b", "b"], ((StringColumn)table["name"]).Values);
    }

    [Fact]
    public void Read_RepeatedCategories_ShareOneStringInstance()
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, "c\ngrocery\ntravel\ngrocery\n");

        var values = ((StringColumn)TableReader.Read(path)["c"]).Values;

        Assert.Same(values[0], values[2]);
    }

    [Fact]
    public void Read_QuotedFields_FollowRfc4180()
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, "text,n\n\"a, b\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\n");

        var table = TableReader.Read(path);

        Assert.Equal((IEnumerable<string?>)["a, b", "say \"hi\"", "two\nlines"], ((StringColumn)table["text"]).Values);
        Assert.Equal([1.0, 2.0, 3.0], ((NumericColumn)table["n"]).Values);
    }

    [Theory]
    [InlineData("2024-03-01", "2024-03-01T00:00:00.0000000Z")]
    [InlineData("2024-03-01T10:20:30", "2024-03-01T10:20:30.0000000Z")]
    [InlineData("2024-03-01 10:20:30.125", "2024-03-01T10:20:30.1250000Z")]
    [InlineData("2024-03-01T10:20:30Z", "2024-03-01T10:20:30.0000000Z")]
    [InlineData("2024-03-01T10:20:30+02:00", "2024-03-01T08:20:30.0000000Z")]
    [InlineData("2024-03-01T00:20:30-0130", "2024-03-01T01:50:30.0000000Z")]
    public void Read_IsoTimestamps_StoredAsUtc(string cell, string expectedRoundTrip)
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, $"t\n{cell}\n\n");

        var value = ((TimestampColumn)TableReader.Read(path)["t"]).Values[0];

        Assert.NotNull(value);
        Assert.Equal(DateTimeKind.Utc, value.Value.Kind);
        Assert.Equal(expectedRoundTrip, value.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Read_TimestampColumnWithLeadingMissing_KeepsRowsAligned()
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, "t,n\n,1\nNA,2\n2024-05-06,3\n");

        var values = ((TimestampColumn)TableReader.Read(path)["t"]).Values;

        Assert.Equal([null, null, new DateTime(2024, 5, 6, 0, 0, 0, DateTimeKind.Utc)], values);
    }

    [Fact]
    public void Read_InvalidDate_FallsBackToString()
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, "t\n2024-02-30\n2024-02-28\n");

        Assert.Equal(ColumnKind.String, TableReader.Read(path)["t"].Kind);
    }

    [Fact]
    public void Read_MostlyTextColumnWithSomeNumbers_IsString()
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, "code\n12\nabc\ndef\n7\n");

        var values = ((StringColumn)TableReader.Read(path)["code"]).Values;

        Assert.Equal((IEnumerable<string?>)["12", "abc", "def", "7"], values);
    }

    [Fact]
    public void Read_UppercaseExtension_IsAccepted()
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, "a\n1\n", "DATA.CSV");

        Assert.Equal(1, TableReader.Read(path).RowCount);
    }

    [Fact]
    public void Read_BlankLinesAndHashCells_SkipsBlanksKeepsHashes()
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, "tag,n\n#first,1\n\n#second,2\n\n\n");

        var table = TableReader.Read(path);

        Assert.Equal((IEnumerable<string?>)["#first", "#second"], ((StringColumn)table["tag"]).Values);
        Assert.Equal([1.0, 2.0], ((NumericColumn)table["n"]).Values);
    }

    [Fact]
    public void Read_TextAfterTimestampLikeValues_KeepsLeadingRowsAsText()
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, "v\n\n2024-01-01\nlater\n2024-01-02 10:00:00\n");

        var values = ((StringColumn)TableReader.Read(path)["v"]).Values;

        Assert.Equal((IEnumerable<string?>)["2024-01-01", "later", "2024-01-02 10:00:00"], values);
    }

    [Fact]
    public void Read_LeadingMissingThenText_RowsStayAligned()
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, "v,n\nNA,1\n5,2\nx,3\ny,4\nz,5\n");

        var table = TableReader.Read(path);

        Assert.Equal((IEnumerable<string?>)[null, "5", "x", "y", "z"], ((StringColumn)table["v"]).Values);
        Assert.Equal([1.0, 2.0, 3.0, 4.0, 5.0], ((NumericColumn)table["n"]).Values);
    }
}
