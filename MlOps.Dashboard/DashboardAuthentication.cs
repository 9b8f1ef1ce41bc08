using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MlOps.Dashboard;

/// <summary>Browser-token login: the token printed by the AppHost opens the dashboard once (<c>/login?t=…</c> sets an
/// HTTP-only cookie); API clients send it as a bearer token. Comparison is constant-time.</summary>
internal sealed class DashboardAuthentication(string token)
{
    public const string CookieName = "mlops-dashboard";

    private readonly byte[] _token = Encoding.UTF8.GetBytes(token);

    public string Token { get; } = token;

    public bool IsAuthenticated(HttpContext context)
    {
        if (context.Request.Cookies.TryGetValue(CookieName, out var cookie) && Matches(cookie))
        {
            return true;
        }

        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(header["Bearer ".Length..].Trim());
    }

    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
