namespace MlOps.Trainer.Data;

/// <summary>Loads a CSV or Parquet file (chosen by extension) into a <see cref="DataTable"/>.</summary>
public static class TableReader
{
    public static DataTable Read(string path, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ct.ThrowIfCancellationRequested();
        var fileName = Path.GetFileName(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".csv" or ".parquet"))
        {
            throw new BadInputException($"{fileName}: unsupported file type '{extension}'; use a .csv or .parquet file.");
        }

        if (!File.Exists(path))
        {
            throw new BadInputException($"{path}: file not found.");
        }

        if (new FileInfo(path).Length == 0)
        {
            throw new BadInputException($"{fileName}: the file is empty.");
        }

        try
        {
            return extension == ".csv" ? CsvTableReader.Read(path, ct) : ParquetTableReader.Read(path, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{fileName}: cannot be read ({e.Message.TrimEnd('.')}).", e);
        }
    }
}
