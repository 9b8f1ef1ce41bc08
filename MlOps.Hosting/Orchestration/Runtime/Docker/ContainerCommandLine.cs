using System.Globalization;

namespace MlOps.Hosting.Orchestration.Runtime.Docker;

/// <summary>The labels and names that tie containers and networks to one AppHost, and the <c>create</c> command line.</summary>
internal static class ContainerCommandLine
{
    /// <summary>Label: the AppHost (hash of its folder and data folder), so leftovers of a crashed run are found.</summary>
    public const string AppHostLabel = "io.mlops.apphost";

    /// <summary>Label: the resource name.</summary>
    public const string ResourceLabel = "io.mlops.resource";

    /// <summary>The 8-hex id of an AppHost: stable across its runs, different for another folder or data folder.</summary>
    public static string AppHostId(string appHostDirectory, string dataDirectory)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            Path.GetFullPath(appHostDirectory) + "\n" + Path.GetFullPath(dataDirectory)));
        return Convert.ToHexStringLower(bytes)[..8];
    }

    public static string NetworkName(string appHostId) => $"mlops-{appHostId}";

    public static string ContainerName(string appHostId, string resourceName) => $"mlops-{appHostId}-{resourceName}";

    /// <summary>The arguments of <c>docker create</c>. Environment values are not on the command line: <c>-e NAME</c>
    /// takes the value from the CLI's own environment, so secrets never show in <c>ps</c>.</summary>
    public static List<string> Create(ContainerLaunchSpec spec, string appHostId, string? user)
    {
        var args = new List<string>
        {
            "create", "--name", ContainerName(appHostId, spec.ResourceName),
            "--label", $"{AppHostLabel}={appHostId}", "--label", $"{ResourceLabel}={spec.ResourceName}",
            "--network", NetworkName(appHostId), "--network-alias", spec.ResourceName,
            // Processes on the host (the dashboard's OTLP receiver) as seen from the container.
            "--add-host", "host.docker.internal:host-gateway",
        };
        foreach (var port in spec.Ports)
        {
            var bind = port.IsExternal ? "" : "127.0.0.1:";
            args.AddRange(["-p", $"{bind}{port.HostPort.ToString(CultureInfo.InvariantCulture)}:{port.TargetPort.ToString(CultureInfo.InvariantCulture)}"]);
        }

        foreach (var name in spec.Environment.Keys)
        {
            args.AddRange(["-e", name]);
        }

        foreach (var mount in spec.Mounts)
        {
            var type = mount.IsVolume ? "volume" : "bind";
            args.AddRange(["--mount", $"type={type},source={mount.Source},target={mount.Target}{(mount.IsReadOnly ? ",readonly" : "")}"]);
        }

        if (user is not null)
        {
            args.AddRange(["--user", user]);
        }

        if (spec.Entrypoint is not null)
        {
            args.AddRange(["--entrypoint", spec.Entrypoint]);
        }

        args.AddRange(spec.RuntimeArgs);
        args.Add(spec.Image);
        args.AddRange(spec.Args);
        return args;
    }

    /// <summary>The arguments of the image build.</summary>
    public static List<string> Build(ContainerBuild build, string image, string idFile, bool buildKit, bool isPodman,
        IReadOnlyDictionary<string, string> secrets)
    {
        var args = new List<string> { "build", "-f", build.DockerfilePath, "-t", image, "--iidfile", idFile };
        if (buildKit)
        {
            if (!isPodman)
            {
                args.Add("--progress=plain");
            }

            foreach (var (id, path) in secrets)
            {
                args.AddRange(["--secret", $"id={id},src={path}"]);
            }
        }

        foreach (var (name, value) in build.BuildArgs)
        {
            args.AddRange(["--build-arg", $"{name}={value}"]);
        }

        args.Add(build.ContextPath);
        return args;
    }
}
