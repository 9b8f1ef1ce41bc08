using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MlOps.Dashboard;

/// <summary>The login: <c>/login?t=TOKEN</c> sets the HTTP-only cookie and opens the Resources page; without a token
/// (or with a wrong one) a small page asks for it. Pages without the cookie redirect here; <c>/api/*</c> answers 401.</summary>
internal static class DashboardLogin
{
    public const string Path = "/login";

    public static void MapLogin(this IEndpointRouteBuilder routes) => routes.MapGet(Path, Login);

    /// <summary>Lets through <c>/login</c> and authenticated requests; sends browsers to the login page and API clients
    /// a 401 problem.</summary>
    public static async Task RequireLoginAsync(HttpContext context, RequestDelegate next, DashboardAuthentication authentication)
    {
        if (context.Request.Path.StartsWithSegments(Path) || authentication.IsAuthenticated(context))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.Redirect(Path);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Login required",
            detail: "Open the login link the AppHost printed, or send 'Authorization: Bearer <token>'.").ExecuteAsync(context).ConfigureAwait(false);
    }

    private static IResult Login(HttpContext context, string? t, DashboardAuthentication authentication)
    {
        if (string.IsNullOrEmpty(t))
        {
            return Page(StatusCodes.Status200OK, message: null);
        }

        if (!authentication.Matches(t))
        {
            return Page(StatusCodes.Status401Unauthorized, "Invalid token: open the login link the AppHost printed on its console.");
        }

        context.Response.Cookies.Append(DashboardAuthentication.CookieName, t, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            IsEssential = true,
        });
        return Results.Redirect("/");
    }

    private static IResult Page(int status, string? message) => Results.Content($$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>MlOps dashboard · login</title>
        <style>
          body { font-family: "Segoe UI", system-ui, sans-serif; background: #f5f5f5; display: grid; place-items: center; height: 100vh; margin: 0; }
          form { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 2px 8px #0002; min-width: 22rem; }
          h1 { font-size: 1.3rem; margin-top: 0; } input { width: 100%; padding: .5rem; margin: .5rem 0 1rem; box-sizing: border-box; }
          button { background: #0f6cbd; color: #fff; border: 0; padding: .5rem 1.2rem; border-radius: 4px; cursor: pointer; }
          .error { color: #b10e1c; }
        </style></head>
        <body><form method="get" action="{{Path}}">
          <h1>MlOps dashboard</h1>
          {{(message is null ? "" : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(message)}</p>")}}
          <label for="t">Token (printed by the AppHost)</label>
          <input id="t" name="t" type="password" autocomplete="off" autofocus>
          <button type="submit">Log in</button>
        </form></body></html>
        """, "text/html; charset=utf-8", statusCode: status);
}
