using System.Text.Json;

namespace MlOps.Serving.Input;

public sealed partial class RequestParser
{
    // MLflow's dataframe_split: {"columns": [...], "data": [[...], ...], "index": [...]}, keys in any order.
    private void ReadSplit(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            _errors.Add(_prefix!, $"Must be an object with 'columns' and 'data', not {TokenName(reader.TokenType)}.");
            reader.Skip();
            return;
        }

        int[]? columns = null;
        var data = default(Utf8JsonReader);
        var hasData = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            switch (key)
            {
                case "columns" when columns is null:
                    columns = ReadColumnNames(ref reader);
                    break;
                case "data" when !hasData:
                    // The reader is a struct: a copy remembers where the rows start, read once the columns are known.
                    data = reader;
                    hasData = true;
                    reader.Skip();
                    break;
                case "index":
                    reader.Skip();
                    break;
                default:
                    _errors.Add($"dataframe_split.{key}", "Unknown or repeated field; dataframe_split takes 'columns', 'data' and 'index'.");
                    reader.Skip();
                    break;
            }
        }

        if (columns is null)
        {
            _errors.Add("dataframe_split.columns", "Missing: the names of the columns of 'data'.");
        }

        if (!hasData)
        {
            _errors.Add("dataframe_split.data", "Missing: the rows, as arrays of values in the order of 'columns'.");
        }

        if (columns is not null && hasData)
        {
            ReadSplitRows(ref data, columns);
        }
    }

    private int[]? ReadColumnNames(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            _errors.Add("dataframe_split.columns", $"Must be an array of column names, not {TokenName(reader.TokenType)}.");
            reader.Skip();
            return [];
        }

        var seen = _seen.AsSpan(0, _schema.Count);
        seen.Clear();
        var columns = new List<int>(_schema.Count);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var f = reader.TokenType == JsonTokenType.String ? _schema.IndexOf(ref reader, columns.Count) : -1;
            if (f < 0 || seen[f])
            {
                var shown = reader.TokenType == JsonTokenType.String ? reader.GetString() : TokenName(reader.TokenType);
                _errors.Add($"dataframe_split.columns[{columns.Count}]", f < 0
                    ? $"'{shown}' is not an input of the model (inputs: {InputList()})."
                    : $"'{shown}' appears more than once.");
                reader.Skip();
                f = -1;
            }
            else
            {
                seen[f] = true;
            }

            columns.Add(f);
        }

        for (var f = 0; f < seen.Length; f++)
        {
            if (!seen[f])
            {
                _errors.Add($"dataframe_split.columns.{_schema.Features[f].Name}", "Missing: every input of the model is required.");
            }
        }

        return [.. columns];
    }

    private void ReadSplitRows(ref Utf8JsonReader reader, int[] columns)
    {
        _mode = KeyMode.Records;
        _prefix = "dataframe_split.data";
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            _errors.Add(_prefix, $"Must be an array of rows, not {TokenName(reader.TokenType)}.");
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
            ReadSplitRow(ref reader, columns, row);
            row++;
        }

        EmptyCheck(row);
        _batch.Count = row;
        _prefix = "dataframe_split";
    }

    private void ReadSplitRow(ref Utf8JsonReader reader, int[] columns, int row)
    {
        _row = row;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            _errors.Add(RowKey(row), $"A row must be an array of values, not {TokenName(reader.TokenType)}.");
            reader.Skip();
            return;
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var f = count < columns.Length ? columns[count] : -1;
            count++;
            if (f < 0)
            {
                reader.Skip();
                continue;
            }

            _feature = f;
            ReadValue(ref reader, f, row);
            _feature = -1;
        }

        _feature = -1;
        if (count != columns.Length)
        {
            _errors.Add(RowKey(row), $"Has {count} values; 'columns' names {columns.Length}.");
        }
    }
}
