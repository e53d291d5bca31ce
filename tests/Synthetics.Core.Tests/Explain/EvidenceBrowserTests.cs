using System.Buffers.Binary;
using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Core.Tests.Storage;
using Synthetics.Core.Tests.Support;
using Synthetics.Explain;
using Synthetics.Targets;
using Xunit.Abstractions;

namespace Synthetics.Core.Tests.Explain;

/// <summary>
/// The HTML report in a real browser: Debian's headless <c>chromium</c> (installed by <c>.ci/run</c>) takes a screenshot
/// at A4 width (794 CSS pixels) and prints the page to PDF on A4. The files stay in the test output for a person to look
/// at (<c>evidence-browser/</c> beside the test assembly).
/// </summary>
public sealed class EvidenceBrowserTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    /// <summary>A4's width at 96 CSS pixels per inch.</summary>
    private const int A4WidthPixels = 794;

    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Html_RenderedInHeadlessChromium_ProducesAnA4WideScreenshotAndAPrintablePdf()
    {
        var options = StorageTestData.Options(azurite.ConnectionString);
        options.Targets = [.. March12Evidence.Targets.Select(t => new TargetOptions { Name = t.Name, Kind = t.Kind, Region = t.Region })];
        var start = new DateTimeOffset(2026, 3, 12, 13, 30, 0, TimeSpan.Zero);
        var store = StorageTestData.Store(options);
        var incidents = StorageTestData.IncidentStore(options);
        var data = await March12Evidence.WriteAsync(store, incidents, start, minutes: 60);
        var builder = new EvidenceBuilder(store, incidents, data.StatusPage(),
            Microsoft.Extensions.Options.Options.Create(options), EvidenceBuilderTests.Catalog(), new FakeTimeProvider(start.AddMinutes(90)));
        var report = await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None);

        var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "evidence-browser")).FullName;
        var html = Path.Combine(directory, "march-12.html");
        var screenshot = Path.Combine(directory, "march-12.png");
        var pdf = Path.Combine(directory, "march-12.pdf");
        File.Delete(screenshot);
        File.Delete(pdf);
        await File.WriteAllTextAsync(html, EvidenceHtml.Render(report));

        await RunChromiumAsync($"--window-size={A4WidthPixels},2400", $"--screenshot={screenshot}", new Uri(html).AbsoluteUri);
        await RunChromiumAsync("--no-pdf-header-footer", $"--print-to-pdf={pdf}", new Uri(html).AbsoluteUri);
        output.WriteLine($"screenshot {screenshot}, pdf {pdf}");

        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "not a PNG");
        // IHDR: width and height, big-endian, right after the signature and the chunk's length and type.
        Assert.Equal(A4WidthPixels, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(2400, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        // A blank or error page compresses to a few kilobytes; charts, tables and text do not.
        Assert.True(png.Length > 60_000, $"screenshot of {png.Length} bytes");

        var printed = await File.ReadAllBytesAsync(pdf);
        Assert.Equal("%PDF"u8.ToArray(), printed[..4]);
        Assert.True(printed.Length > 20_000, $"pdf of {printed.Length} bytes");
    }

    private async Task RunChromiumAsync(params string[] arguments)
    {
        var profile = Directory.CreateTempSubdirectory("synthetics-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo("chromium")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
            foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", $"--user-data-dir={profile}" }.Concat(arguments))
            {
                start.ArgumentList.Add(argument);
            }

            Process? process;
            try
            {
                process = Process.Start(start);
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new InvalidOperationException("chromium is required for this test: apt-get install -y chromium (.ci/run installs it)", ex);
            }

            using (process)
            {
                Assert.NotNull(process);
                var stderr = process.StandardError.ReadToEndAsync();
                _ = process.StandardOutput.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(BrowserTimeout);
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException($"chromium did not finish within {BrowserTimeout.TotalSeconds} s");
                }

                output.WriteLine(await stderr);
                Assert.Equal(0, process.ExitCode);
            }
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
