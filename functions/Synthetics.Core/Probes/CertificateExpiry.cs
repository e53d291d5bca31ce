using System.Globalization;
using Synthetics.Results;

namespace Synthetics.Probes;

/// <summary>The expiry warning shared by every probe that completes a handshake.</summary>
internal static class CertificateExpiry
{
    public static ProbeObservation? Check(ProbeContext context)
    {
        if (context.Details.TryGetValue("certDaysLeft", out var value) && value is double daysLeft
            && daysLeft < context.Options.CertificateExpiryWarningDays)
        {
            return new ProbeObservation(ProbeOutcome.CertExpiring)
            {
                Message = $"certificate expires in {daysLeft.ToString("0.#", CultureInfo.InvariantCulture)} days",
            };
        }

        return null;
    }
}
