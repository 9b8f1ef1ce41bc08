using System.Net.Sockets;
using Npgsql;

namespace MlOps.Tracking.Infrastructure;

/// <summary>Whether a failure means the database cannot be reached or is going away, rather than a bad request.</summary>
internal static class DatabaseUnavailable
{
    public static bool Is(Exception exception) => exception switch
    {
        // 08: connection exceptions; 57P01-57P03: shutdown or starting up; 53300: too many connections.
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SocketException or TimeoutException => true,
        _ => exception.InnerException is { } inner && Is(inner),
    };
}
