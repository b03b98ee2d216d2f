namespace Fanout.Bus.Requests;

/// <summary>
/// Finds the name someone probably meant: same letters in another case or separator, a prefix, or a typo or two.
/// </summary>
internal static class ClosestName
{
    public static string? Among(string name, IEnumerable<string> candidates)
    {
        var given = Normalise(name);
        return candidates
            .Select(candidate => (candidate, distance: Distance(given, Normalise(candidate))))
            .Where(c => c.distance <= 2 || IsPrefix(given, Normalise(c.candidate)))
            .OrderBy(c => c.distance)
            .Select(c => c.candidate)
            .FirstOrDefault();
    }

    // "deadline" for "deadline_ms", "maxConcurrency" for "max_concurrency".
    static string Normalise(string name) =>
        new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    static bool IsPrefix(string a, string b) =>
        Math.Min(a.Length, b.Length) >= 4 && (a.StartsWith(b) || b.StartsWith(a));

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1,
                    previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }

        return previous[b.Length];
    }
}
