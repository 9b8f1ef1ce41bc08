namespace MlOps.Tests.Mlflow;

/// <summary>The values used in the reference captures, so the client's requests equal the captured ones.</summary>
internal static class Captured
{
    public const string ExperimentName = "smoke-exp-1795488651-18035";
    public const string MissingExperimentName = "does-not-exist-1795488651-18035";
    public const string RunId = "62dbcb19f8464547944d4f58f183219b";
    public const string MissingRunId = "0123456789abcdef0123456789abcdef";
    public const string ArtifactUri = "mlflow-artifacts:/1/62dbcb19f8464547944d4f58f183219b/artifacts";
    public const string ModelSource = ArtifactUri + "/model";
    public const string ModelName = "smoke-model-1795488651-18035";
    public const string MissingModelName = "no-such-model-1795488651-18035";
    public const long RunStart = 1795488655127;
    public const long RunEnd = 1795488661692;
}
