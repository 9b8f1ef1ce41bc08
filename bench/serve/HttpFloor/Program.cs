// The HTTP floor for bench/serve: Kestrel answering POST /predict with a constant JSON body, nothing else.
// Whatever the serving API costs above this is JSON parsing, scoring and telemetry.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var body = """{"prediction":0,"probability":0.0123,"threshold":0.5,"model":{"name":"floor","version":"0"}}"""u8.ToArray();
app.MapPost("/predict", () => TypedResults.Bytes(body, "application/json"));
app.Run();
