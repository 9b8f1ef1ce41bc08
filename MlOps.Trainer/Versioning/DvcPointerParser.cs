using System.Globalization;

namespace MlOps.Trainer.Versioning;

/// <summary>
/// Reads the <c>outs</c> list of a .dvc file. Handles the YAML DVC writes (block lists of maps, plain or quoted scalars,
/// comments, CRLF) and ignores other keys and nested maps such as <c>meta</c>.
/// </summary>
internal static class DvcPointerParser
{
    public static DvcPointer Parse(string text, string pointerPath)
    {
        ArgumentNullException.ThrowIfNull(text);
        var name = System.IO.Path.GetFileName(pointerPath);
        var outs = ReadOuts(text);
        if (outs.Count != 1)
        {
            throw new BadInputException(outs.Count == 0
                ? $"{name}: has no 'outs' entry; is it a DVC pointer file?"
                : $"{name}: has {outs.Count} outputs; only single-file pointers are supported.");
        }

        return ToPointer(outs[0], name);
    }

    private static DvcPointer ToPointer(Dictionary<string, string> output, string name)
    {
        if (!output.TryGetValue("md5", out var md5) || md5.Length == 0)
        {
            throw new BadInputException($"{name}: the output has no 'md5'.");
        }

        if (!output.TryGetValue("path", out var path) || path.Length == 0)
        {
            throw new BadInputException($"{name}: the output has no 'path'.");
        }

        if (md5.EndsWith(".dir", StringComparison.Ordinal))
        {
            throw new BadInputException($"{name}: '{path}' is a directory output; only single files are supported.");
        }

        if (md5.Length != 32 || !md5.All(char.IsAsciiHexDigit))
        {
            throw new BadInputException($"{name}: md5 '{md5}' is not 32 hex digits.");
        }

        long? size = output.TryGetValue("size", out var sizeText)
            && long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
        return new DvcPointer(md5.ToLowerInvariant(), size, path)
        {
            HashName = HashNameOf(output, name),
            Remote = output.TryGetValue("remote", out var remote) && remote.Length > 0 ? remote : null,
        };
    }

    // DVC 3 writes 'hash: md5'; an output without it was written by DVC 2 and hashed as md5-dos2unix
    // (dvc/output.py, _compute_hash_info_from_meta).
    private static string HashNameOf(Dictionary<string, string> output, string name)
    {
        if (!output.TryGetValue("hash", out var hash))
        {
            return DvcHashNames.Md5Dos2Unix;
        }

        return hash == DvcHashNames.Md5
            ? DvcHashNames.Md5
            : throw new BadInputException($"{name}: hash '{hash}' is not supported; expected md5.");
    }

    private static List<Dictionary<string, string>> ReadOuts(string text)
    {
        var outs = new List<Dictionary<string, string>>();
        var inOuts = false;
        var itemIndent = -1;
        foreach (var rawLine in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = StripComment(rawLine).TrimEnd();
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]) && line[0] != '-')
            {
                inOuts = line.StartsWith("outs:", StringComparison.Ordinal);
                itemIndent = -1;
                continue;
            }

            if (inOuts)
            {
                ReadOutsLine(line, outs, ref itemIndent);
            }
        }

        return outs;
    }

    private static void ReadOutsLine(string line, List<Dictionary<string, string>> outs, ref int itemIndent)
    {
        var indent = line.Length - line.TrimStart().Length;
        var content = line[indent..];
        if (content.StartsWith('-') && (itemIndent < 0 || indent < itemIndent))
        {
            outs.Add(new Dictionary<string, string>(StringComparer.Ordinal));
            var afterDash = content[1..];
            itemIndent = indent + 1 + (afterDash.Length - afterDash.TrimStart().Length);
            content = afterDash.TrimStart();
            indent = itemIndent;
        }

        if (outs.Count == 0 || indent != itemIndent || content.Length == 0)
        {
            return;
        }

        var colon = content.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            outs[^1][content[..colon].Trim()] = Unquote(content[(colon + 1)..].Trim());
        }
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf(" #", StringComparison.Ordinal);
        return line.TrimStart().StartsWith('#') ? string.Empty : hash >= 0 ? line[..hash] : line;
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            return value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        return value;
    }
}
