using System.ComponentModel.DataAnnotations;
using Synthetics.Targets;

namespace Synthetics.Configuration;

/// <summary>
/// Where a setting sits, as a user writes it: <c>Synthetics:Probing:TimeoutSeconds</c>, or for a target's field
/// <c>Synthetics:Targets[2] 'ca-web': Port</c> (the index, and the name when it has one, since a long list is read by name).
/// </summary>
internal static class SettingPath
{
    /// <summary>
    /// The path of the member a generated options validator is checking. Its display name is the member's path from the
    /// root options object (<c>SyntheticsOptions.Targets[2].Port</c>): the root stands for the <c>Synthetics</c> section.
    /// </summary>
    public static string Of(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var segments = context.DisplayName.Split('.');
        segments[0] = SyntheticsOptions.SectionName;
        var member = segments[^1];
        var container = string.Join(':', segments[..^1]);
        return context.ObjectInstance is TargetOptions target
            ? $"{Target(container, target.Name)}: {member}"
            : $"{container}:{member}";
    }

    /// <summary>How messages name the target at <paramref name="index"/>: <c>Synthetics:Targets[2] 'ca-web'</c>.</summary>
    public static string Target(int index, string? name) => Target($"{TargetOptions.SectionName}[{index}]", name);

    private static string Target(string path, string? name) => name is { Length: > 0 } ? $"{path} '{name}'" : path;
}
