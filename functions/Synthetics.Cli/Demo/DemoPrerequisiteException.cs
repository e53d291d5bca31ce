namespace Synthetics.Cli.Demo;

/// <summary>Something the demo needs on this machine is missing (Node.js, npm, the repository's package.json).</summary>
internal sealed class DemoPrerequisiteException(string message, Exception? inner = null) : Exception(message, inner);
