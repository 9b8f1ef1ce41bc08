using MlOps.Serving.Input;
using Npgsql;
using NpgsqlTypes;

namespace MlOps.Serving.Monitoring.Log;

/// <summary>One ground-truth label for one logged prediction (a request id, and the row for a batch request).</summary>
/// <param name="Key">Where the item is in the body, for error keys (<c>[3]</c>, or empty for a single object).</param>
/// <param name="RequestId">The request id the prediction answered with.</param>
/// <param name="Row">The row's index in a batch request (0 for a single one).</param>
/// <param name="Label">The true label, 0 or 1.</param>
public sealed record FeedbackItem(string Key, Guid RequestId, int Row, short Label);

/// <summary>
/// Joins feedback to the prediction log in one transaction: every item names a logged prediction that has no label
/// yet, or nothing is written and each bad item is named (unknown, or already labelled).
/// </summary>
public sealed class FeedbackStore(PredictionLog log)
{
    private const string Table = PredictionLogSchema.Table;

    /// <summary>Writes the labels; false with <paramref name="errors"/> naming the items when any cannot be joined.</summary>
    public async Task<bool> TryJoinAsync(IReadOnlyList<FeedbackItem> items, InputErrors errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(errors);
        var dataSource = log.DataSource ?? throw new InvalidOperationException("The prediction log is off.");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand(
            $"""
            update {Table} p set feedback_label = u.label, feedback_at = now()
            from unnest($1::uuid[], $2::integer[], $3::smallint[]) as u(request_id, row_index, label)
            where p.request_id = u.request_id and p.row_index = u.row_index and p.feedback_label is null
            """, connection, transaction))
        {
            AddItems(update, items);
            if (await update.ExecuteNonQueryAsync(cancellationToken) == items.Count)
            {
                await transaction.CommitAsync(cancellationToken);
                return true;
            }
        }

        await transaction.RollbackAsync(cancellationToken);
        await NameBadItemsAsync(connection, items, errors, cancellationToken);
        return false;
    }

    private static async Task NameBadItemsAsync(NpgsqlConnection connection, IReadOnlyList<FeedbackItem> items, InputErrors errors,
        CancellationToken cancellationToken)
    {
        await using var check = new NpgsqlCommand(
            $"""
            select u.item, p.request_id is not null, p.feedback_label is not null
            from unnest($1::uuid[], $2::integer[], $3::smallint[], $4::integer[]) as u(request_id, row_index, label, item)
            left join {Table} p on p.request_id = u.request_id and p.row_index = u.row_index
            """, connection);
        AddItems(check, items);
        check.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, items.Count).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        await using var reader = await check.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var item = items[reader.GetInt32(0)];
            if (!reader.GetBoolean(1))
            {
                errors.Add(Field(item, "request_id"), item.Row == 0
                    ? $"No prediction {item.RequestId} is in the log (unknown, past retention, or not written yet)."
                    : $"No prediction {item.RequestId} row {item.Row} is in the log (unknown, past retention, or not written yet).");
            }
            else if (reader.GetBoolean(2))
            {
                errors.Add(Field(item, "request_id"), $"Prediction {item.RequestId} row {item.Row} already has feedback; a label is given once.");
            }
        }
    }

    internal static string Field(FeedbackItem item, string field) => item.Key.Length == 0 ? field : $"{item.Key}.{field}";

    private static void AddItems(NpgsqlCommand command, IReadOnlyList<FeedbackItem> items)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = items.Select(i => i.RequestId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = items.Select(i => i.Row).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = items.Select(i => i.Label).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
    }
}
