using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Synthetics.Targets;

/// <summary>Reads kubeconfigs with <see cref="KubeconfigLoader"/> and CA bundles as PEM.</summary>
internal sealed class TargetSourceReader : ITargetSourceReader
{
    public KubeconfigLoader.Loaded? TryReadKubeconfig(string path, string? context, string? allowedDirectory, out string? error) =>
        KubeconfigLoader.TryLoad(path, context, allowedDirectory, out error);

    public KubeconfigLoader.Loaded? TryParseKubeconfig(string content, string? context, out string? error) =>
        KubeconfigLoader.TryLoadContent(content, context, out error);

    public X509Certificate2Collection? TryReadCaFile(string path, out string? error)
    {
        try
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(path);
            if (collection.Count == 0)
            {
                error = $"CaFile '{path}' holds no PEM certificate";
                return null;
            }

            error = null;
            return collection;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            error = $"CaFile '{path}' cannot be read ({(ex is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ex is CryptographicException ? "not a PEM certificate bundle" : "access denied or I/O error")})";
            return null;
        }
    }
}
