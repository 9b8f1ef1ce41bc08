namespace MlOps.Trainer.Remotes;

/// <summary>
/// A remote that failed (unreachable, an error from the store, a corrupt object): the command line prints the message
/// on one line and exits with code 1. Input the user can fix (config, credentials, names) is a <see cref="BadInputException"/>.
/// </summary>
public sealed class DataRemoteException(string message, Exception? innerException = null) : Exception(message, innerException);
