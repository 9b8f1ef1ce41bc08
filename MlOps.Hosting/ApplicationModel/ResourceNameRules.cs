namespace MlOps.Hosting.ApplicationModel;

/// <summary>Aspire's resource name rules: 1–64 ASCII letters, digits and hyphens, starting with a letter,
/// not ending with a hyphen, no two hyphens in a row.</summary>
public static class ResourceNameRules
{
    /// <summary>The longest name allowed.</summary>
    public const int MaxLength = 64;

    /// <summary>Returns null when <paramref name="name"/> is valid, otherwise why it is not.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "Resource name must not be empty.";
        }

        if (name.Length > MaxLength)
        {
            return $"Resource name '{name}' is longer than {MaxLength} characters.";
        }

        if (!char.IsAsciiLetter(name[0]))
        {
            return $"Resource name '{name}' must start with an ASCII letter.";
        }

        if (name[^1] == '-')
        {
            return $"Resource name '{name}' must not end with a hyphen.";
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return $"Resource name '{name}' contains '{c}'; only ASCII letters, digits and hyphens are allowed.";
            }

            if (c == '-' && i > 0 && name[i - 1] == '-')
            {
                return $"Resource name '{name}' must not contain consecutive hyphens.";
            }
        }

        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="name"/> breaks a rule.</summary>
    public static void ThrowIfInvalid(string? name)
    {
        if (Validate(name) is { } error)
        {
            throw new ArgumentException(error, nameof(name));
        }
    }
}
