namespace MlOps.Tracking.Infrastructure;

internal enum FilterTokenKind
{
    Identifier,
    Quoted,
    DoubleQuoted,
    String,
    Number,
    Comparator,
    End,
}

internal readonly record struct FilterToken(FilterTokenKind Kind, string Text);

/// <summary>Splits a search filter or an order_by clause into tokens; always ends with an End token.</summary>
internal sealed class FilterTokenizer(string text)
{
    private int _position;

    public List<FilterToken> Tokenize()
    {
        var tokens = new List<FilterToken>();
        while (true)
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }

            if (_position >= text.Length)
            {
                // Two End tokens, so a parser may look one past the end without a bounds check.
                tokens.Add(new FilterToken(FilterTokenKind.End, "<end>"));
                tokens.Add(new FilterToken(FilterTokenKind.End, "<end>"));
                return tokens;
            }

            tokens.Add(Next());
        }
    }

    private FilterToken Next()
    {
        var c = text[_position];
        return c switch
        {
            '\'' => new FilterToken(FilterTokenKind.String, Enclosed('\'')),
            '"' => new FilterToken(FilterTokenKind.DoubleQuoted, Enclosed('"')),
            '`' => new FilterToken(FilterTokenKind.Quoted, Enclosed('`')),
            '<' or '>' or '=' or '!' => new FilterToken(FilterTokenKind.Comparator, While(ch => ch is '<' or '>' or '=' or '!')),
            _ when char.IsDigit(c) || ((c is '-' or '+' or '.') && _position + 1 < text.Length && char.IsDigit(text[_position + 1])) =>
                new FilterToken(FilterTokenKind.Number, Number()),
            _ when char.IsLetter(c) || c == '_' =>
                new FilterToken(FilterTokenKind.Identifier, While(ch => char.IsLetterOrDigit(ch) || ch is '_' or '.' or '-' or '/' or ':')),
            _ => throw SearchFilter.Invalid($"Unexpected character '{c}' at position {_position}", text),
        };
    }

    private string Enclosed(char quote)
    {
        var end = text.IndexOf(quote, _position + 1);
        if (end < 0)
        {
            throw SearchFilter.Invalid($"Unterminated {quote} quote", text);
        }

        var value = text[(_position + 1)..end];
        _position = end + 1;
        return value;
    }

    private string Number()
    {
        var start = _position++;
        while (_position < text.Length
            && (char.IsDigit(text[_position]) || text[_position] is '.' or 'e' or 'E'
                || (text[_position] is '-' or '+' && text[_position - 1] is 'e' or 'E')))
        {
            _position++;
        }

        var value = text[start.._position];
        return double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? value
            : throw SearchFilter.Invalid($"Invalid number '{value}'", text);
    }

    private string While(Func<char, bool> predicate)
    {
        var start = _position;
        while (_position < text.Length && predicate(text[_position]))
        {
            _position++;
        }

        return text[start.._position];
    }
}
