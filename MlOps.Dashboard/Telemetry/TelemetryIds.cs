using System.Buffers.Binary;
using System.Globalization;

namespace MlOps.Dashboard.Telemetry;

/// <summary>Trace and span ids kept as numbers (big-endian, as on the wire) and shown as lowercase hex: a stored span
/// holds no id strings, which keeps the store small and the garbage collector's work low under a flood.</summary>
internal static class TelemetryIds
{
    public static UInt128 TraceKey(ReadOnlySpan<byte> id) => BinaryPrimitives.ReadUInt128BigEndian(id);

    public static ulong SpanKey(ReadOnlySpan<byte> id) => BinaryPrimitives.ReadUInt64BigEndian(id);

    public static string Format(UInt128 id)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, id);
        return Convert.ToHexStringLower(bytes);
    }

    public static string Format(ulong id) => id.ToString("x16", CultureInfo.InvariantCulture);

    public static bool TryParseTrace(string? hex, out UInt128 id) =>
        UInt128.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out id) && hex!.Length == 32;
}
