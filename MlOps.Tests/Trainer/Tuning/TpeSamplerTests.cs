using MlOps.Trainer.Tuning;

namespace MlOps.Tests.Trainer.Tuning;

public sealed class TpeSamplerTests
{
    private static readonly SearchSpace s_space = SearchSpace.Parse(
        """{ "learning_rate": { "low": 0.001, "high": 1.0, "log": true }, "class_weight": { "choices": ["none", "sqrt", "balanced"] } }""", "test");

    [Fact]
    public void Next_SameSeedAndHistory_SameValues()
    {
        var first = Search(seed: 5, startup: 5, trials: 20);
        var second = Search(seed: 5, startup: 5, trials: 20);

        Assert.Equal(first.Select(o => o.Values["learning_rate"]), second.Select(o => o.Values["learning_rate"]));
        Assert.NotEqual(first.Select(o => o.Values["learning_rate"]), Search(seed: 6, startup: 5, trials: 20).Select(o => o.Values["learning_rate"]));
    }

    [Fact]
    public void Next_AfterStartup_ConcentratesNearTheOptimumMoreThanRandomSearch()
    {
        // The objective peaks at learning_rate 0.05; random search is the same sampler never leaving its startup.
        var space = SearchSpace.Parse("""{ "learning_rate": { "low": 0.001, "high": 1.0, "log": true } }""", "test");
        double tpe = 0, random = 0;
        for (var seed = 1; seed <= 5; seed++)
        {
            // How far, on average, the last 20 of 40 trials land from the optimum (log scale).
            tpe += Search(space, seed, startup: 6, trials: 40).Skip(20).Average(o => -o.Objective);
            random += Search(space, seed, startup: 1000, trials: 40).Skip(20).Average(o => -o.Objective);
        }

        Assert.True(tpe < random / 4, $"mean squared log distance: TPE {tpe / 5:F4}, random {random / 5:F4}");
    }

    private static List<Observation> Search(int seed, int startup, int trials) => Search(s_space, seed, startup, trials);

    private static List<Observation> Search(SearchSpace space, int seed, int startup, int trials)
    {
        var sampler = new TpeSampler(space, seed, startup);
        var done = new List<Observation>();
        for (var trial = 1; trial <= trials; trial++)
        {
            var values = sampler.Next(trial, done);
            var distance = Math.Log(Math.Exp(values["learning_rate"]) / 0.05);
            var objective = -(distance * distance) - (values.TryGetValue("class_weight", out var weight) && weight != 1 ? 0.5 : 0);
            done.Add(new Observation(values, objective));
        }

        return done;
    }
}
