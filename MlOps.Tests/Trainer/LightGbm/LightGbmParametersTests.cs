using System.Globalization;
using MlOps.Trainer.LightGbm;

namespace MlOps.Tests.Trainer.LightGbm;

public sealed class LightGbmParametersTests
{
    [Fact]
    public void ToParameterString_CommaDecimalCulture_UsesInvariantFormatting()
    {
        var parameters = new LightGbmParameters { LearningRate = 0.05, NumThreads = 3, ScalePositiveWeight = 2.5 };
        var commaCulture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commaCulture.NumberFormat.NumberDecimalSeparator = ",";
        commaCulture.NumberFormat.NegativeSign = "~";
        var previous = CultureInfo.CurrentCulture;
        string text;
        try
        {
            CultureInfo.CurrentCulture = commaCulture;
            text = parameters.ToParameterString([]);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Equal(parameters.ToParameterString([]), text);
        Assert.Contains("learning_rate=0.05 ", text, StringComparison.Ordinal);
        Assert.Contains("scale_pos_weight=2.5 ", text, StringComparison.Ordinal);
        Assert.Contains("max_depth=-1 ", text, StringComparison.Ordinal);
        Assert.Contains("min_sum_hessian_in_leaf=0.001 ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",05", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToParameterString_Defaults_ContainsFixedTrainingSettings()
    {
        var text = new LightGbmParameters { NumThreads = 4 }.ToParameterString([]);
        var pairs = text.Split(' ').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

        Assert.Equal("binary", pairs["objective"]);
        Assert.Equal("binary_logloss", pairs["metric"]);
        Assert.Equal("true", pairs["deterministic"]);
        Assert.Equal("true", pairs["force_row_wise"]);
        Assert.Equal("4", pairs["num_threads"]);
        Assert.Equal("0", pairs["verbosity"]);
        Assert.Equal("cpu", pairs["device_type"]);
        Assert.Equal("42", pairs["seed"]);
        Assert.Equal("43", pairs["bagging_seed"]);
        Assert.Equal("500", pairs["num_iterations"]);
        Assert.False(pairs.ContainsKey("categorical_feature"));
        Assert.False(pairs.ContainsKey("scale_pos_weight"));
    }

    [Fact]
    public void ToParameterString_SameParametersTwice_IdenticalText()
    {
        var first = new LightGbmParameters { Seed = 7 }.ToParameterString([3, 0]);
        var second = new LightGbmParameters { Seed = 7 }.ToParameterString([0, 3]);

        Assert.Equal(first, second);
        Assert.EndsWith(" categorical_feature=0,3", first, StringComparison.Ordinal);
    }

    [Fact]
    public void ToParameterString_ZeroThreads_WritesProcessorCount()
    {
        var text = new LightGbmParameters { NumThreads = 0 }.ToParameterString([]);

        Assert.Contains($"num_threads={Environment.ProcessorCount} ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToParameterString_UnknownDevice_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new LightGbmParameters { Device = "tpu" }.ToParameterString([]));
    }

    [Fact]
    public void SqrtScalePositiveWeight_OnePositiveInFive_IsSqrtFour()
    {
        Assert.Equal(2.0, LightGbmParameters.SqrtScalePositiveWeight([1f, 0f, 0f, 0f, 0f]));
        Assert.Equal(1.0, LightGbmParameters.SqrtScalePositiveWeight([0f, 0f]));
    }
}
