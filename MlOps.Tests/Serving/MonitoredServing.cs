using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Serving.Telemetry;
using Npgsql;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Serving;

/// <summary>Settings and probes for serving with monitoring on: short intervals so a test sees results in moments.</summary>
public static class MonitoredServing
{
    /// <summary>Monitoring settings for a test; <paramref name="database"/> turns the prediction log on.</summary>
    public static Dictionary<string, string?> Settings(string? database = null, int windowSize = 500, int minRows = 100) => new()
    {
        ["ConnectionStrings:servingdb"] = database,
        ["Monitoring:Log:FlushInterval"] = "00:00:00.100",
        ["Monitoring:Log:RetryMaxDelay"] = "00:00:00.500",
        ["Monitoring:Drift:Interval"] = "00:00:00.100",
        ["Monitoring:Drift:WindowSize"] = windowSize.ToString(CultureInfo.InvariantCulture),
        ["Monitoring:Drift:MinRows"] = minRows.ToString(CultureInfo.InvariantCulture),
        ["Monitoring:Quality:Interval"] = "00:00:00.200",
        ["Monitoring:Shadow:WindowSize"] = "1000",
    };

    /// <summary>Posts <paramref name="body"/> as JSON and returns the answer, failing with it unless it is 200.</summary>
    public static async Task<JsonElement> PostOkAsync(HttpClient client, string path, object body)
    {
        using var response = await ServingTestData.PostAsync(client, path, body).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().DefaultTimeout();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync().DefaultTimeout(), CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Listens to one serving app's meter (other apps run in the same process: their meters share the name but not the
/// app's meter factory, which is the meter's scope), keeping every measurement and the last value of each gauge.
/// </summary>
public sealed class ServingMeters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(object? Scope, string Instrument, double Value, Dictionary<string, object?> Tags)> _all = new();

    public ServingMeters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ServingTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => _all.Enqueue((i.Meter.Scope, i.Name, v, ToDictionary(tags))));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => _all.Enqueue((i.Meter.Scope, i.Name, v, ToDictionary(tags))));
        _listener.Start();
    }

    /// <summary>Every measurement of <paramref name="instrument"/> from <paramref name="app"/>, gauges observed now.</summary>
    public IReadOnlyList<(double Value, Dictionary<string, object?> Tags)> Of(ServingApp app, string instrument)
    {
        _listener.RecordObservableInstruments();
        var scope = app.Services.GetRequiredService<IMeterFactory>();
        return [.. _all.Where(m => ReferenceEquals(m.Scope, scope) && m.Instrument == instrument).Select(m => (m.Value, m.Tags))];
    }

    public void Dispose() => _listener.Dispose();

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            result[key] = value;
        }

        return result;
    }
}
