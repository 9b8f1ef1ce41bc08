using System.Globalization;

namespace MlOps.Tracking.Infrastructure;

/// <summary>One <c>entity.key comparator value</c> term of an MLflow search filter.</summary>
internal sealed record FilterClause(string Entity, string Key, string Comparator, object Value);

/// <summary>One <c>entity.key [ASC|DESC]</c> term of an MLflow order_by list.</summary>
internal sealed record OrderClause(string Entity, string Key, bool Ascending);

/// <summary>
/// Parses MLflow's search filter language: terms joined by AND, identifiers <c>metrics.x</c>, <c>params.x</c>,
/// <c>tags.x</c>, <c>attributes.x</c> (keys may be quoted with backticks or double quotes; a bare name is an
/// attribute), values quoted strings or numbers. Anything else is INVALID_PARAMETER_VALUE. The cost of a search is
/// bounded here: at most <see cref="MaxClauses"/> terms and <see cref="MaxLength"/> characters (MLflow's own parser,
/// sqlparse, has grouping limits of its own), since each term is a subquery.
/// </summary>
internal static class SearchFilter
{
    public const int MaxClauses = 50;
    public const int MaxLength = 10_000;
    public const int MaxOrderBy = 10;

    public const string Metrics = "metrics";
    public const string Params = "params";
    public const string Tags = "tags";
    public const string Attributes = "attributes";

    private static readonly string[] s_comparators = ["=", "!=", "<", "<=", ">", ">="];

    public static IReadOnlyList<FilterClause> Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return [];
        }

        if (filter.Length > MaxLength)
        {
            throw MlflowException.InvalidParameter($"Invalid filter: {filter.Length} characters exceed the limit of {MaxLength}.");
        }

        var tokens = new FilterTokenizer(filter).Tokenize();
        var position = 0;
        var clauses = new List<FilterClause>();
        while (true)
        {
            if (clauses.Count == MaxClauses)
            {
                throw MlflowException.InvalidParameter($"Invalid filter: more than {MaxClauses} clauses joined by AND; narrow the search.");
            }

            var (entity, key) = ParseIdentifier(tokens, ref position, filter);
            var comparator = ParseComparator(tokens[position++], filter);
            var value = tokens[position++] switch
            {
                { Kind: FilterTokenKind.String or FilterTokenKind.DoubleQuoted } token => (object)token.Text,
                { Kind: FilterTokenKind.Number } token => double.Parse(token.Text, CultureInfo.InvariantCulture),
                var token => throw Invalid($"Expected a quoted string or a number after '{comparator}', got '{token.Text}'", filter),
            };
            clauses.Add(new FilterClause(entity, key, comparator, value));
            var next = tokens[position++];
            if (next.Kind == FilterTokenKind.End)
            {
                return clauses;
            }

            if (next.Kind != FilterTokenKind.Identifier || !next.Text.Equals("and", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid($"Expected AND or the end of the filter, got '{next.Text}'", filter);
            }
        }
    }

    public static IReadOnlyList<OrderClause> ParseOrderBy(IReadOnlyList<string>? orderBy) =>
        orderBy is { Count: > MaxOrderBy }
            ? throw MlflowException.InvalidParameter($"Invalid order_by: at most {MaxOrderBy} terms.")
            : [.. (orderBy ?? []).Select(ParseOrderBy)];

    public static OrderClause ParseOrderBy(string? orderBy)
    {
        if (string.IsNullOrWhiteSpace(orderBy))
        {
            throw MlflowException.InvalidParameter("Invalid order_by clause: it is empty.");
        }

        var tokens = new FilterTokenizer(orderBy).Tokenize();
        var position = 0;
        var (entity, key) = ParseIdentifier(tokens, ref position, orderBy);
        var ascending = true;
        var next = tokens[position++];
        if (next.Kind == FilterTokenKind.Identifier && next.Text.Equals("desc", StringComparison.OrdinalIgnoreCase))
        {
            ascending = false;
            next = tokens[position++];
        }
        else if (next.Kind == FilterTokenKind.Identifier && next.Text.Equals("asc", StringComparison.OrdinalIgnoreCase))
        {
            next = tokens[position++];
        }

        return next.Kind == FilterTokenKind.End
            ? new OrderClause(entity, key, ascending)
            : throw MlflowException.InvalidParameter($"Invalid order_by clause '{orderBy}'.");
    }

    private static (string Entity, string Key) ParseIdentifier(List<FilterToken> tokens, ref int position, string text)
    {
        var token = tokens[position++];
        if (token.Kind is FilterTokenKind.Quoted or FilterTokenKind.DoubleQuoted)
        {
            return (Attributes, token.Text);
        }

        if (token.Kind != FilterTokenKind.Identifier)
        {
            throw Invalid($"Expected an identifier, got '{token.Text}'", text);
        }

        var dot = token.Text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return (Attributes, token.Text);
        }

        var entity = Entity(token.Text[..dot], text);
        var key = token.Text[(dot + 1)..];
        if (key.Length == 0)
        {
            var quoted = tokens[position++];
            key = quoted.Kind is FilterTokenKind.Quoted or FilterTokenKind.DoubleQuoted
                ? quoted.Text
                : throw Invalid($"Expected a key after '{token.Text}'", text);
        }

        return (entity, key);
    }

    private static string Entity(string prefix, string text) => prefix.ToLowerInvariant() switch
    {
        "metric" or "metrics" => Metrics,
        "param" or "params" or "parameter" or "parameters" => Params,
        "tag" or "tags" => Tags,
        "attribute" or "attributes" or "attr" or "run" => Attributes,
        _ => throw Invalid($"Invalid entity type '{prefix}'. Valid values are ['metric', 'parameter', 'tag', 'attribute']", text),
    };

    private static string ParseComparator(FilterToken token, string text)
    {
        if (token.Kind == FilterTokenKind.Comparator)
        {
            return s_comparators.Contains(token.Text)
                ? token.Text
                : throw MlflowException.InvalidParameter(
                    $"Invalid comparator '{token.Text}' not one of '{{'<', '<=', '=', '!=', '>', '>='}}'");
        }

        if (token.Kind == FilterTokenKind.Identifier
            && (token.Text.Equals("like", StringComparison.OrdinalIgnoreCase) || token.Text.Equals("ilike", StringComparison.OrdinalIgnoreCase)))
        {
            return token.Text.ToUpperInvariant();
        }

        throw Invalid($"Expected a comparator, got '{token.Text}'", text);
    }

    internal static MlflowException Invalid(string reason, string text) =>
        MlflowException.InvalidParameter($"Error on parsing filter '{text}': {reason}.");
}
