using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Publishing;

/// <summary>Writes an Aspire 8 manifest (<c>aspire-manifest.json</c>, schema <see cref="SchemaUrl"/>): every resource in
/// declaration order with its image or project, arguments, environment and bindings as manifest expressions.
/// Run-time-only annotations (waits, health checks, explicit start, <c>docker run</c> arguments, local stand-ins) are left out.</summary>
public sealed class ManifestPublisher(ILogger<ManifestPublisher>? logger = null) : IDistributedApplicationPublisher
{
    /// <summary>The schema the manifest declares.</summary>
    public const string SchemaUrl = "https://json.schemastore.org/aspire-8.0.json";

    /// <summary>The file name used when the output path is a folder.</summary>
    public const string DefaultFileName = "aspire-manifest.json";

    private readonly ILogger _logger = logger ?? NullLogger<ManifestPublisher>.Instance;

    /// <inheritdoc />
    public async Task PublishAsync(DistributedApplicationModel model, string outputPath, CancellationToken cancellationToken)
    {
        var path = PublishingOutput.ResolveFile(outputPath, DefaultFileName, ".json");
        var text = await GenerateAsync(model, Path.GetDirectoryName(path)!, cancellationToken).ConfigureAwait(false);
        await PublishingOutput.WriteAtomicallyAsync(path, text, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Published manifest to: {Path}", path);
    }

    /// <summary>The manifest text (2-space indented JSON with a trailing newline); paths are made relative to
    /// <paramref name="manifestDirectory"/>.</summary>
    public static async Task<string> GenerateAsync(DistributedApplicationModel model, string manifestDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var stream = new MemoryStream();
        var options = new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        await using (var writer = new Utf8JsonWriter(stream, options))
        {
            writer.WriteStartObject();
            writer.WriteString("$schema", SchemaUrl);
            writer.WriteStartObject("resources");
            var resourceWriter = new ManifestResourceWriter(writer, model.ExecutionContext, Path.GetFullPath(manifestDirectory));
            foreach (var resource in model.Resources)
            {
                await resourceWriter.WriteAsync(resource, cancellationToken).ConfigureAwait(false);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
