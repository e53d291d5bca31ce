using System.Globalization;
using Synthetics.Lab.Region;

namespace Synthetics.Lab.Scenarios;

/// <summary>
/// The web backends present a certificate with a week left. It is issued when the region starts (the backends cannot
/// swap certificates while running), so the timeline only announces it.
/// </summary>
internal static class CertExpiringScenario
{
    /// <summary>How long the backends' certificate is valid from the region's start: inside the probes' 14-day warning.</summary>
    public static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(7);

    public static void Write(ScenarioScript script, LabRegion region)
    {
        var notAfter = region.WebBackends.ServerCertificate.NotAfter.ToUniversalTime();
        script.Action(
            TimeSpan.Zero,
            string.Create(CultureInfo.InvariantCulture, $"web backends serve a certificate expiring {notAfter:yyyy-MM-dd HH:mm} UTC"),
            () => { });
    }
}
