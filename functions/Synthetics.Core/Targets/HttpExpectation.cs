namespace Synthetics.Targets;

/// <summary>What an Http target's answer must look like.</summary>
/// <param name="Url">The URL requested.</param>
/// <param name="ExpectStatus">The expected status code.</param>
/// <param name="ExpectBodyContains">A string the body must contain, or null.</param>
public sealed record HttpExpectation(Uri Url, int ExpectStatus, string? ExpectBodyContains);
