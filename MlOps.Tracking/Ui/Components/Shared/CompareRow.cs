using MlOps.Tracking.Runs;

namespace MlOps.Tracking.Ui.Components.Shared;

/// <summary>One key across the compared runs: its value in each (null where the run lacks it).</summary>
public sealed record CompareRow(string Key, IReadOnlyList<string?> Values)
{
    public bool Differs => Values.Distinct(StringComparer.Ordinal).Skip(1).Any();

    public static List<CompareRow> Of(IReadOnlyList<Run> runs, Func<Run, IEnumerable<(string Key, string Value)>> select)
    {
        var perRun = runs.Select(run => select(run).GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal)).ToList();
        return [.. perRun.SelectMany(values => values.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(key => new CompareRow(key, [.. perRun.Select(values => values.GetValueOrDefault(key))]))];
    }
}
