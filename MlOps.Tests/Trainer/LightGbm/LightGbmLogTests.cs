using Microsoft.Extensions.Logging;
using MlOps.Trainer.LightGbm;

namespace MlOps.Tests.Trainer.LightGbm;

public sealed class LightGbmLogTests
{
    [Fact]
    public void RouteTo_LightGbmWarning_ReachesTheLoggerAsOneRecord()
    {
        var logger = new RecordingLogger();
        using (LightGbmLog.RouteTo(logger))
        {
            // An unknown parameter makes LightGBM warn on the calling thread.
            var data = SyntheticData.Separable(200, seed: 1);
            using var dataset = LightGbmDataset.Create(data.ColumnMajor, data.Rows, data.Columns, data.Labels,
                "objective=binary verbosity=0 num_threads=1 no_such_parameter_here=3");
        }

        var record = Assert.Single(logger.Records, r => r.Message.Contains("no_such_parameter_here", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.StartsWith("LightGBM: ", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("[LightGBM]", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', record.Message);
    }

    [Theory]
    [InlineData("[LightGBM] [Warning] Met negative value", LogLevel.Warning, "Met negative value")]
    [InlineData("[LightGBM] [Info] Number of positive: 10", LogLevel.Debug, "Number of positive: 10")]
    [InlineData("[LightGBM] [Fatal] Cannot open file", LogLevel.Error, "Cannot open file")]
    [InlineData("[LightGBM] [Warning] No further splits with positive gain, best gain: -inf", LogLevel.Debug, "No further splits with positive gain, best gain: -inf")]
    public void Parse_LevelTag_MapsToLogLevel(string line, LogLevel level, string text)
    {
        Assert.Equal((level, text), LightGbmLog.Parse(line));
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Records { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Records)
            {
                Records.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
