using Microsoft.Extensions.Options;

namespace Synthetics.Configuration;

/// <summary>
/// The <c>Synthetics</c> section's attributes, checked at start: generated from the <c>[SettingRange]</c>,
/// <c>[SettingRequired]</c> and <c>[ValidateObjectMembers]</c>/<c>[ValidateEnumeratedItems]</c> annotations of the
/// section and its nested sections and targets, with the sections that need code (Detection, Storage, Maintenance)
/// checked by their own validators. Rules across settings live in <see cref="ScheduleOptionsValidator"/> and
/// <see cref="Targets.TargetOptionsValidator"/>.
/// </summary>
[OptionsValidator]
internal sealed partial class SyntheticsOptionsValidator : IValidateOptions<SyntheticsOptions>;
