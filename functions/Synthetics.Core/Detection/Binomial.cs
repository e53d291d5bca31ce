namespace Synthetics.Detection;

/// <summary>The binomial distribution's upper tail: how likely chance alone is to produce what a window shows.</summary>
public static class Binomial
{
    /// <summary>
    /// P(X ≥ <paramref name="failures"/>) for X ~ Binomial(<paramref name="attempts"/>, <paramref name="rate"/>): the
    /// chance that attempts failing at <paramref name="rate"/> fail at least this often (1 at or below the expected count). Summed term by term in log space
    /// from the first term, so tails far below 1e-300 come out as 0 rather than as rounding noise.
    /// </summary>
    public static double UpperTail(int failures, int attempts, double rate)
    {
        if (failures <= 0)
        {
            return 1;
        }

        if (failures > attempts || rate <= 0)
        {
            return 0;
        }

        // At or below the expected count the tail is about a half or more: never significant, and not worth summing.
        if (rate >= 1 || failures <= attempts * rate)
        {
            return 1;
        }

        // log P(X = k) = log C(n, k) + k log p + (n − k) log(1 − p); later terms by the ratio of successive terms.
        var logTerm = LogChoose(attempts, failures) + (failures * Math.Log(rate)) + ((attempts - failures) * Math.Log(1 - rate));
        var odds = rate / (1 - rate);
        var sum = 0.0;
        var term = Math.Exp(logTerm);
        for (var k = failures; k <= attempts; k++)
        {
            sum += term;
            var next = term * (attempts - k) / (k + 1) * odds;
            if (next < sum * 1e-12 && next <= term)
            {
                break;
            }

            term = next;
        }

        return Math.Min(1, sum);
    }

    private static double LogChoose(int n, int k)
    {
        k = Math.Min(k, n - k);
        var sum = 0.0;
        for (var i = 1; i <= k; i++)
        {
            sum += Math.Log((double)(n - k + i) / i);
        }

        return sum;
    }
}
