using System.Globalization;

namespace MlOps.Trainer.Data;

/// <summary>Turns a numeric or text label column into 0/1 labels, working out which value is the positive class.</summary>
public static class LabelResolver
{
    private const int MaxDistinctListed = 5;

    private static readonly HashSet<string> s_positiveTokens = new(StringComparer.OrdinalIgnoreCase)
    {
        "1", "true", "t", "yes", "y", "fraud", "fraudulent", "bad", "positive", "pos", "default", "churn", "spam",
    };

    private static readonly HashSet<string> s_negativeTokens = new(StringComparer.OrdinalIgnoreCase)
    {
        "0", "false", "f", "no", "n", "legit", "legitimate", "good", "negative", "neg", "ham",
    };

    public static ResolvedLabel Resolve(DataTable table, string labelColumn, string? positive)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(labelColumn);
        if (!table.TryGetColumn(labelColumn, out var column))
        {
            var available = string.Join(", ", table.Columns.Select(c => c.Name));
            throw new BadInputException($"Label column '{labelColumn}' not found; available columns: {available}.");
        }

        var values = LabelValues.From(column);
        CheckValues(values, labelColumn);
        var (positiveIndex, reason) = positive is null
            ? InferPositive(values, labelColumn)
            : (FindPositive(values, labelColumn, positive), "given with --positive");
        var labels = values.ToLabels(positiveIndex);
        var positiveCount = labels.Count(l => l == 1f);
        return new ResolvedLabel(
            labels, values.Distinct[positiveIndex], values.Distinct[1 - positiveIndex], positiveCount, labels.Length - positiveCount)
        {
            Reason = reason,
        };
    }

    private static void CheckValues(LabelValues values, string labelColumn)
    {
        if (values.MissingCount > 0)
        {
            throw new BadInputException(
                $"Label column '{labelColumn}' has {values.MissingCount} missing value(s) (first at row {values.FirstMissingRow}); fill or drop those rows.");
        }

        if (values.Distinct.Count > 2)
        {
            var listed = string.Join(", ", values.Distinct.Take(MaxDistinctListed).Select(v => $"'{v}'"));
            var more = values.Distinct.Count > MaxDistinctListed ? ", ..." : string.Empty;
            throw new BadInputException(
                $"Label column '{labelColumn}' has more than two distinct values ({listed}{more}); binary classification needs exactly two.");
        }

        if (values.Distinct.Count < 2)
        {
            var only = values.Distinct.Count == 1 ? $" ('{values.Distinct[0]}')" : string.Empty;
            throw new BadInputException($"Label column '{labelColumn}' has only one class{only}; binary classification needs two.");
        }
    }

    private static int FindPositive(LabelValues values, string labelColumn, string positive)
    {
        for (var i = 0; i < 2; i++)
        {
            if (string.Equals(values.Distinct[i], positive, StringComparison.Ordinal) || values.NumericEquals(i, positive))
            {
                return i;
            }
        }

        var caseInsensitive = Enumerable.Range(0, 2)
            .Where(i => string.Equals(values.Distinct[i], positive, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (caseInsensitive.Length == 1)
        {
            return caseInsensitive[0];
        }

        throw new BadInputException(
            $"--positive '{positive}' is not a value of label column '{labelColumn}' (values: '{values.Distinct[0]}', '{values.Distinct[1]}').");
    }

    private static (int Index, string Reason) InferPositive(LabelValues values, string labelColumn)
    {
        var (a, b) = (values.Distinct[0], values.Distinct[1]);
        if ((a, b) is ("-1", "1") or ("1", "-1"))
        {
            return (a == "1" ? 0 : 1, "inferred: of -1 and 1, 1 is the positive class; pass --positive to choose");
        }

        bool posA = s_positiveTokens.Contains(a), posB = s_positiveTokens.Contains(b);
        bool negA = s_negativeTokens.Contains(a), negB = s_negativeTokens.Contains(b);
        if (posA != posB)
        {
            var (positive, other) = posA ? (a, b) : (b, a);
            return (posA ? 0 : 1, $"inferred: '{positive}' reads as a positive label and '{other}' does not; pass --positive to choose");
        }

        if (negA != negB)
        {
            var (negative, other) = negA ? (a, b) : (b, a);
            return (negA ? 1 : 0, $"inferred: '{negative}' reads as a negative label, so '{other}' is positive; pass --positive to choose");
        }

        throw new BadInputException(
            $"Cannot tell which value of label column '{labelColumn}' is the positive class ('{a}' or '{b}'); pass --positive <value>.");
    }

    /// <summary>The distinct values (as invariant text, in order of first appearance) and missing count of a label column.</summary>
    private sealed class LabelValues
    {
        private readonly double[]? _numbers;
        private readonly string?[]? _texts;
        private readonly List<double> _distinctNumbers = [];

        private LabelValues(double[]? numbers, string?[]? texts)
        {
            _numbers = numbers;
            _texts = texts;
        }

        public List<string> Distinct { get; } = [];

        public int MissingCount { get; private set; }

        public int FirstMissingRow { get; private set; }

        public static LabelValues From(DataColumn column)
        {
            LabelValues values = column switch
            {
                NumericColumn n => new LabelValues(n.Values, null),
                StringColumn s => new LabelValues(null, s.Values),
                _ => throw new BadInputException($"Label column '{column.Name}' holds timestamps; it must hold two classes."),
            };
            values.Scan();
            return values;
        }

        private void Scan()
        {
            var length = _numbers?.Length ?? _texts!.Length;
            for (var row = 0; row < length; row++)
            {
                var missing = _numbers is not null ? double.IsNaN(_numbers[row]) : string.IsNullOrWhiteSpace(_texts![row]);
                if (missing)
                {
                    MissingCount++;
                    FirstMissingRow = FirstMissingRow == 0 ? row + 1 : FirstMissingRow;
                }
                else if (Distinct.Count <= MaxDistinctListed)
                {
                    AddDistinct(row);
                }
            }
        }

        private void AddDistinct(int row)
        {
            if (_numbers is not null)
            {
                var value = _numbers[row];
                if (!_distinctNumbers.Contains(value))
                {
                    _distinctNumbers.Add(value);
                    Distinct.Add(value.ToString("R", CultureInfo.InvariantCulture));
                }
            }
            else if (!Distinct.Contains(_texts![row]!, StringComparer.Ordinal))
            {
                Distinct.Add(_texts[row]!);
            }
        }

        public bool NumericEquals(int index, string text) =>
            _numbers is not null
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value == _distinctNumbers[index];

        public float[] ToLabels(int positiveIndex)
        {
            if (_numbers is not null)
            {
                var positive = _distinctNumbers[positiveIndex];
                return [.. _numbers.Select(v => v == positive ? 1f : 0f)];
            }

            var positiveText = Distinct[positiveIndex];
            return [.. _texts!.Select(v => string.Equals(v, positiveText, StringComparison.Ordinal) ? 1f : 0f)];
        }
    }
}
