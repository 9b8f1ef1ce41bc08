using System.Buffers;
using System.Globalization;
using System.Text;
using MlOps.Serving.Model;

namespace MlOps.Serving.Input;

/// <summary>
/// <c>POST /invocations</c> with <c>Content-Type: text/csv</c>, as MLflow's scoring server takes it (a pandas
/// <c>to_csv</c> body): a header row naming the model's inputs, one row per line, RFC 4180 quoting. An unnamed first
/// column (pandas' index) is ignored. The same strictness as JSON: every input present, numbers within the float
/// range, an empty cell is missing. Errors are keyed <c>csv[row].input</c>.
/// </summary>
public static class CsvRequestParser
{
    private const string Prefix = "csv";

    public static bool TryParse(ReadOnlySequence<byte> body, FeatureBatch batch, int maxRows, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(errors);
        var text = Encoding.UTF8.GetString(body);
        var fields = new List<string>();
        var position = 0;
        try
        {
            if (!NextRecord(text, ref position, fields))
            {
                errors.Add(InputErrors.BodyKey, "The CSV body is empty; send a header row and at least one row.");
                return false;
            }

            var columns = Header(fields, batch.Schema, errors);
            var row = 0;
            while (NextRecord(text, ref position, fields) && !errors.Full)
            {
                if (fields is [{ Length: 0 }])
                {
                    continue;
                }

                if (row >= maxRows)
                {
                    errors.Add(Prefix, $"More than {maxRows} rows; send at most {maxRows} rows per request.");
                    break;
                }

                batch.EnsureCapacity(row + 1);
                Row(fields, columns, batch, row, errors);
                row++;
            }

            if (row == 0)
            {
                errors.Add(Prefix, "Holds no rows; send at least one.");
            }

            batch.Count = row;
        }
        catch (FormatException e)
        {
            errors.Add(InputErrors.BodyKey, $"Malformed CSV: {e.Message}");
        }

        return !errors.Any;
    }

    // The feature index of each column, -1 for pandas' unnamed index column (and for columns already reported).
    private static int[] Header(List<string> names, ModelSchema schema, InputErrors errors)
    {
        var columns = new int[names.Count];
        var seen = new bool[schema.Count];
        for (var j = 0; j < names.Count; j++)
        {
            var f = schema.IndexOf(names[j]);
            columns[j] = f >= 0 && !seen[f] ? f : -1;
            if (f >= 0 && !seen[f])
            {
                seen[f] = true;
            }
            else if (!(j == 0 && names[j].Length == 0))
            {
                errors.Add($"{Prefix}.columns[{j}]", f < 0
                    ? $"'{names[j]}' is not an input of the model (inputs: {string.Join(", ", schema.Features.Select(x => x.Name))})."
                    : $"'{names[j]}' appears more than once.");
            }
        }

        for (var f = 0; f < seen.Length; f++)
        {
            if (!seen[f])
            {
                errors.Add($"{Prefix}.columns.{schema.Features[f].Name}", "Missing: every input of the model is required.");
            }
        }

        return columns;
    }

    private static void Row(List<string> fields, int[] columns, FeatureBatch batch, int row, InputErrors errors)
    {
        if (fields.Count != columns.Length)
        {
            errors.Add($"{Prefix}[{row}]", $"Has {fields.Count} values; the header names {columns.Length}.");
            return;
        }

        for (var j = 0; j < columns.Length; j++)
        {
            var f = columns[j];
            if (f < 0)
            {
                continue;
            }

            var feature = batch.Schema.Features[f];
            var cell = fields[j];
            if (feature.IsCategorical)
            {
                batch.Text(f)[row] = feature.TryGetCategory(cell, out var known) ? known! : cell;
            }
            else if (cell.Length == 0)
            {
                batch.Numeric(f)[row] = double.NaN;
            }
            else if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && double.IsFinite(value) && Math.Abs(value) <= float.MaxValue)
            {
                batch.Numeric(f)[row] = value;
            }
            else
            {
                errors.Add($"{Prefix}[{row}].{feature.Name}", $"'{cell}' is not a number within the range of a 32-bit float (±3.4e38).");
            }
        }
    }

    // One RFC 4180 record into fields; false at the end of the text.
    private static bool NextRecord(string text, ref int position, List<string> fields)
    {
        fields.Clear();
        if (position >= text.Length)
        {
            return false;
        }

        var value = new StringBuilder();
        while (true)
        {
            value.Clear();
            if (position < text.Length && text[position] == '"')
            {
                position++;
                while (true)
                {
                    if (position >= text.Length)
                    {
                        throw new FormatException("a quoted field is not closed.");
                    }

                    var c = text[position++];
                    if (c != '"')
                    {
                        value.Append(c);
                    }
                    else if (position < text.Length && text[position] == '"')
                    {
                        value.Append('"');
                        position++;
                    }
                    else
                    {
                        break;
                    }
                }
            }
            else
            {
                while (position < text.Length && text[position] is not (',' or '\n' or '\r'))
                {
                    value.Append(text[position++]);
                }
            }

            fields.Add(value.ToString());
            if (position >= text.Length)
            {
                return true;
            }

            var separator = text[position++];
            if (separator == ',')
            {
                continue;
            }

            if (separator == '\r' && position < text.Length && text[position] == '\n')
            {
                position++;
            }

            return separator is '\r' or '\n'
                ? true
                : throw new FormatException($"'{separator}' follows a quoted field; expected a comma or a line break.");
        }
    }
}
