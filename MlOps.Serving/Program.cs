using System.Text.Json;
using System.Text.Json.Serialization;
using MlOps.Serving.Api;
using MlOps.Serving.Monitoring;
using MlOps.Serving.Telemetry;
using Scalar.AspNetCore;

namespace MlOps.Serving;

/// <summary>The serving app's entry point; public so integration tests can start it with WebApplicationFactory.</summary>
public partial class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddAppSettingsFromAppFolder(builder.Environment);

        builder.AddServiceDefaults(ServingTelemetry.Name);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServingJsonContext.Default);
        });
        builder.Services.AddOpenApi(openApi => openApi.AddOperationTransformer<RequestExampleTransformer>());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddServingModels();
        builder.AddServingMonitoring();

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
        app.MapOpenInferenceApi();
        app.MapFeedbackApi();
        app.MapMonitoringApi();
        app.MapAdminApi();

        app.Run();
    }
}
