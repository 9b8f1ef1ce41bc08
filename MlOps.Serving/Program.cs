using System.Text.Json;
using System.Text.Json.Serialization;
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
        builder.Services.AddSingleton<IModelSource, LocalModelSource>();
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddSingleton<ScoringPipeline>();
        // The server listens at once; the model loads (and retries) in the background.
        builder.Services.AddHostedService<ModelLoadingService>();

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
