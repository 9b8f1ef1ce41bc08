namespace MlOps.Tests.Infrastructure;

/// <summary>Every await in a test goes through one of these, so a hung dependency fails the test instead of CI.</summary>
public static class TaskTimeoutExtensions
{
    /// <summary>The timeout a test waits for any single operation unless it says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeoutDuration = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("MLOPS_TEST_TIMEOUT_SECONDS"), out var s) && s > 0 ? s : 120);

    public static Task DefaultTimeout(this Task task, TimeSpan? timeout = null) =>
        task.WaitAsync(timeout ?? DefaultTimeoutDuration);

    public static Task<T> DefaultTimeout<T>(this Task<T> task, TimeSpan? timeout = null) =>
        task.WaitAsync(timeout ?? DefaultTimeoutDuration);

    public static Task DefaultTimeout(this ValueTask task, TimeSpan? timeout = null) =>
        task.AsTask().WaitAsync(timeout ?? DefaultTimeoutDuration);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task, TimeSpan? timeout = null) =>
        task.AsTask().WaitAsync(timeout ?? DefaultTimeoutDuration);
}
