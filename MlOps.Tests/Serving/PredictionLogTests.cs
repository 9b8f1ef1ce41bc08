using System.Net;
using System.Text.Json;
using MlOps.Tests.Infrastructure;
using Npgsql;

namespace MlOps.Tests.Serving;

/// <summary>The prediction log on a real PostgreSQL: what is written, what an outage costs, retention.</summary>
[Collection(ServingModelsCollection.Name)]
public sealed class PredictionLogTests(ServingModelsFixture models, PostgresFixture postgres)
{
    [Fact]
    public async Task EveryPrediction_IsLogged_WithItsInputsModelScoreAndRequestId()
    {
        using var temp = new TempDirectory();
        var database = await postgres.CreateDatabaseAsync();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp), MonitoredServing.Settings(database));
        using var client = app.CreateClient();
        var version = (await ServingApp.WaitHealthyAsync(client)).GetProperty("model").GetProperty("version").GetString();
        var data = ServingTestData.Create(models.CardA, 12, seed: 41);
        var (labels, probabilities) = data.ExpectedScores(models.ModelA);

        var single = await MonitoredServing.PostOkAsync(client, "/predict", data.Single(0));
        var batch = await MonitoredServing.PostOkAsync(client, "/predict/batch", new Dictionary<string, object> { ["instances"] = data.Rows.Skip(1).ToArray() });
        using var invocation = await ServingTestData.PostAsync(client, "/invocations", data.Invocations("dataframe_records")).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, invocation.StatusCode);
        var invocationId = Assert.Single(invocation.Headers.GetValues("X-Request-Id"));
        await HealthWaiter.WaitAsync(client, "/monitoring/log", l => l.GetProperty("written").GetInt64() == 1 + 11 + 12);

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync().DefaultTimeout();
        var singleId = Guid.Parse(single.GetProperty("request_id").GetString()!);
        var row = await ReadRowAsync(connection, singleId, 0);
        Assert.Equal(version, row.Version);
        Assert.Equal(probabilities[0], row.Probability);
        Assert.Equal(labels[0], row.Label);
        Assert.Equal(models.CardA.Threshold.Value, row.Threshold);
        Assert.Matches("^[0-9a-f]{32}$", row.TraceId);
        foreach (var feature in models.CardA.Features)
        {
            var sent = data.Rows[0][feature.Name];
            var logged = row.Inputs.GetProperty(feature.Name);
            Assert.True(sent is null ? logged.ValueKind == JsonValueKind.Null : sent is double d ? logged.GetDouble() == d : logged.GetString() == (string)sent,
                $"{feature.Name}: sent {sent}, logged {logged}");
        }

        var batchId = Guid.Parse(batch.GetProperty("request_id").GetString()!);
        for (var i = 0; i < 11; i++)
        {
            Assert.Equal(probabilities[i + 1], (await ReadRowAsync(connection, batchId, i)).Probability);
        }

        Assert.Equal(12, await MonitoredServing.CountAsync(database, $"select count(*) from serving_predictions where request_id = '{invocationId}'"));
    }

    [Fact]
    public async Task WithoutADatabase_PredictionsWork_AndTheLogSaysWhyItIsOff()
    {
        using var temp = new TempDirectory();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp), MonitoredServing.Settings());
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);

        var answer = await MonitoredServing.PostOkAsync(client, "/predict", ServingTestData.Create(models.CardA, 1, seed: 42).Single(0));

        Assert.False(answer.TryGetProperty("request_id", out _));
        var log = (await HealthWaiter.WaitAsync(client, "/monitoring/log", _ => true)).Body;
        Assert.Equal("off", log.GetProperty("status").GetString());
        Assert.Contains("ConnectionStrings:servingdb", log.GetProperty("reason").GetString(), StringComparison.Ordinal);
        using var feedback = await ServingTestData.PostAsync(client, "/feedback", new { request_id = Guid.NewGuid(), label = 1 }).DefaultTimeout();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, feedback.StatusCode);
    }

    [Fact]
    public async Task DatabaseRestart_NoRequestFails_RowsDuringTheOutageAreDroppedAndCounted_AndLoggingResumes()
    {
        // A PostgreSQL of this test's own, since the test stops it.
        await using var server = new OwnPostgres();
        await server.Fixture.InitializeAsync().DefaultTimeout();
        var database = await server.Fixture.CreateDatabaseAsync();
        using var temp = new TempDirectory();
        using var meters = new ServingMeters();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp), MonitoredServing.Settings(database));
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var data = ServingTestData.Create(models.CardA, 20, seed: 43);
        var sent = 0;

        sent += await PredictManyAsync(client, data, 40);
        await HealthWaiter.WaitAsync(client, "/monitoring/log", l => l.GetProperty("written").GetInt64() == sent);

        await server.Fixture.StopAsync(immediate: false);
        sent += await PredictManyAsync(client, data, 40);
        var down = (await HealthWaiter.WaitAsync(client, "/monitoring/log", l => l.GetProperty("dropped_database").GetInt64() > 0)).Body;
        Assert.Equal("unavailable", down.GetProperty("status").GetString());
        sent += await PredictManyAsync(client, data, 40);

        await server.Fixture.RestartAsync();
        var afterRestart = await PredictAsync(client, data.Single(0));
        sent++;
        var log = (await HealthWaiter.WaitAsync(client, "/monitoring/log", l =>
            l.GetProperty("written").GetInt64() + l.GetProperty("dropped_database").GetInt64() + l.GetProperty("dropped_queue_full").GetInt64() == sent
            && l.GetProperty("queued").GetInt64() == 0)).Body;

        var written = log.GetProperty("written").GetInt64();
        var dropped = log.GetProperty("dropped_database").GetInt64() + log.GetProperty("dropped_queue_full").GetInt64();
        Assert.True(dropped >= 1, $"nothing was dropped: {log}");
        Assert.Equal("on", log.GetProperty("status").GetString());
        Assert.Equal(written, await MonitoredServing.CountAsync(database, "select count(*) from serving_predictions"));
        Assert.Equal(1, await MonitoredServing.CountAsync(database, $"select count(*) from serving_predictions where request_id = '{afterRestart}'"));
        Assert.Equal(dropped, meters.Of(app, "mlops.serving.log.dropped").Sum(m => m.Value));
    }

    [Fact]
    public async Task Retention_DeletesRowsOlderThanTheSetting()
    {
        using var temp = new TempDirectory();
        var database = await postgres.CreateDatabaseAsync();
        var settings = MonitoredServing.Settings(database);
        settings["Monitoring:Log:RetentionDays"] = "30";
        settings["Monitoring:Log:RetentionInterval"] = "00:00:00.200";
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp), settings);
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var data = ServingTestData.Create(models.CardA, 3, seed: 44);
        var old = await PredictAsync(client, data.Single(0));
        var recent = await PredictAsync(client, data.Single(1));
        await HealthWaiter.WaitAsync(client, "/monitoring/log", l => l.GetProperty("written").GetInt64() == 2);

        await MonitoredServing.CountAsync(database,
            $"with aged as (update serving_predictions set predicted_at = now() - interval '31 days' where request_id = '{old}' returning 1) select count(*) from aged");

        using var timeout = new CancellationTokenSource(TaskTimeoutExtensions.DefaultTimeoutDuration);
        while (await MonitoredServing.CountAsync(database, $"select count(*) from serving_predictions where request_id = '{old}'") > 0)
        {
            await Task.Delay(100, timeout.Token);
        }

        Assert.Equal(1, await MonitoredServing.CountAsync(database, $"select count(*) from serving_predictions where request_id = '{recent}'"));
    }

    private static async Task<int> PredictManyAsync(HttpClient client, ServingTestData data, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await PredictAsync(client, data.Single(i % data.Rows.Count));
        }

        return count;
    }

    private static async Task<string> PredictAsync(HttpClient client, object row) =>
        (await MonitoredServing.PostOkAsync(client, "/predict", row)).GetProperty("request_id").GetString()!;


    private static async Task<(string Version, float Probability, long Label, double Threshold, string TraceId, JsonElement Inputs)> ReadRowAsync(
        NpgsqlConnection connection, Guid requestId, int row)
    {
        await using var command = new NpgsqlCommand(
            "select model_version, probability, label, threshold, trace_id, inputs::text from serving_predictions where request_id = $1 and row_index = $2",
            connection);
        command.Parameters.AddWithValue(requestId);
        command.Parameters.AddWithValue(row);
        await using var reader = await command.ExecuteReaderAsync().DefaultTimeout();
        Assert.True(await reader.ReadAsync().DefaultTimeout(), $"no row {row} of request {requestId}");
        return (reader.GetString(0), reader.GetFloat(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetString(4),
            JsonDocument.Parse(reader.GetString(5)).RootElement);
    }

    private sealed class OwnPostgres : IAsyncDisposable
    {
        public PostgresFixture Fixture { get; } = new();

        public async ValueTask DisposeAsync() => await Fixture.DisposeAsync();
    }
}
