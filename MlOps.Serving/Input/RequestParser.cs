using System.Buffers;
using System.Text;
using System.Text.Json;
using MlOps.Serving.Model;

namespace MlOps.Serving.Input;

/// <summary>
/// Parses a request body straight into a <see cref="FeatureBatch"/> with <see cref="Utf8JsonReader"/>, strictly:
/// every model input must be present and no other field; numeric inputs take JSON numbers within the 32-bit float
/// range, categorical inputs take JSON strings; <c>null</c> means missing (NaN for a number, "" for a category,
/// which the model's graph handles like a value absent in training). Every problem is collected with the field (and
/// row) it concerns rather than stopping at the first.
/// </summary>
public sealed partial class RequestParser
{
    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 16 };

    private readonly ModelSchema _schema;
    private readonly FeatureBatch _batch;
    private readonly InputErrors _errors;
    private readonly int _maxRows;
    private readonly bool[] _seen;
    private KeyMode _mode;
    private string? _prefix;
    private int _row;
    private int _feature = -1;

    private RequestParser(FeatureBatch batch, int maxRows, InputErrors errors)
    {
        _schema = batch.Schema;
        _batch = batch;
        _errors = errors;
        _maxRows = maxRows;
        _seen = ArrayPool<bool>.Shared.Rent(_schema.Count);
    }

    private enum KeyMode
    {
        Single,
        Records,
        Columns,
    }

    /// <summary>Fills <paramref name="batch"/> from <paramref name="body"/>; false (with <paramref name="errors"/>) when the body is bad.</summary>
    public static bool TryParse(ReadOnlySequence<byte> body, RequestFormat format, FeatureBatch batch, int maxRows, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(errors);
        var parser = new RequestParser(batch, maxRows, errors);
        try
        {
            parser.Parse(body, format);
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(parser._seen);
        }

        return !errors.Any;
    }

    private void Parse(ReadOnlySequence<byte> body, RequestFormat format)
    {
        var reader = new Utf8JsonReader(body, s_readerOptions);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                _errors.Add(InputErrors.BodyKey, "The body must be a JSON object.");
                return;
            }

            switch (format)
            {
                case RequestFormat.Single:
                    _mode = KeyMode.Single;
                    _batch.EnsureCapacity(1);
                    ReadRecord(ref reader, 0);
                    _batch.Count = 1;
                    break;
                case RequestFormat.Batch:
                    ReadEnvelope(ref reader, s_batchKeys);
                    break;
                default:
                    ReadEnvelope(ref reader, s_invocationKeys);
                    break;
            }

            // Anything after the root value is malformed; the reader throws on it.
            reader.Read();
        }
        catch (JsonException e)
        {
            _errors.Add(CurrentKey(), $"Malformed JSON (NaN, Infinity, comments and trailing commas are not allowed): {Trim(e.Message)}");
        }
        catch (InvalidOperationException e)
        {
            _errors.Add(CurrentKey(), $"Invalid JSON text: {e.Message}");
        }
    }

    private static readonly string[] s_batchKeys = ["instances"];
    private static readonly string[] s_invocationKeys = ["dataframe_split", "dataframe_records", "instances", "inputs"];

    // The top-level object of /predict/batch and /invocations: exactly one of the allowed keys.
    private void ReadEnvelope(ref Utf8JsonReader reader, string[] allowed)
    {
        string? found = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (Array.IndexOf(allowed, key) < 0)
            {
                _errors.Add(key, $"Unknown field; the body takes {Join(allowed)}.");
                reader.Skip();
                continue;
            }

            if (found is not null)
            {
                _errors.Add(key, $"Only one format may be given, {Join(allowed)} ('{found}' is already there).");
                reader.Skip();
                continue;
            }

            found = key;
            _prefix = key;
            if (key == "dataframe_split")
            {
                ReadSplit(ref reader);
            }
            else if (reader.TokenType == JsonTokenType.StartObject && key is "inputs" or "instances" && allowed.Length > 1)
            {
                ReadColumns(ref reader);
            }
            else
            {
                ReadRecords(ref reader);
            }

            _prefix = null;
        }

        if (found is null)
        {
            _errors.Add(InputErrors.BodyKey, $"The body must hold {Join(allowed)}.");
        }
    }

    private static string Join(string[] keys) => keys.Length == 1 ? $"'{keys[0]}'" : "one of " + string.Join(", ", keys.Select(k => $"'{k}'"));

    private static string Trim(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private string CurrentKey() =>
        _feature >= 0 ? Key(_row, _schema.Features[_feature].Name) : _prefix ?? InputErrors.BodyKey;

    private string Key(int row, string field) => _mode switch
    {
        KeyMode.Single => field,
        KeyMode.Records => $"{_prefix}[{row}].{field}",
        _ => $"{_prefix}.{field}[{row}]",
    };

    private string RowKey(int row) => _mode == KeyMode.Single ? InputErrors.BodyKey : $"{_prefix}[{row}]";

    private bool CheckRowLimit(int row)
    {
        if (row < _maxRows)
        {
            return true;
        }

        _errors.Add(_prefix ?? InputErrors.BodyKey, $"More than {_maxRows} rows; send at most {_maxRows} rows per request.");
        return false;
    }

    private void EmptyCheck(int rows)
    {
        if (rows == 0)
        {
            _errors.Add(_prefix ?? InputErrors.BodyKey, "Holds no rows; send at least one.");
        }
    }

    // Skips the rest of the array the reader is inside of.
    private static void SkipRestOfArray(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
        }
    }

    private static string TokenName(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private string InputList() => string.Join(", ", _schema.Features.Select(f => f.Name));

    private static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
