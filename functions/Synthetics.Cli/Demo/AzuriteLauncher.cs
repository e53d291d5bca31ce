using System.Diagnostics;
using System.ComponentModel;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Synthetics.Cli.Demo;

/// <summary>
/// Azurite's table service for the demo: in memory, on a free loopback port, from the repository's pinned
/// <c>package.json</c> (installed with <c>npm ci</c> on first use). Disposing kills its process tree, so an ended or
/// cancelled demo leaves no emulator behind.
/// </summary>
internal sealed class AzuriteLauncher : IAsyncDisposable
{
    /// <summary>The emulator's well-known development account key: public, documented by Microsoft, not a secret.</summary>
    private const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly Process _process;

    private AzuriteLauncher(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A connection string for the emulator's table endpoint (the development account; never printed).</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    /// <summary>
    /// Installs Azurite when <c>node_modules/.bin/azurite-table</c> is missing (telling <paramref name="progress"/>),
    /// starts it and waits until it accepts connections. Throws <see cref="DemoPrerequisiteException"/> when Node.js,
    /// npm or the repository root cannot be found, or Azurite does not start.
    /// </summary>
    public static async Task<AzuriteLauncher> StartAsync(TextWriter progress, TimeProvider time, CancellationToken cancellationToken)
    {
        var root = FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new DemoPrerequisiteException($"no package.json above {AppContext.BaseDirectory}: run the demo from a clone of the repository");
        var launcher = Path.Combine(root, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite-table.cmd" : "azurite-table");
        await RequireToolAsync("node", cancellationToken);
        if (!File.Exists(launcher))
        {
            await progress.WriteLineAsync($"Installing Azurite (npm ci --no-audit --no-fund in {root}); this happens once…");
            await InstallAsync(root, cancellationToken);
            if (!File.Exists(launcher))
            {
                throw new DemoPrerequisiteException($"npm ci finished but {launcher} is missing");
            }
        }

        var port = TakeFreePort();
        var start = new ProcessStartInfo(launcher)
        {
            WorkingDirectory = Directory.CreateTempSubdirectory("lke-synthetics-azurite-").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture),
                     "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--silent",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new DemoPrerequisiteException("Azurite did not start");
        var output = new List<string>();
        process.OutputDataReceived += (_, e) => Remember(output, e.Data);
        process.ErrorDataReceived += (_, e) => Remember(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteLauncher(process, port);
        try
        {
            await azurite.WaitUntilListeningAsync(output, time, cancellationToken);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>The nearest directory at or above <paramref name="start"/> holding <c>package.json</c>, or null.</summary>
    internal static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "package.json")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // The npm shim may have started node as a child: the whole tree goes.
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilListeningAsync(List<string> output, TimeProvider time, CancellationToken cancellationToken)
    {
        var startedAt = time.GetTimestamp();
        while (time.GetElapsedTime(startedAt) < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new DemoPrerequisiteException($"Azurite exited with {_process.ExitCode}: {Tail(output)}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(PollInterval, time, cancellationToken);
            }
        }

        throw new DemoPrerequisiteException($"Azurite did not listen on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds:0} s: {Tail(output)}");
    }

    private static async Task InstallAsync(string root, CancellationToken cancellationToken)
    {
        var npm = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            npm.ArgumentList.Add(argument);
        }

        var (exitCode, output) = await RunToCompletionAsync(npm, "npm", cancellationToken);
        if (exitCode != 0)
        {
            throw new DemoPrerequisiteException($"npm ci failed with {exitCode}: {output}");
        }
    }

    private static async Task RequireToolAsync(string tool, CancellationToken cancellationToken)
    {
        var (exitCode, _) = await RunToCompletionAsync(
            new ProcessStartInfo(tool, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false },
            tool,
            cancellationToken);
        if (exitCode != 0)
        {
            throw new DemoPrerequisiteException($"{tool} --version failed with {exitCode}: install Node.js 20 or later (with npm) to run the demo");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunToCompletionAsync(ProcessStartInfo start, string tool, CancellationToken cancellationToken)
    {
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new DemoPrerequisiteException($"{tool} did not start");
        }
        catch (Win32Exception ex)
        {
            throw new DemoPrerequisiteException($"{tool} was not found: install Node.js 20 or later (with npm) to run the demo", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var text = (await stdout) + (await stderr);
            return (process.ExitCode, text.Length > 2000 ? text[^2000..] : text);
        }
    }

    private static int TakeFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Remember(List<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Add(line);
        }
    }

    private static string Tail(List<string> output)
    {
        lock (output)
        {
            return string.Join(Environment.NewLine, output.TakeLast(20));
        }
    }
}
