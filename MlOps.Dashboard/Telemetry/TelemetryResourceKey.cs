namespace MlOps.Dashboard.Telemetry;

/// <summary>Who sent telemetry: the <c>service.name</c> and <c>service.instance.id</c> resource attributes.</summary>
/// <param name="ServiceName">The service name (<c>unknown_service</c> when the sender gave none).</param>
/// <param name="InstanceId">The instance id, when the sender gave one.</param>
public readonly record struct TelemetryResourceKey(string ServiceName, string? InstanceId)
{
    /// <summary>The resource's id in the store and the API: the service name, followed by <c>-instance</c> when the
    /// instance id is set and differs from the name.</summary>
    public string Id => string.IsNullOrEmpty(InstanceId) || InstanceId == ServiceName ? ServiceName : $"{ServiceName}-{InstanceId}";
}
