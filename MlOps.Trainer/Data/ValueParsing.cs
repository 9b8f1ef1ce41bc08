using System.Globalization;

namespace MlOps.Trainer.Data;

/// <summary>Span-based parsing of CSV cells: missing tokens, invariant numbers and ISO-8601 timestamps.</summary>
internal static class ValueParsing
{
    public static bool IsMissing(ReadOnlySpan<char> cell)
    {
        var s = cell.Trim();
        return s.Length switch
        {
            0 => true,
            2 => s.Equals("NA", StringComparison.OrdinalIgnoreCase),
            3 => s.Equals("NaN", StringComparison.OrdinalIgnoreCase),
            4 => s.Equals("null", StringComparison.OrdinalIgnoreCase) || s.Equals("None", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    public static bool TryParseNumber(ReadOnlySpan<char> cell, out double value) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses yyyy-MM-dd, optionally followed by T or space, HH:mm[:ss[.fraction]] and Z or an offset; the result is UTC.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> cell, out DateTime utc)
    {
        utc = default;
        var s = cell.Trim();
        if (s.Length < 10 || s[4] != '-' || s[7] != '-'
            || !TryDigits(s, 0, 4, out var year) || !TryDigits(s, 5, 2, out var month) || !TryDigits(s, 8, 2, out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var date = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);
        if (s.Length == 10)
        {
            utc = date;
            return true;
        }

        if (s[10] is not ('T' or 't' or ' ') || !TryParseTime(s[11..], out var timeOfDay, out var offset))
        {
            return false;
        }

        var ticks = date.Ticks + timeOfDay - offset;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        utc = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    private static bool TryParseTime(ReadOnlySpan<char> s, out long timeTicks, out long offsetTicks)
    {
        timeTicks = 0;
        offsetTicks = 0;
        if (s.Length < 5 || s[2] != ':' || !TryDigits(s, 0, 2, out var hour) || !TryDigits(s, 3, 2, out var minute)
            || hour > 23 || minute > 59)
        {
            return false;
        }

        var second = 0;
        var pos = 5;
        if (pos < s.Length && s[pos] == ':')
        {
            if (!TryDigits(s, pos + 1, 2, out second) || second > 59)
            {
                return false;
            }

            pos += 3;
        }

        timeTicks = (((hour * 60L) + minute) * 60L + second) * TimeSpan.TicksPerSecond;
        if (!TryParseFraction(s, ref pos, out var fractionTicks))
        {
            return false;
        }

        timeTicks += fractionTicks;
        return TryParseOffset(s[pos..], out offsetTicks);
    }

    private static bool TryParseFraction(ReadOnlySpan<char> s, ref int pos, out long ticks)
    {
        ticks = 0;
        if (pos >= s.Length || s[pos] is not ('.' or ','))
        {
            return true;
        }

        pos++;
        var start = pos;
        long scale = TimeSpan.TicksPerSecond;
        while (pos < s.Length && char.IsAsciiDigit(s[pos]))
        {
            if (scale > 1)
            {
                scale /= 10;
                ticks += (s[pos] - '0') * scale;
            }

            pos++;
        }

        return pos > start;
    }

    private static bool TryParseOffset(ReadOnlySpan<char> s, out long offsetTicks)
    {
        offsetTicks = 0;
        if (s.Length == 0)
        {
            return true;
        }

        if (s.Length == 1)
        {
            return s[0] is 'Z' or 'z';
        }

        if (s[0] is not ('+' or '-') || !TryDigits(s, 1, 2, out var hours))
        {
            return false;
        }

        var minutes = 0;
        var rest = s[3..];
        var ok = rest.Length switch
        {
            0 => true,
            2 => TryDigits(rest, 0, 2, out minutes),
            3 => rest[0] == ':' && TryDigits(rest, 1, 2, out minutes),
            _ => false,
        };
        if (!ok || hours > 23 || minutes > 59)
        {
            return false;
        }

        offsetTicks = ((hours * 60L) + minutes) * TimeSpan.TicksPerMinute * (s[0] == '-' ? -1 : 1);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var c = s[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
