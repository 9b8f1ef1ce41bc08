using System.Text;
using System.Text.Json;
using MlOps.Serving.Model;

namespace MlOps.Serving.Input;

public sealed partial class RequestParser
{
    // [{…}, {…}]: one object per row.
    private void ReadRecords(ref Utf8JsonReader reader)
    {
        _mode = KeyMode.Records;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            _errors.Add(_prefix!, $"Must be an array of objects, not {TokenName(reader.TokenType)}.");
            reader.Skip();
            return;
        }

        var row = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!CheckRowLimit(row) || _errors.Full)
            {
                reader.Skip();
                SkipRestOfArray(ref reader);
                break;
            }

            _batch.EnsureCapacity(row + 1);
            ReadRecord(ref reader, row);
            row++;
        }

        EmptyCheck(row);
        _batch.Count = row;
    }

    // {"feature": value, …}: one row.
    private void ReadRecord(ref Utf8JsonReader reader, int row)
    {
        _row = row;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            _errors.Add(RowKey(row), $"A row must be a JSON object, not {TokenName(reader.TokenType)}.");
            reader.Skip();
            return;
        }

        var seen = _seen.AsSpan(0, _schema.Count);
        seen.Clear();
        var expected = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var f = _schema.IndexOf(ref reader, expected);
            if (f < 0)
            {
                var name = reader.GetString()!;
                reader.Read();
                reader.Skip();
                _errors.Add(Key(row, name), $"Unknown field: not an input of the model (inputs: {InputList()}).");
                continue;
            }

            _feature = f;
            reader.Read();
            if (seen[f])
            {
                _errors.Add(Key(row, _schema.Features[f].Name), "Appears more than once.");
                reader.Skip();
                continue;
            }

            seen[f] = true;
            ReadValue(ref reader, f, row);
            _feature = -1;
            expected = f + 1;
        }

        _feature = -1;
        for (var f = 0; f < seen.Length; f++)
        {
            if (!seen[f])
            {
                _errors.Add(Key(row, _schema.Features[f].Name), "Missing: every input of the model is required (null for an unknown value).");
            }
        }
    }

    // {"feature": [v0, v1, …], …}: one array per input, all of one length.
    private void ReadColumns(ref Utf8JsonReader reader)
    {
        _mode = KeyMode.Columns;
        var seen = _seen.AsSpan(0, _schema.Count);
        seen.Clear();
        var rows = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var f = _schema.IndexOf(ref reader, -1);
            var name = f >= 0 ? _schema.Features[f].Name : reader.GetString()!;
            reader.Read();
            if (f < 0 || seen[f])
            {
                _errors.Add($"{_prefix}.{name}", f < 0 ? $"Unknown field: not an input of the model (inputs: {InputList()})." : "Appears more than once.");
                reader.Skip();
                continue;
            }

            seen[f] = true;
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                _errors.Add($"{_prefix}.{name}", $"Must be an array of values, one per row, not {TokenName(reader.TokenType)}.");
                reader.Skip();
                continue;
            }

            var row = ReadColumn(ref reader, f);
            if (rows >= 0 && row != rows)
            {
                _errors.Add($"{_prefix}.{name}", $"Has {row} values but the columns before it have {rows}.");
            }

            rows = Math.Max(rows, row);
        }

        for (var f = 0; f < seen.Length; f++)
        {
            if (!seen[f])
            {
                _errors.Add($"{_prefix}.{_schema.Features[f].Name}", "Missing: every input of the model is required.");
            }
        }

        EmptyCheck(Math.Max(rows, 0));
        _batch.Count = Math.Max(rows, 0);
    }

    private int ReadColumn(ref Utf8JsonReader reader, int f)
    {
        var row = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!CheckRowLimit(row))
            {
                reader.Skip();
                SkipRestOfArray(ref reader);
                break;
            }

            _batch.EnsureCapacity(row + 1);
            _feature = f;
            _row = row;
            ReadValue(ref reader, f, row);
            _feature = -1;
            row++;
        }

        _feature = -1;
        return row;
    }

    // One cell: numbers for numeric inputs, strings for categorical ones, null for missing.
    private void ReadValue(ref Utf8JsonReader reader, int f, int row)
    {
        var feature = _schema.Features[f];
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                if (feature.IsCategorical)
                {
                    _batch.Text(f)[row] = string.Empty;
                }
                else
                {
                    _batch.Numeric(f)[row] = double.NaN;
                }

                break;
            case JsonTokenType.Number when !feature.IsCategorical:
                if (reader.TryGetDouble(out var value) && double.IsFinite(value) && Math.Abs(value) <= float.MaxValue)
                {
                    _batch.Numeric(f)[row] = value;
                }
                else
                {
                    _errors.Add(Key(row, feature.Name), $"{Utf8(reader.ValueSpan)} is outside the range of a 32-bit float (±3.4e38).");
                }

                break;
            case JsonTokenType.String when feature.IsCategorical:
                _batch.Text(f)[row] = ReadCategory(ref reader, feature);
                break;
            default:
                _errors.Add(Key(row, feature.Name),
                    $"Must be {(feature.IsCategorical ? "a string" : "a number")} (or null), not {TokenName(reader.TokenType)}.");
                reader.Skip();
                break;
        }
    }

    // Known categories come from the schema's own strings: no allocation for the values seen in training.
    private static string ReadCategory(ref Utf8JsonReader reader, SchemaFeature feature)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped && reader.ValueSpan.Length <= 128)
        {
            Span<char> chars = stackalloc char[128];
            if (Encoding.UTF8.TryGetChars(reader.ValueSpan, chars, out var written)
                && feature.TryGetCategory(chars[..written], out var known))
            {
                return known!;
            }
        }

        return reader.GetString()!;
    }
}
