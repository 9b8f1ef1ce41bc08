namespace MlOps.AppHost;

internal static class Serving
{
    /// <summary>The header serving's <c>/admin</c> endpoints want (MlOps.Serving's <c>AdminApi.ApiKeyHeader</c>).</summary>
    private const string ApiKeyHeader = "X-Api-Key";

    /// <summary>While running: a model cache in the data folder (kept between runs), a quick follow of the alias, and the
    /// AppHost's environment (Development maps the API reference; the services have no launch profile of their own).</summary>
    public static IResourceBuilder<ProjectResource> WithDevelopmentSettings(this IResourceBuilder<ProjectResource> serving, AppHostSettings settings) =>
        serving.WithEnvironment(context =>
        {
            if (context.ExecutionContext.IsRunMode)
            {
                context.EnvironmentVariables["Model__CacheDirectory"] = settings.HostPath("model-cache");
                context.EnvironmentVariables["Model__PollInterval"] = settings.PollInterval;
                context.EnvironmentVariables["ASPNETCORE_ENVIRONMENT"] = serving.ApplicationBuilder.Environment.EnvironmentName;
            }
        });

    /// <summary>The "Reload model" command: <c>POST /admin/reload</c> with the generated admin key, which serving gets as
    /// <c>Admin__ApiKey</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithReloadModelCommand(this IResourceBuilder<ProjectResource> serving,
        IResourceBuilder<ParameterResource> adminKey) =>
        serving.WithEnvironment("Admin__ApiKey", adminKey)
            .WithHttpCommand("/admin/reload", "Reload model", commandName: "reload-model", commandOptions: new HttpCommandOptions
            {
                Method = HttpMethod.Post,
                Description = "Load the model MODEL_URI points at now (the registry's production version), without a restart.",
                IconName = "ArrowSync",
                PrepareRequest = async context =>
                    context.Request.Headers.Add(ApiKeyHeader, await adminKey.Resource.GetValueAsync(context.CancellationToken).ConfigureAwait(false)),
            });

    /// <summary>The dashboard's links: the API itself and its interactive reference (Scalar, from the OpenAPI document).</summary>
    public static IResourceBuilder<ProjectResource> WithApiLinks(this IResourceBuilder<ProjectResource> serving) =>
        serving.WithUrlForEndpoint("http", url => url.DisplayText = "Serving API")
            .WithUrls(context =>
            {
                if (context.Urls.FirstOrDefault(u => u.Endpoint?.EndpointName == "http") is { } api)
                {
                    context.Urls.Add(new ResourceUrlAnnotation { Url = api.Url.TrimEnd('/') + "/scalar", DisplayText = "API reference (OpenAPI)", Endpoint = api.Endpoint });
                    context.Urls.Add(new ResourceUrlAnnotation { Url = api.Url.TrimEnd('/') + "/openapi/v1.json", DisplayText = "OpenAPI document", Endpoint = api.Endpoint });
                }
            });
}
