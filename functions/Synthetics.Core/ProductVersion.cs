using System.Reflection;

namespace Synthetics;

/// <summary>The product version, as it appears in the User-Agent of synthetic traffic.</summary>
public static class ProductVersion
{
    public static string Value { get; } =
        typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
