namespace Synthetics.Explain;

/// <summary>How to repeat one probe by hand, for support to run or for us to run while on the phone with them.</summary>
/// <param name="Target">The target it probes.</param>
/// <param name="What">What the command shows.</param>
/// <param name="Command">A shell command; secrets are placeholders (<c>$TOKEN</c>, your kubeconfig), never values.</param>
public sealed record Reproduction(string Target, string What, string Command);
