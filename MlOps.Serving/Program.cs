using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using MlOps.Mlflow;
using MlOps.Serving.Api;
using MlOps.Serving.Model;
using MlOps.Serving.Telemetry;
using Scalar.AspNetCore;

namespace MlOps.Serving;

/// <summary>The serving app's entry point; public so integration tests can start it with WebApplicationFactory.</summary>
public partial class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults(ServingTelemetry.Name);
        builder.Services.AddOptions<ServingOptions>().Configure<IConfiguration>(ServingOptions.Bind);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServingJsonContext.Default);
        });
        builder.Services.AddOpenApi(openApi => openApi.AddOperationTransformer<RequestExampleTransformer>());

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServingTelemetry>();
        builder.Services.AddSingleton<LocalModelSource>();
        builder.Services.AddSingleton<RegistryModelSource>();
        // The source is picked by the URI's scheme when first needed, once configuration is complete.
        builder.Services.AddSingleton<IModelSource>(sp =>
            RegistryModelSource.IsRegistryUri(sp.GetRequiredService<IOptions<ServingOptions>>().Value.ModelUri)
                ? sp.GetRequiredService<RegistryModelSource>()
                : sp.GetRequiredService<LocalModelSource>());
        // Resolved only for registry URIs; without MLFLOW_TRACKING_URI the load fails with that reason.
        builder.Services.AddMlflowClient();
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddSingleton<ScoringPipeline>();
        // The server listens at once; the model loads (and retries) in the background.
        builder.Services.AddHostedService<ModelLoadingService>();
        builder.Services.AddHostedService<AliasPollingService>();

        var app = builder.Build();

        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        app.MapDefaultEndpoints(mapHealth: false);
        app.MapHealthApi();
        app.MapPredictApi();
        app.MapInvocationsApi();
        app.MapAdminApi();

        app.Run();
    }
}
