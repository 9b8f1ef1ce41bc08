namespace MlOps.Tracking.Ui;

/// <summary>The UI's addresses, relative to the base href, in one place.</summary>
public static class UiLinks
{
    public static string Experiment(string experimentId) => $"experiments/{Uri.EscapeDataString(experimentId)}";

    public static string Run(string runId) => $"runs/{Uri.EscapeDataString(runId)}";

    public static string Models => "models";

    public static string Model(string name, string? version = null) =>
        $"models/{Uri.EscapeDataString(name)}" + (version is null ? "" : $"#v{Uri.EscapeDataString(version)}");

    public static string Compare(IEnumerable<string> runIds) =>
        "compare?" + string.Join('&', runIds.Select(id => "runs=" + Uri.EscapeDataString(id)));
}
