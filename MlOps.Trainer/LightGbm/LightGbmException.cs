namespace MlOps.Trainer.LightGbm;

/// <summary>A LightGBM C API call returned an error; the message is LightGBM's own (LGBM_GetLastError).</summary>
public sealed class LightGbmException(string message, Exception? innerException = null) : Exception(message, innerException);
