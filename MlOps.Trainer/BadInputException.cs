namespace MlOps.Trainer;

/// <summary>
/// Input the user can fix (a file, column, value or option). The command line prints the message on one line
/// and exits with code 2; keep the message to one sentence that names the file, column or value.
/// </summary>
public sealed class BadInputException(string message, Exception? innerException = null) : Exception(message, innerException);
