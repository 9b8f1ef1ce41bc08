using System.Security.Cryptography;
using System.Text.Json;

namespace MlOps.Hosting;

/// <summary>Generated parameter values (the PostgreSQL password), created once and kept in a user-only file so
/// that data made with them stays usable across runs. Values are never logged.</summary>
public sealed class ParameterSecretStore(string path)
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private readonly Lock _gate = new();

    /// <summary>The file the values live in.</summary>
    public string FilePath { get; } = path;

    /// <summary>The stored value of <paramref name="name"/>, creating and saving a random one of
    /// <paramref name="minLength"/> characters the first time.</summary>
    public string GetOrCreate(string name, int minLength)
    {
        lock (_gate)
        {
            var values = Load();
            if (values.TryGetValue(name, out var existing) && !string.IsNullOrEmpty(existing))
            {
                return existing;
            }

            var created = RandomNumberGenerator.GetString(Alphabet, Math.Max(minLength, 16));
            values[name] = created;
            Save(values);
            return created;
        }
    }

    private Dictionary<string, string> Load()
    {
        if (!File.Exists(FilePath))
        {
            return new(StringComparer.Ordinal);
        }

        try
        {
            using var stream = File.OpenRead(FilePath);
            return JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? new(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            // Never overwrite a file we cannot read: the data encrypted or protected with it would be lost.
            throw new DistributedApplicationException($"The secrets file '{FilePath}' is not valid JSON; fix or remove it.");
        }
    }

    private void Save(Dictionary<string, string> values)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temp = FilePath + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, values, new JsonSerializerOptions { WriteIndented = true });
        }

        File.Move(temp, FilePath, overwrite: true);
    }
}
