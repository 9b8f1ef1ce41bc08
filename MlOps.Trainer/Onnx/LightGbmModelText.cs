using System.Globalization;

namespace MlOps.Trainer.Onnx;

/// <summary>
/// Reads the text LightGBM writes with SaveModel (format v4): the header and the <c>Tree=</c> blocks up to
/// <c>end of trees</c>. Only what a binary GBDT needs is supported; anything else is a <see cref="FormatException"/>.
/// </summary>
internal static class LightGbmModelText
{
    private const string EndOfTrees = "end of trees";

    public static GbdtModel Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var index = 0;

        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        var sawTreeKeyword = false;
        for (; index < lines.Length; index++)
        {
            var line = lines[index].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("Tree=", StringComparison.Ordinal) || line == EndOfTrees)
            {
                break;
            }

            if (line == "tree")
            {
                sawTreeKeyword = true;
                continue;
            }

            var (key, value) = SplitKeyValue(line);
            header[key] = value;
        }

        if (!sawTreeKeyword)
        {
            throw new FormatException("Not a LightGBM model text: the first line must be 'tree'.");
        }

        var (featureCount, featureNames, objective, sigmoid) = ParseHeader(header);

        var trees = new List<GbdtTree>();
        var sawEnd = false;
        while (index < lines.Length)
        {
            var line = lines[index].Trim();
            if (line.Length == 0)
            {
                index++;
                continue;
            }

            if (line == EndOfTrees)
            {
                sawEnd = true;
                break;
            }

            if (!line.StartsWith("Tree=", StringComparison.Ordinal))
            {
                throw new FormatException($"Line {index + 1}: expected 'Tree=' or '{EndOfTrees}' but found '{line}'.");
            }

            var treeNumber = line["Tree=".Length..];
            if (treeNumber != trees.Count.ToString(CultureInfo.InvariantCulture))
            {
                throw new FormatException($"Line {index + 1}: expected Tree={trees.Count} but found '{line}'.");
            }

            index++;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (; index < lines.Length; index++)
            {
                var field = lines[index].Trim();
                if (field.Length == 0)
                {
                    continue;
                }

                if (field.StartsWith("Tree=", StringComparison.Ordinal) || field == EndOfTrees)
                {
                    break;
                }

                var (key, value) = SplitKeyValue(field);
                fields[key] = value;
            }

            trees.Add(ParseTree(trees.Count, fields, featureCount));
        }

        if (!sawEnd)
        {
            throw new FormatException($"The model text ends without '{EndOfTrees}'.");
        }

        if (trees.Count == 0)
        {
            throw new FormatException("The model has no trees.");
        }

        return new GbdtModel(featureCount, featureNames, objective, sigmoid, trees);
    }

    private static (int FeatureCount, string[] FeatureNames, string Objective, double Sigmoid) ParseHeader(
        Dictionary<string, string> header)
    {
        var version = Required(header, "version", "header");
        if (version != "v4")
        {
            throw new FormatException($"Unsupported LightGBM model format version '{version}'; expected v4.");
        }

        if (header.TryGetValue("num_class", out var numClass) && numClass != "1")
        {
            throw new FormatException($"Unsupported num_class={numClass}: only binary models (num_class=1) are supported.");
        }

        if (header.TryGetValue("num_tree_per_iteration", out var perIteration) && perIteration != "1")
        {
            throw new FormatException(
                $"Unsupported num_tree_per_iteration={perIteration}: only binary models are supported.");
        }

        if (header.ContainsKey("average_output"))
        {
            throw new FormatException("Unsupported model: average_output (random forest mode) is not supported.");
        }

        if (header.TryGetValue("linear_tree", out var linear) && linear != "0")
        {
            throw new FormatException("Unsupported model: linear trees are not supported.");
        }

        var objective = Required(header, "objective", "header");
        var objectiveParts = objective.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (objectiveParts.Length == 0 || objectiveParts[0] != "binary")
        {
            throw new FormatException(
                $"Unsupported objective '{objective}': only the binary objective can be exported.");
        }

        var sigmoid = 1.0;
        foreach (var part in objectiveParts.Skip(1))
        {
            if (part.StartsWith("sigmoid:", StringComparison.Ordinal))
            {
                sigmoid = ParseDouble(part["sigmoid:".Length..], "objective sigmoid");
                if (!(sigmoid > 0) || double.IsInfinity(sigmoid))
                {
                    throw new FormatException($"Invalid sigmoid coefficient in objective '{objective}'.");
                }
            }
        }

        var maxFeatureIdx = ParseInt(Required(header, "max_feature_idx", "header"), "max_feature_idx");
        if (maxFeatureIdx < 0)
        {
            throw new FormatException($"Invalid max_feature_idx={maxFeatureIdx}.");
        }

        var featureCount = maxFeatureIdx + 1;
        var featureNames = Required(header, "feature_names", "header").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (featureNames.Length != featureCount)
        {
            throw new FormatException(
                $"feature_names has {featureNames.Length} names but max_feature_idx implies {featureCount} features.");
        }

        return (featureCount, featureNames, objective, sigmoid);
    }

    private static GbdtTree ParseTree(int treeIndex, Dictionary<string, string> fields, int featureCount)
    {
        var where = $"Tree={treeIndex}";
        if (fields.TryGetValue("is_linear", out var isLinear) && isLinear != "0")
        {
            throw new FormatException($"{where}: linear trees are not supported.");
        }

        var numLeaves = ParseInt(Required(fields, "num_leaves", where), $"{where} num_leaves");
        if (numLeaves < 1)
        {
            throw new FormatException($"{where}: num_leaves must be at least 1 but is {numLeaves}.");
        }

        var numCat = fields.TryGetValue("num_cat", out var numCatText) ? ParseInt(numCatText, $"{where} num_cat") : 0;
        var shrinkage = fields.TryGetValue("shrinkage", out var shrinkageText)
            ? ParseDouble(shrinkageText, $"{where} shrinkage")
            : 1.0;
        var leafValue = DoubleArray(fields, "leaf_value", numLeaves, where);

        if (numLeaves == 1)
        {
            return new GbdtTree(1, [], [], [], [], [], leafValue, [], [], shrinkage);
        }

        var internalCount = numLeaves - 1;
        var splitFeature = IntArray(fields, "split_feature", internalCount, where);
        var threshold = DoubleArray(fields, "threshold", internalCount, where);
        var decisionType = IntArray(fields, "decision_type", internalCount, where);
        var leftChild = IntArray(fields, "left_child", internalCount, where);
        var rightChild = IntArray(fields, "right_child", internalCount, where);
        var catBoundaries = numCat > 0 ? IntArray(fields, "cat_boundaries", numCat + 1, where) : [];
        var catThreshold = numCat > 0 ? UIntArray(fields, "cat_threshold", where) : [];

        var tree = new GbdtTree(
            numLeaves, splitFeature, threshold, decisionType, leftChild, rightChild, leafValue,
            catBoundaries, catThreshold, shrinkage);
        Validate(tree, numCat, featureCount, where);
        return tree;
    }

    private static void Validate(GbdtTree tree, int numCat, int featureCount, string where)
    {
        for (var i = 1; i < numCat + 1; i++)
        {
            if (tree.CatBoundaries[i] < tree.CatBoundaries[i - 1])
            {
                throw new FormatException($"{where}: cat_boundaries must be non-decreasing.");
            }
        }

        if (numCat > 0 && (tree.CatBoundaries[0] != 0 || tree.CatBoundaries[numCat] != tree.CatThreshold.Count))
        {
            throw new FormatException(
                $"{where}: cat_boundaries must start at 0 and end at the length of cat_threshold ({tree.CatThreshold.Count}).");
        }

        var nodeSeen = new bool[tree.InternalNodeCount];
        var leafSeen = new bool[tree.NumLeaves];
        nodeSeen[0] = true;
        for (var node = 0; node < tree.InternalNodeCount; node++)
        {
            if (tree.SplitFeature[node] < 0 || tree.SplitFeature[node] >= featureCount)
            {
                throw new FormatException(
                    $"{where}: node {node} splits on feature {tree.SplitFeature[node]}, outside 0..{featureCount - 1}.");
            }

            if ((tree.DecisionType[node] & ~0b1111) != 0)
            {
                throw new FormatException($"{where}: node {node} has an unknown decision_type {tree.DecisionType[node]}.");
            }

            if (tree.IsCategorical(node))
            {
                var catIndex = tree.Threshold[node];
                if (catIndex < 0 || catIndex >= numCat || catIndex != Math.Floor(catIndex))
                {
                    throw new FormatException(
                        $"{where}: categorical node {node} has threshold {catIndex}, not an index below num_cat={numCat}.");
                }
            }
            else if ((int)tree.MissingType(node) == 3)
            {
                throw new FormatException($"{where}: node {node} has an unknown missing type.");
            }

            foreach (var child in new[] { tree.LeftChild[node], tree.RightChild[node] })
            {
                if (child >= 0)
                {
                    if (child >= tree.InternalNodeCount || nodeSeen[child])
                    {
                        throw new FormatException($"{where}: node {node} has an invalid child {child}.");
                    }

                    nodeSeen[child] = true;
                }
                else
                {
                    var leaf = ~child;
                    if (leaf >= tree.NumLeaves || leafSeen[leaf])
                    {
                        throw new FormatException($"{where}: node {node} has an invalid leaf child {child}.");
                    }

                    leafSeen[leaf] = true;
                }
            }
        }

        if (Array.IndexOf(nodeSeen, false) >= 0 || Array.IndexOf(leafSeen, false) >= 0)
        {
            throw new FormatException($"{where}: the child arrays do not form a single tree.");
        }
    }

    private static (string Key, string Value) SplitKeyValue(string line)
    {
        var eq = line.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            // Lines such as section titles have no value; keep them as keys without one.
            return (line, string.Empty);
        }

        return (line[..eq], line[(eq + 1)..]);
    }

    private static string Required(Dictionary<string, string> fields, string key, string where) =>
        fields.TryGetValue(key, out var value)
            ? value
            : throw new FormatException($"{where}: the required field '{key}' is missing.");

    private static string[] Tokens(Dictionary<string, string> fields, string key, string where) =>
        Required(fields, key, where).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static double[] DoubleArray(Dictionary<string, string> fields, string key, int count, string where)
    {
        var tokens = Tokens(fields, key, where);
        CheckCount(tokens, key, count, where);
        return [.. tokens.Select(t => ParseDouble(t, $"{where} {key}"))];
    }

    private static int[] IntArray(Dictionary<string, string> fields, string key, int count, string where)
    {
        var tokens = Tokens(fields, key, where);
        CheckCount(tokens, key, count, where);
        return [.. tokens.Select(t => ParseInt(t, $"{where} {key}"))];
    }

    private static uint[] UIntArray(Dictionary<string, string> fields, string key, string where) =>
        [.. Tokens(fields, key, where).Select(t => uint.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FormatException($"{where} {key}: '{t}' is not an unsigned 32-bit integer."))];

    private static void CheckCount(string[] tokens, string key, int count, string where)
    {
        if (tokens.Length != count)
        {
            throw new FormatException($"{where}: {key} has {tokens.Length} values but {count} were expected.");
        }
    }

    private static int ParseInt(string text, string what) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{what}: '{text}' is not an integer.");

    private static double ParseDouble(string text, string what)
    {
        switch (text.ToLowerInvariant())
        {
            case "inf":
            case "+inf":
            case "infinity":
                return double.PositiveInfinity;
            case "-inf":
            case "-infinity":
                return double.NegativeInfinity;
            case "nan":
            case "-nan":
                return double.NaN;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new FormatException($"{what}: '{text}' is not a number.");
        }
    }
}
