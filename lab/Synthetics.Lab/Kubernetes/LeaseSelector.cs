using k8s.Models;

namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// The equality-based part of <c>fieldSelector</c> and <c>labelSelector</c>: what leader-election and
/// informer clients send (<c>metadata.name=x</c>, <c>app=y</c>). Set-based label selectors are not supported.
/// </summary>
internal sealed class LeaseSelector
{
    private readonly List<Func<V1Lease, bool>> _requirements = [];

    public static LeaseSelector All { get; } = new();

    public static LeaseSelector? Parse(string? fieldSelector, string? labelSelector, out string? error)
    {
        error = null;
        var selector = new LeaseSelector();
        foreach (var term in Terms(fieldSelector))
        {
            if (!TrySplit(term, out var key, out var value, out var equal))
            {
                error = $"invalid field selector: {term}";
                return null;
            }

            Func<V1Lease, string?>? field = key switch
            {
                "metadata.name" => l => l.Metadata?.Name,
                "metadata.namespace" => l => l.Metadata?.NamespaceProperty,
                _ => null,
            };
            if (field is null)
            {
                error = $"field label not supported: {key}";
                return null;
            }

            selector._requirements.Add(l => (field(l) == value) == equal);
        }

        foreach (var term in Terms(labelSelector))
        {
            if (term.StartsWith('!'))
            {
                var absent = term[1..];
                selector._requirements.Add(l => l.Metadata?.Labels?.ContainsKey(absent) != true);
            }
            else if (!term.Contains('=', StringComparison.Ordinal))
            {
                if (term.Contains(' ', StringComparison.Ordinal))
                {
                    error = $"unable to parse requirement: set-based selectors are not supported by the lab: {term}";
                    return null;
                }

                selector._requirements.Add(l => l.Metadata?.Labels?.ContainsKey(term) == true);
            }
            else if (TrySplit(term, out var key, out var value, out var equal))
            {
                selector._requirements.Add(l =>
                    (l.Metadata?.Labels is { } labels && labels.TryGetValue(key, out var actual) && actual == value) == equal);
            }
            else
            {
                error = $"unable to parse requirement: {term}";
                return null;
            }
        }

        return selector;
    }

    public bool Matches(V1Lease lease) => _requirements.TrueForAll(requirement => requirement(lease));

    private static string[] Terms(string? selector) =>
        string.IsNullOrWhiteSpace(selector)
            ? []
            : selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool TrySplit(string term, out string key, out string value, out bool equal)
    {
        string[] operators = ["!=", "==", "="];
        foreach (var op in operators)
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                key = term[..at].Trim();
                value = term[(at + op.Length)..].Trim();
                equal = op != "!=";
                return true;
            }
        }

        key = value = string.Empty;
        equal = false;
        return false;
    }
}
