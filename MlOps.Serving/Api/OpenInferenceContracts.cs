namespace MlOps.Serving.Api;

/// <summary><c>GET /v2</c>: the server's name, version and extensions (none).</summary>
public sealed record OipServerMetadata(string Name, string Version, string[] Extensions);

/// <summary><c>GET /v2/health/live</c>.</summary>
public sealed record OipLive(bool Live);

/// <summary><c>GET /v2/health/ready</c>.</summary>
public sealed record OipReady(bool Ready);

/// <summary><c>GET /v2/models/{name}/ready</c>.</summary>
public sealed record OipModelReady(string Name, bool Ready);

/// <summary>A tensor's name, datatype and shape (-1 for the rows).</summary>
public sealed record OipTensorMetadata(string Name, string Datatype, long[] Shape);

/// <summary><c>GET /v2/models/{name}[/versions/{version}]</c>.</summary>
public sealed record OipModelMetadata(string Name, string[] Versions, string Platform, OipTensorMetadata[] Inputs, OipTensorMetadata[] Outputs);

/// <summary>One output tensor of an inference answer; <see cref="Data"/> is a <c>long[]</c> (INT64) or <c>float[]</c> (FP32).</summary>
public sealed record OipOutput(string Name, long[] Shape, string Datatype, object Data);

/// <summary><c>POST /v2/models/{name}[/versions/{version}]/infer</c> answers.</summary>
public sealed record OipInferenceResponse(string ModelName, string ModelVersion, string? Id, OipOutput[] Outputs);

/// <summary>The protocol's error object: <c>{"error": "…"}</c>.</summary>
public sealed record OipError(string Error);
