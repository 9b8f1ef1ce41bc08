using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Collections;
using MlOps.Dashboard.Telemetry;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;

namespace MlOps.Dashboard.Otlp;

/// <summary>From OTLP messages to the store's plain values: ids as lowercase hex, times as UTC, attribute values as text.</summary>
internal static class OtlpConversions
{
    public const int TraceIdLength = 16;
    public const int SpanIdLength = 8;
    public const string UnknownService = "unknown_service";

    private static readonly KeyValuePair<string, string>[] s_noAttributes = [];

    /// <summary>A 16-byte trace id as a number: false when its length is wrong, or when it is empty or all zero and
    /// <paramref name="required"/> (an optional id that is empty or all zero gives 0).</summary>
    public static bool TryTraceKey(ByteString id, bool required, out UInt128 key)
    {
        key = id.Length == TraceIdLength ? TelemetryIds.TraceKey(id.Span) : 0;
        return (id.IsEmpty || id.Length == TraceIdLength) && (key != 0 || !required);
    }

    /// <summary>An 8-byte span id as a number, by the rules of <see cref="TryTraceKey"/>.</summary>
    public static bool TrySpanKey(ByteString id, bool required, out ulong key)
    {
        key = id.Length == SpanIdLength ? TelemetryIds.SpanKey(id.Span) : 0;
        return (id.IsEmpty || id.Length == SpanIdLength) && (key != 0 || !required);
    }

    public static DateTime ToDateTime(ulong unixNanos) =>
        DateTime.UnixEpoch.AddTicks((long)Math.Min(unixNanos / 100, (ulong)(DateTime.MaxValue - DateTime.UnixEpoch).Ticks));

    public static DateTime? ToOptionalDateTime(ulong unixNanos) => unixNanos == 0 ? null : ToDateTime(unixNanos);

    public static TelemetryResourceKey ResourceKey(Resource resource)
    {
        string? name = null;
        string? instance = null;
        foreach (var attribute in resource.Attributes)
        {
            if (attribute.Key == "service.name")
            {
                name = ToText(attribute.Value);
            }
            else if (attribute.Key == "service.instance.id")
            {
                instance = ToText(attribute.Value);
            }
        }

        return new TelemetryResourceKey(string.IsNullOrEmpty(name) ? UnknownService : name, string.IsNullOrEmpty(instance) ? null : instance);
    }

    public static IReadOnlyList<KeyValuePair<string, string>> ToAttributes(RepeatedField<KeyValue> attributes)
    {
        if (attributes.Count == 0)
        {
            return s_noAttributes;
        }

        var result = new KeyValuePair<string, string>[attributes.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new KeyValuePair<string, string>(StringPool.Share(attributes[i].Key), StringPool.Share(ToText(attributes[i].Value)));
        }

        return result;
    }

    public static string? ScopeName(InstrumentationScope? scope) => string.IsNullOrEmpty(scope?.Name) ? null : StringPool.Share(scope.Name);

    public static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    public static string ToText(AnyValue? value) => value?.ValueCase switch
    {
        null or AnyValue.ValueOneofCase.None => "",
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        _ => Compose(value),
    };

    private static string Compose(AnyValue value)
    {
        var text = new StringBuilder();
        Append(text, value);
        return text.ToString();
    }

    private static void Append(StringBuilder text, AnyValue value)
    {
        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.ArrayValue:
                text.Append('[');
                for (var i = 0; i < value.ArrayValue.Values.Count; i++)
                {
                    text.Append(i == 0 ? "" : ", ");
                    Append(text, value.ArrayValue.Values[i]);
                }

                text.Append(']');
                break;
            case AnyValue.ValueOneofCase.KvlistValue:
                text.Append('{');
                for (var i = 0; i < value.KvlistValue.Values.Count; i++)
                {
                    var pair = value.KvlistValue.Values[i];
                    text.Append(i == 0 ? "" : ", ").Append(pair.Key).Append(": ");
                    Append(text, pair.Value ?? new AnyValue());
                }

                text.Append('}');
                break;
            default:
                text.Append(ToText(value));
                break;
        }
    }
}
