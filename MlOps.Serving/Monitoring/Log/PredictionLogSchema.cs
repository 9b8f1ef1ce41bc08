using Npgsql;

namespace MlOps.Serving.Monitoring.Log;

/// <summary>
/// The prediction log's table, created by serving itself on start (idempotent; an advisory lock keeps replicas
/// starting together from racing). One row per scored row: the request id the client was given (with the row's
/// index for batches), the model and its answer, the inputs as JSON, the challenger's answer, and the feedback.
/// </summary>
internal static class PredictionLogSchema
{
    public const string Table = "serving_predictions";

    public const string Columns =
        "request_id, row_index, predicted_at, model_name, model_version, threshold, probability, label, inputs, trace_id, " +
        "challenger_version, challenger_probability, challenger_label";

    private const string Ddl = $"""
        select pg_advisory_xact_lock(hashtext('{Table}'));
        create table if not exists {Table} (
            request_id uuid not null,
            row_index integer not null,
            predicted_at timestamptz not null,
            model_name text not null,
            model_version text not null,
            threshold double precision not null,
            probability real not null,
            label bigint not null,
            inputs jsonb not null,
            trace_id text,
            challenger_version text,
            challenger_probability real,
            challenger_label bigint,
            feedback_label smallint,
            feedback_at timestamptz,
            primary key (request_id, row_index));
        create index if not exists {Table}_predicted_at on {Table} (predicted_at);
        create index if not exists {Table}_labelled on {Table} (predicted_at) where feedback_label is not null;
        """;

    public static async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(Ddl, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
