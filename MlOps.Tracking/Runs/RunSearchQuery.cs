using MlOps.Tracking.Data;
using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Runs;

/// <summary>Turns runs/search's filter, view type and order_by into one SQL query that selects run ids.</summary>
internal sealed record RunSearchQuery(string Sql, IReadOnlyList<object> Parameters)
{
    public static RunSearchQuery Build(long[] experimentIds, string? filter, string? viewType, IReadOnlyList<string>? orderBy, int limit, int offset)
    {
        var sql = new SqlBuilder();
        var where = new List<string>
        {
            $"r.experiment_id = any({sql.Add(experimentIds)})",
            ViewTypes.Where(viewType, "r.lifecycle_stage"),
        };
        where.AddRange(SearchFilter.Parse(filter).Select(clause => Condition(clause, sql)));
        var order = SearchFilter.ParseOrderBy(orderBy).Select(clause => Order(clause, sql)).ToList();
        order.Add("r.start_time desc");
        order.Add("r.run_uuid asc");
        var text = $"select r.run_uuid from runs r where {string.Join(" and ", where)} order by {string.Join(", ", order)} limit {limit} offset {offset}";
        return new RunSearchQuery(text, sql.Parameters);
    }

    private static string Condition(FilterClause clause, SqlBuilder sql) => clause.Entity switch
    {
        SearchFilter.Metrics =>
            $"exists (select 1 from latest_metrics m where m.run_uuid = r.run_uuid and m.key = {sql.Add(clause.Key)} " +
            $"and m.value {SqlBuilder.NumberComparator(clause)} {sql.Add(clause.Value)})",
        SearchFilter.Params =>
            $"exists (select 1 from params p where p.run_uuid = r.run_uuid and p.key = {sql.Add(clause.Key)} " +
            $"and p.value {SqlBuilder.StringComparator(clause)} {sql.Add(clause.Value)})",
        SearchFilter.Tags =>
            $"exists (select 1 from tags t where t.run_uuid = r.run_uuid and t.key = {sql.Add(clause.Key)} " +
            $"and t.value {SqlBuilder.StringComparator(clause)} {sql.Add(clause.Value)})",
        _ when IsNumericAttribute(clause.Key) =>
            $"{Attribute(clause.Key)} {SqlBuilder.NumberComparator(clause)} {sql.Add(clause.Value)}",
        _ => $"{Attribute(clause.Key)} {SqlBuilder.StringComparator(clause)} {sql.Add(clause.Value)}",
    };

    private static string Order(OrderClause clause, SqlBuilder sql)
    {
        var direction = clause.Ascending ? "asc" : "desc";
        var expression = clause.Entity switch
        {
            SearchFilter.Metrics => $"(select m.value from latest_metrics m where m.run_uuid = r.run_uuid and m.key = {sql.Add(clause.Key)})",
            SearchFilter.Params => $"(select p.value from params p where p.run_uuid = r.run_uuid and p.key = {sql.Add(clause.Key)})",
            SearchFilter.Tags => $"(select t.value from tags t where t.run_uuid = r.run_uuid and t.key = {sql.Add(clause.Key)})",
            _ => Attribute(clause.Key),
        };

        // Runs without the value sort last whichever the direction, as in MLflow.
        return $"{expression} {direction} nulls last";
    }

    private static bool IsNumericAttribute(string key) => key is "start_time" or "end_time";

    private static string Attribute(string key) => key switch
    {
        "status" => "r.status",
        "run_name" => "r.run_name",
        "user_id" => "r.user_id",
        "run_id" or "run_uuid" => "r.run_uuid",
        "artifact_uri" => "r.artifact_uri",
        "lifecycle_stage" => "r.lifecycle_stage",
        "start_time" => "r.start_time",
        "end_time" => "r.end_time",
        _ => throw MlflowException.InvalidParameter(
            $"Invalid attribute key '{key}' specified. Valid keys are 'status', 'run_name', 'user_id', 'run_id', 'artifact_uri', 'lifecycle_stage', 'start_time', 'end_time'."),
    };
}
