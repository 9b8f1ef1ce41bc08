using System.Runtime.CompilerServices;
using System.Text;

namespace MlOps.Hosting.ApplicationModel;

/// <summary>A string with holes filled late: each hole is a value provider that also has a manifest expression.
/// Build one with an interpolated string: <c>ReferenceExpression.Create($"{db.ConnectionStringExpression};Pooling=true")</c>.</summary>
public sealed class ReferenceExpression : IManifestExpressionProvider, IValueProvider
{
    private ReferenceExpression(string format, IReadOnlyList<object> values)
    {
        Format = format;
        ValueProviders = values;
    }

    /// <summary>The format with <c>{0}</c>, <c>{1}</c>… for each value provider (literal braces are doubled).</summary>
    public string Format { get; }

    /// <summary>The holes, in order; each is an <see cref="IValueProvider"/> and an <see cref="IManifestExpressionProvider"/>.</summary>
    public IReadOnlyList<object> ValueProviders { get; }

    /// <summary>The manifest form: the format with each hole replaced by its expression.</summary>
    public string ValueExpression =>
        Substitute(i => ((IManifestExpressionProvider)ValueProviders[i]).ValueExpression);

    /// <summary>Creates an expression from an interpolated string.</summary>
    public static ReferenceExpression Create(in ExpressionInterpolatedStringHandler handler) => handler.Build();

    /// <summary>An expression with no holes.</summary>
    public static ReferenceExpression Literal(string text) => new(Escape(text), []);

    /// <inheritdoc />
    public async ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken)
    {
        var resolved = new string?[ValueProviders.Count];
        for (var i = 0; i < resolved.Length; i++)
        {
            resolved[i] = await ((IValueProvider)ValueProviders[i]).GetValueAsync(context, cancellationToken).ConfigureAwait(false);
        }

        return Substitute(i => resolved[i] ?? string.Empty);
    }

    /// <inheritdoc />
    public override string ToString() => ValueExpression;

    private static string Escape(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    /// <summary>The format with each hole replaced by <paramref name="hole"/>(index); publishers use it to render holes their own way.</summary>
    internal string Substitute(Func<int, string> hole)
    {
        var sb = new StringBuilder(Format.Length + 32);
        for (var i = 0; i < Format.Length; i++)
        {
            var c = Format[i];
            if ((c == '{' || c == '}') && i + 1 < Format.Length && Format[i + 1] == c)
            {
                sb.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var end = Format.IndexOf('}', i);
                sb.Append(hole(int.Parse(Format.AsSpan(i + 1, end - i - 1), System.Globalization.CultureInfo.InvariantCulture)));
                i = end;
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Collects the literal parts and holes of an interpolated string into a <see cref="ReferenceExpression"/>.</summary>
    [InterpolatedStringHandler]
    public ref struct ExpressionInterpolatedStringHandler
    {
        private readonly StringBuilder _format;
        private readonly List<object> _values;

        /// <summary>Called by the compiler.</summary>
        public ExpressionInterpolatedStringHandler(int literalLength, int formattedCount)
        {
            _format = new StringBuilder(literalLength + (formattedCount * 4));
            _values = new List<object>(formattedCount);
        }

        /// <summary>Appends literal text.</summary>
        public readonly void AppendLiteral(string value) => _format.Append(Escape(value));

        /// <summary>Appends a plain string as literal text.</summary>
        public readonly void AppendFormatted(string? value) => _format.Append(Escape(value ?? string.Empty));

        /// <summary>Appends a hole: a value provider with a manifest expression, or a nested expression.</summary>
        public readonly void AppendFormatted<T>(T value) where T : IValueProvider, IManifestExpressionProvider
        {
            if (value is ReferenceExpression nested)
            {
                // Inline nested expressions so the manifest shows the underlying references.
                var offset = _values.Count;
                _format.Append(Renumber(nested.Format, offset));
                _values.AddRange(nested.ValueProviders);
                return;
            }

            _format.Append('{').Append(_values.Count).Append('}');
            _values.Add(value);
        }

        internal readonly ReferenceExpression Build() => new(_format.ToString(), _values.ToArray());

        private static string Renumber(string format, int offset)
        {
            if (offset == 0)
            {
                return format;
            }

            var sb = new StringBuilder(format.Length + 8);
            for (var i = 0; i < format.Length; i++)
            {
                var c = format[i];
                if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
                {
                    sb.Append(c).Append(c);
                    i++;
                }
                else if (c == '{')
                {
                    var end = format.IndexOf('}', i);
                    var n = int.Parse(format.AsSpan(i + 1, end - i - 1), System.Globalization.CultureInfo.InvariantCulture);
                    sb.Append('{').Append(n + offset).Append('}');
                    i = end;
                }
                else
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }
    }
}
