using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Trainer.Data;

/// <summary>Writes small CSV inputs for tests.</summary>
internal static class CsvFiles
{
    public static string Write(TempDirectory temp, string text, string name = "data.csv")
    {
        var path = temp.File(name);
        File.WriteAllText(path, text);
        return path;
    }
}
