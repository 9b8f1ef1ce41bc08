using MlOps.Trainer.Onnx;

namespace MlOps.Tests.Trainer.Onnx;

/// <summary>The hand-written LightGBM model texts under Fixtures/lightgbm and the specs that go with them.</summary>
internal static class OnnxFixtures
{
    public const string Numeric = "binary_numeric.txt";
    public const string Categorical = "binary_categorical.txt";
    public const string Regression = "regression.txt";

    public static readonly IReadOnlyList<string> MerchantCategories =
        [.. Enumerable.Range(0, 72).Select(i => $"m{i:D2}")];

    public static readonly IReadOnlyList<string> Countries = ["DE", "FR", "NL", "BE", "AT"];

    public static string Text(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "lightgbm", name));

    public static GbdtModel Model(string name) => LightGbmModelText.Parse(Text(name));

    public static OnnxExportSpec NumericSpec(double threshold = 0.5) => Spec(
        [
            OnnxFeature.Numeric("amount"),
            OnnxFeature.Numeric("age"),
            OnnxFeature.Numeric("balance"),
            OnnxFeature.Numeric("score"),
        ],
        threshold);

    public static OnnxExportSpec CategoricalSpec(double threshold = 0.5) => Spec(
        [
            OnnxFeature.Numeric("amount"),
            OnnxFeature.Categorical("merchant_category", MerchantCategories),
            OnnxFeature.Categorical("country", Countries),
        ],
        threshold);

    public static OnnxExportSpec Spec(IReadOnlyList<OnnxFeature> features, double threshold = 0.5) => new(
        features,
        threshold,
        "fraud_model",
        "1.2.3-test",
        new Dictionary<string, string>
        {
            ["target"] = "is_fraud",
            ["decision_threshold"] = threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["algorithm"] = "lightgbm",
        });
}
