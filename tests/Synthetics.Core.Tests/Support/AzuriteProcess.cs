using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Synthetics.Core.Tests.Support;

/// <summary>
/// A real Azurite table service (pinned in the repository's package.json), on a free loopback port, in memory.
/// Installs it with <c>npm ci</c> on first use, so a plain <c>dotnet test</c> works on a fresh machine.
/// Can be stopped and started again on the same port, to take the service away in the middle of a run.
/// </summary>
public sealed class AzuriteProcess : IDisposable
{
    /// <summary>The emulator's well-known development account key: public, documented by Microsoft.</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private readonly string _workspace = Directory.CreateTempSubdirectory("synthetics-azurite-").FullName;
    private readonly List<string> _output = [];
    private Process? _process;

    private AzuriteProcess(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<AzuriteProcess> StartNewAsync()
    {
        var azurite = new AzuriteProcess(TakeFreePort());
        await azurite.StartAsync();
        return azurite;
    }

    /// <summary>Starts the service (again) on <see cref="Port"/> and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var root = RepositoryRoot();
        await EnsureInstalledAsync(root);
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "table", "main.js");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = _workspace,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     script, "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--inMemoryPersistence", "--skipApiVersionCheck", "--silent", "--disableTelemetry",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with {process.ExitCode}: {string.Join(Environment.NewLine, Snapshot())}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        Stop();
        throw new TimeoutException($"Azurite did not listen on {Port} within 60 s: {string.Join(Environment.NewLine, Snapshot())}");
    }

    /// <summary>Kills the service and everything it started; its in-memory data is gone.</summary>
    public void Stop()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_workspace, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 50)
            {
                _output.RemoveAt(0);
            }
        }
    }

    private List<string> Snapshot()
    {
        lock (_output)
        {
            return [.. _output];
        }
    }

    private static int TakeFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "Synthetics.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (package.json beside Synthetics.sln) not found above " + AppContext.BaseDirectory);
    }

    private static async Task EnsureInstalledAsync(string root)
    {
        var marker = Path.Combine(root, "node_modules", ".bin", "azurite-table");
        if (File.Exists(marker))
        {
            return;
        }

        await InstallGate.WaitAsync();
        // Test projects run in parallel processes: a file lock keeps two `npm ci` from racing in one node_modules.
        FileStream? lockFile = null;
        try
        {
            var lockPath = Path.Combine(Path.GetTempPath(), "lke-synthetics-npm-ci.lock");
            var waited = Stopwatch.StartNew();
            while (lockFile is null)
            {
                try
                {
                    lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(5))
                {
                    await Task.Delay(500);
                }
            }

            if (File.Exists(marker))
            {
                return;
            }

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

            using var process = Process.Start(npm) ?? throw new InvalidOperationException("npm did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0 || !File.Exists(marker))
            {
                throw new InvalidOperationException($"npm ci failed ({process.ExitCode}): {await stdout}{await stderr}");
            }
        }
        finally
        {
            lockFile?.Dispose();
            InstallGate.Release();
        }
    }
}
