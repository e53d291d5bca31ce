using System.Security.Cryptography.X509Certificates;

namespace Synthetics.Targets;

/// <summary>
/// Reads what a target's credentials and trust come from: kubeconfigs (a file or the text itself) and CA bundles. The
/// one place targets touch the file system, so a host reads each once (<see cref="TargetCatalogFactory"/> keeps what was
/// read) and tests can count or fake the reads. Errors name the file or field, never quote the content.
/// </summary>
internal interface ITargetSourceReader
{
    /// <summary>The kubeconfig at <paramref name="path"/>, or null and why not.</summary>
    KubeconfigLoader.Loaded? TryReadKubeconfig(string path, string? context, string? allowedDirectory, out string? error);

    /// <summary>The kubeconfig given as text (YAML or its base64), or null and why not.</summary>
    KubeconfigLoader.Loaded? TryParseKubeconfig(string content, string? context, out string? error);

    /// <summary>The certificates of the PEM bundle at <paramref name="path"/>, or null and why not.</summary>
    X509Certificate2Collection? TryReadCaFile(string path, out string? error);
}
