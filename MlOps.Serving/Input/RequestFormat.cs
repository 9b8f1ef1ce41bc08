namespace MlOps.Serving.Input;

/// <summary>The body shapes the endpoints take.</summary>
public enum RequestFormat
{
    /// <summary><c>POST /predict</c>: one JSON object, one field per model input.</summary>
    Single,

    /// <summary><c>POST /predict/batch</c>: <c>{"instances": [{…}, …]}</c>.</summary>
    Batch,

    /// <summary>
    /// <c>POST /invocations</c>, MLflow's scoring protocol: exactly one of <c>dataframe_split</c>
    /// (<c>{"columns": […], "data": [[…]]}</c>), <c>dataframe_records</c> (<c>[{…}]</c>), <c>instances</c> or
    /// <c>inputs</c> (records, or an object of columns).
    /// </summary>
    Invocations,
}
