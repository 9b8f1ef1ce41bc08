using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace MlOps.Hosting.Compose;

/// <summary><c>.env.example</c>: every parameter of the model or read by a service as the variable the compose files read. Secrets are listed
/// empty (their values exist only in the real <c>.env</c>); other parameters with their configured value.</summary>
internal static class ComposeEnvExample
{
    public static async Task<string> CreateAsync(IEnumerable<ParameterResource> parameters, CancellationToken cancellationToken)
    {
        var text = new StringBuilder()
            .Append("# Variables of the compose files. Copy this file to .env and fill in the values.\n")
            .Append("# The real .env holds secrets: never commit it.\n");
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in parameters.Distinct())
        {
            var variable = ComposeNames.Variable(parameter);
            if (seen.TryGetValue(variable, out var other))
            {
                throw new InvalidOperationException($"Parameters '{other}' and '{parameter.Name}' would both be the compose variable {variable}.");
            }

            seen.Add(variable, parameter.Name);
            if (!string.IsNullOrWhiteSpace(parameter.Description))
            {
                text.Append("# ").Append(parameter.Description.ReplaceLineEndings(" ")).Append('\n');
            }

            var value = parameter.Secret ? string.Empty : await ConfiguredValueAsync(parameter, cancellationToken).ConfigureAwait(false);
            text.Append(variable).Append('=').Append(value).Append('\n');
        }

        return text.ToString();
    }

    private static async Task<string> ConfiguredValueAsync(ParameterResource parameter, CancellationToken cancellationToken)
    {
        try
        {
            var value = await parameter.GetValueAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty;
            // A value on several lines cannot be one .env line; leave it for the user.
            return value.Contains('\n', StringComparison.Ordinal) ? string.Empty : value;
        }
        catch (MissingParameterValueException)
        {
            return string.Empty;
        }
    }
}
