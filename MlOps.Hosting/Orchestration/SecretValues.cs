using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Orchestration;

/// <summary>Whether a value carries a secret: a secret parameter, or a connection string or expression holding one.</summary>
internal static class SecretValues
{
    public const string Mask = "********";

    public static bool IsSecret(object? value) => IsSecret(value, depth: 0);

    private static bool IsSecret(object? value, int depth) => depth < 16 && value switch
    {
        ParameterResource parameter => parameter.Secret,
        ReferenceExpression expression => expression.ValueProviders.Any(v => IsSecret(v, depth + 1)),
        IResourceWithConnectionString resource => IsSecret(resource.ConnectionStringExpression, depth + 1),
        _ => false,
    };
}
