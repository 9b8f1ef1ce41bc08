namespace MlOps.Trainer.Data;

/// <summary>Writes a <see cref="DataTable"/> as CSV or Parquet (chosen by extension), atomically.</summary>
public static class TableWriter
{
    public static void Write(DataTable table, string path, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ct.ThrowIfCancellationRequested();
        var extension = Path.GetExtension(path).ToLowerInvariant();
        Action<Stream> write = extension switch
        {
            ".csv" => stream => CsvTableWriter.Write(table, stream, ct),
            ".parquet" => stream => ParquetTableWriter.Write(table, stream, ct),
            _ => throw new BadInputException($"{Path.GetFileName(path)}: unsupported file type '{extension}'; use .csv or .parquet."),
        };
        AtomicFile.Write(path, write);
    }
}
