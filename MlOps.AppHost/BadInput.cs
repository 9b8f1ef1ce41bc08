namespace MlOps.AppHost;

internal static class BadInput
{
    /// <summary>One line on stderr and exit code 1: bad settings are never a stack trace.</summary>
    public static int Exit(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 1;
    }
}
