using YamlDotNet.RepresentationModel;

namespace MlOps.Hosting.Compose;

/// <summary><c>--gpus</c> in a container's runtime arguments as a compose NVIDIA device reservation. It goes to its own
/// override file: a reservation in the main file would stop the service from starting on a host without an NVIDIA
/// runtime.</summary>
internal static class ComposeGpu
{
    /// <summary>The <c>deploy:</c> node for the <c>--gpus</c> value in <paramref name="runtimeArgs"/>, or null.</summary>
    public static YamlMappingNode? Deploy(IReadOnlyList<string> runtimeArgs)
    {
        if (GpusValue(runtimeArgs) is not { } value)
        {
            return null;
        }

        var device = new YamlMappingNode(ComposeYaml.Plain("driver"), ComposeYaml.Quoted("nvidia"));
        if (value.StartsWith("device=", StringComparison.Ordinal))
        {
            device.Add("device_ids", ComposeYaml.FlowList(value["device=".Length..].Trim('"').Split(',')));
        }
        else
        {
            // "all" or a number of GPUs.
            device.Add("count", ComposeYaml.Plain(int.TryParse(value, out var count) ? count.ToString(System.Globalization.CultureInfo.InvariantCulture) : "all"));
        }

        device.Add("capabilities", ComposeYaml.FlowList(["gpu"]));
        var devices = new YamlSequenceNode(device);
        return new YamlMappingNode(ComposeYaml.Plain("resources"), new YamlMappingNode(ComposeYaml.Plain("reservations"),
            new YamlMappingNode(ComposeYaml.Plain("devices"), devices)));
    }

    /// <summary>The runtime arguments other than <c>--gpus</c>, which compose has no general form for.</summary>
    public static IEnumerable<string> Others(IReadOnlyList<string> runtimeArgs)
    {
        for (var i = 0; i < runtimeArgs.Count; i++)
        {
            if (runtimeArgs[i] == "--gpus")
            {
                i++;
            }
            else if (!runtimeArgs[i].StartsWith("--gpus=", StringComparison.Ordinal))
            {
                yield return runtimeArgs[i];
            }
        }
    }

    private static string? GpusValue(IReadOnlyList<string> runtimeArgs)
    {
        for (var i = 0; i < runtimeArgs.Count; i++)
        {
            if (runtimeArgs[i] == "--gpus" && i + 1 < runtimeArgs.Count)
            {
                return runtimeArgs[i + 1];
            }

            if (runtimeArgs[i].StartsWith("--gpus=", StringComparison.Ordinal))
            {
                return runtimeArgs[i]["--gpus=".Length..];
            }
        }

        return null;
    }
}
