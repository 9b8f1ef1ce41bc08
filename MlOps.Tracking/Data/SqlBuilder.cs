using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Data;

/// <summary>Collects positional parameters ($1, $2, ...) for SQL built from a parsed search filter.</summary>
internal sealed class SqlBuilder(int firstIndex = 1)
{
    public List<object> Parameters { get; } = [];

    public string Add(object value)
    {
        Parameters.Add(value);
        return "$" + (firstIndex + Parameters.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string StringComparator(FilterClause clause) => clause switch
    {
        { Value: not string } => throw MlflowException.InvalidParameter(
            $"Invalid filter: the value for '{clause.Entity}.{clause.Key}' must be a quoted string."),
        { Comparator: "=" } => "=",
        { Comparator: "!=" } => "<>",
        { Comparator: "LIKE" } => "like",
        { Comparator: "ILIKE" } => "ilike",
        _ => throw MlflowException.InvalidParameter(
            $"Invalid comparator '{clause.Comparator}' for '{clause.Entity}.{clause.Key}': use =, !=, LIKE or ILIKE."),
    };

    public static string NumberComparator(FilterClause clause) => clause switch
    {
        { Value: not double } => throw MlflowException.InvalidParameter(
            $"Invalid filter: the value for '{clause.Entity}.{clause.Key}' must be a number."),
        { Comparator: "!=" } => "<>",
        { Comparator: "=" or "<" or "<=" or ">" or ">=" } => clause.Comparator,
        _ => throw MlflowException.InvalidParameter(
            $"Invalid comparator '{clause.Comparator}' for '{clause.Entity}.{clause.Key}': use =, !=, <, <=, > or >=."),
    };
}
