namespace MlOps.Trainer.Data;

/// <summary>Chooses feature columns: drops the label, timestamps, id-like, all-missing and constant columns unless included explicitly.</summary>
public static class FeatureSelector
{
    private const int MinRowsForRatioRule = 50;

    public static FeatureSelection Select(DataTable table, string labelColumn, FeatureSelectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        var include = Names(table, options.Include, "--include");
        var exclude = Names(table, options.Exclude, "--exclude");
        var categorical = Names(table, options.Categorical, "--categorical");
        var features = new List<FeatureSpec>();
        var excluded = new List<ExcludedColumn>();
        foreach (var column in table.Columns)
        {
            var reason = ExclusionReason(column, table.RowCount, labelColumn, include, exclude, options.MaxCategories);
            if (reason is null)
            {
                var kind = column.Kind == ColumnKind.String || categorical.Contains(column.Name) ? FeatureKind.Categorical : FeatureKind.Numeric;
                features.Add(new FeatureSpec(column.Name, kind));
            }
            else
            {
                excluded.Add(new ExcludedColumn(column.Name, reason));
            }
        }

        if (features.Count == 0)
        {
            var why = string.Join(", ", excluded.Select(e => $"{e.Name}: {e.Reason}"));
            throw new BadInputException($"No feature columns are left ({why}); add columns or use --include.");
        }

        return new FeatureSelection(features, excluded);
    }

    private static HashSet<string> Names(DataTable table, IReadOnlyList<string>? names, string option)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names ?? [])
        {
            if (!table.TryGetColumn(name, out _))
            {
                var available = string.Join(", ", table.Columns.Select(c => c.Name));
                throw new BadInputException($"{option}: unknown column '{name}'; available columns: {available}.");
            }

            set.Add(name);
        }

        return set;
    }

    private static string? ExclusionReason(
        DataColumn column, int rows, string label, HashSet<string> include, HashSet<string> exclude, int maxCategories)
    {
        if (column.Name == label)
        {
            return "label";
        }

        if (exclude.Contains(column.Name))
        {
            return "excluded by option";
        }

        if (column.Kind == ColumnKind.Timestamp)
        {
            return include.Contains(column.Name)
                ? throw new BadInputException($"Column '{column.Name}' holds timestamps and cannot be a feature; derive numeric columns from it.")
                : "timestamp";
        }

        return include.Contains(column.Name) ? null : AutomaticReason(column, rows, maxCategories);
    }

    private static string? AutomaticReason(DataColumn column, int rows, int maxCategories)
    {
        if (IsIdLikeName(column.Name))
        {
            return "id-like";
        }

        var (distinct, stopped) = CountDistinct(column, maxCategories);
        return distinct switch
        {
            0 => "all values missing",
            1 => "constant",
            _ when column.Kind == ColumnKind.String && (stopped || (rows >= MinRowsForRatioRule && distinct > 0.5 * rows)) => "id-like",
            _ => null,
        };
    }

    public static bool IsIdLikeName(string name) =>
        name.Equals("id", StringComparison.OrdinalIgnoreCase)
        || name.Equals("uuid", StringComparison.OrdinalIgnoreCase)
        || name.Equals("guid", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("_id", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("Id", StringComparison.Ordinal)
        || name.EndsWith("_uuid", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("_key", StringComparison.OrdinalIgnoreCase);

    /// <summary>Distinct non-missing values; for text, counting stops (stopped = true) once it exceeds <paramref name="maxCategories"/>.</summary>
    private static (int Distinct, bool Stopped) CountDistinct(DataColumn column, int maxCategories)
    {
        switch (column)
        {
            case NumericColumn numeric:
                var values = numeric.Values.Where(v => !double.IsNaN(v));
                var first = values.FirstOrDefault(double.NaN);
                return double.IsNaN(first) ? (0, false) : (values.Any(v => v != first) ? 2 : 1, false);
            case StringColumn text:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var value in text.Values)
                {
                    if (value is not null && seen.Add(value) && seen.Count > maxCategories)
                    {
                        return (seen.Count, true);
                    }
                }

                return (seen.Count, false);
            default:
                return (0, false);
        }
    }
}
