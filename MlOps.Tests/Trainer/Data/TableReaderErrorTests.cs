using System.Text;
using MlOps.Tests.Infrastructure;
using MlOps.Trainer;
using MlOps.Trainer.Data;

namespace MlOps.Tests.Trainer.Data;

public sealed class TableReaderErrorTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("a,b\n", "no data rows")]
    [InlineData("a,b\n1,2\n3\n", "line 3")]
    [InlineData("a,b\n1,2\n3,4,5\n", "line 3")]
    [InlineData("a,a\n1,2\n", "'a' appears more than once")]
    [InlineData("a,,c\n1,2,3\n", "column 2")]
    [InlineData("a,b\n\"unterminated,1\ny,2\n", "malformed CSV")]
    [InlineData("a,b\n\"x\"y,1\n", "malformed CSV")]
    [InlineData("\n\na,b\n1,2\n", "no header")]
    public void Read_MalformedCsv_ThrowsBadInputNamingFile(string text, string expected)
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, text, "input.csv");

        var error = Assert.Throws<BadInputException>(() => TableReader.Read(path));

        Assert.StartsWith("input.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TextInMostlyNumericColumn_NamesColumnRowAndValue()
    {
        using var temp = new TempDirectory();
        var text = new StringBuilder("id,amount\n");
        for (var i = 1; i <= 30; i++)
        {
            text.Append(i).Append(',').Append(i == 17 ? "abc" : "1.5").Append('\n');
        }

        var path = CsvFiles.Write(temp, text.ToString());

        var error = Assert.Throws<BadInputException>(() => TableReader.Read(path));

        Assert.Equal("data.csv: column 'amount' row 17: 'abc' is not a number.", error.Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsBadInput()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<BadInputException>(() => TableReader.Read(temp.File("nope.csv")));

        Assert.Contains("nope.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownExtension_ThrowsBadInput()
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, "a\n1\n", "data.txt");

        var error = Assert.Throws<BadInputException>(() => TableReader.Read(path));

        Assert.Contains(".txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CorruptParquet_ThrowsBadInput()
    {
        using var temp = new TempDirectory();
        var path = CsvFiles.Write(temp, "this is not parquet", "data.parquet");

        var error = Assert.Throws<BadInputException>(() => TableReader.Read(path));

        Assert.StartsWith("data.parquet", error.Message, StringComparison.Ordinal);
    }
}
