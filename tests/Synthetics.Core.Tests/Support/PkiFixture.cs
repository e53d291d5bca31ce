namespace Synthetics.Core.Tests.Support;

/// <summary>One generated PKI per test class.</summary>
public sealed class PkiFixture : IDisposable
{
    public TestPki Pki { get; } = new();

    public void Dispose() => Pki.Dispose();
}
