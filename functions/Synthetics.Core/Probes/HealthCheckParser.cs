namespace Synthetics.Probes;

/// <summary>Reads the kube-apiserver's verbose health output (<c>[+]ping ok</c>, <c>[-]etcd failed: reason withheld</c>).</summary>
internal static class HealthCheckParser
{
    /// <summary>The names of the checks reported as failing, in order.</summary>
    public static IEnumerable<string> FailedChecks(string? verboseBody)
    {
        if (string.IsNullOrEmpty(verboseBody))
        {
            yield break;
        }

        foreach (var rawLine in verboseBody.Split('\n'))
        {
            var line = rawLine.Trim();
            if (!line.StartsWith("[-]", StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[3..];
            var end = rest.IndexOf(' ', StringComparison.Ordinal);
            var name = end < 0 ? rest : rest[..end];
            if (name.Length > 0)
            {
                yield return name;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="body"/> is the verbose health format at all: check lines (<c>[+]</c>, <c>[-]</c>) or the
    /// closing <c>… check passed</c>/<c>… check failed</c>. A proxy's HTML page answered with 200 is not.
    /// </summary>
    public static bool IsVerboseHealth(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return false;
        }

        foreach (var rawLine in body.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("[+]", StringComparison.Ordinal) || line.StartsWith("[-]", StringComparison.Ordinal)
                || line.EndsWith("check passed", StringComparison.Ordinal) || line.EndsWith("check failed", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
