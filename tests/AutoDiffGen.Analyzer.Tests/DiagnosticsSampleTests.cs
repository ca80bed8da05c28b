using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using AutoDiffGen.Analyzer.Tests.Infrastructure;

namespace AutoDiffGen.Analyzer.Tests;

/// <summary>
/// Builds samples/Diagnostics with the real SDK (the generator and the code fixes referenced as a user project
/// references them) and compares the ADG diagnostics in the compiler's SARIF log with the sample's
/// <c>// expect: ADGnnnn</c> marks: same ids, same files, same lines, nothing more.
/// </summary>
public class DiagnosticsSampleTests
{
    private static readonly Regex ExpectMark = new(@"//\s*expect:\s*(ADG[0-9]{4}(?:\s*,\s*ADG[0-9]{4})*)", RegexOptions.Compiled);

    private static string SampleDirectory => Path.Combine(Harness.RepositoryRoot, "samples", "Diagnostics");

    /// <summary>(file name, 1-based line, id) for every mark in the sample's sources.</summary>
    public static IReadOnlyList<(string File, int Line, string Id)> ExpectedFromMarkers()
    {
        var expected = new List<(string, int, string)>();
        foreach (string path in Directory.GetFiles(SampleDirectory, "*.cs", SearchOption.TopDirectoryOnly).OrderBy(p => p, StringComparer.Ordinal))
        {
            string[] lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                Match match = ExpectMark.Match(lines[i]);
                if (!match.Success) continue;
                foreach (string id in match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))
                {
                    expected.Add((Path.GetFileName(path), i + 1, id));
                }
            }
        }
        return expected;
    }

    [Fact]
    public void Building_the_sample_reports_exactly_the_marked_diagnostics()
    {
        string sarif = Path.Combine(Path.GetTempPath(), "adg-diagnostics-sample-" + Guid.NewGuid().ToString("N") + ".sarif");
        try
        {
            string output = Build(sarif);
            Assert.True(File.Exists(sarif), "The compiler wrote no SARIF log. Build output:\n" + output);
            var actual = ReadAdgResults(sarif).OrderBy(r => r.File, StringComparer.Ordinal).ThenBy(r => r.Line).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
            var expected = ExpectedFromMarkers().OrderBy(r => r.File, StringComparer.Ordinal).ThenBy(r => r.Line).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(actual),
                "Expected:\n" + string.Join("\n", expected) + "\nActual:\n" + string.Join("\n", actual) + "\n\nBuild output:\n" + output);
            Assert.DoesNotContain("AD0001", output, StringComparison.Ordinal);
            Assert.DoesNotContain("CS8785", output, StringComparison.Ordinal);
            Assert.DoesNotContain("CS9057", output, StringComparison.Ordinal); // the analyzers load in this compiler
        }
        finally
        {
            File.Delete(sarif);
        }
    }

    /// <summary>Runs dotnet build on the sample (it fails: it has errors on purpose) and returns its output.</summary>
    private static string Build(string sarif)
    {
        // Build the configuration the tests were built in, so the referenced projects are already up to date.
        string configuration = AppContext.BaseDirectory.Replace('\\', '/').Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = SampleDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
                 {
                     "build", Path.Combine(SampleDirectory, "Diagnostics.csproj"), "-c", configuration, "-nologo", "-v:q",
                     "--disable-build-servers", "-nodeReuse:false", "-p:UseSharedCompilation=false",
                     // The referenced projects were built with this test project (it references them too); building
                     // them again while other test processes have them loaded could only do harm.
                     "-p:BuildProjectReferences=false",
                     "-p:ErrorLog=" + sarif + "%2Cversion=2.1",
                 })
        {
            start.ArgumentList.Add(argument);
        }
        // The test host's MSBuild variables would point the child build at the wrong MSBuild.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k == "MSBuildSDKsPath").ToList())
        {
            start.Environment.Remove(name);
        }
        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet build of samples/Diagnostics took more than 5 minutes.");
        }
        return stdout.Result + stderr.Result;
    }

    private static IEnumerable<(string File, int Line, string Id)> ReadAdgResults(string sarif)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(sarif));
        foreach (JsonElement run in document.RootElement.GetProperty("runs").EnumerateArray())
        {
            if (!run.TryGetProperty("results", out JsonElement results)) continue;
            foreach (JsonElement result in results.EnumerateArray())
            {
                string id = result.GetProperty("ruleId").GetString()!;
                if (!id.StartsWith("ADG", StringComparison.Ordinal)) continue;
                // Suppressed results (none expected) would carry "suppressions"; they are not reported diagnostics.
                if (result.TryGetProperty("suppressions", out JsonElement suppressions) && suppressions.GetArrayLength() > 0) continue;
                JsonElement physical = result.GetProperty("locations")[0].GetProperty("physicalLocation");
                string uri = physical.GetProperty("artifactLocation").GetProperty("uri").GetString()!;
                int line = physical.GetProperty("region").GetProperty("startLine").GetInt32();
                yield return (Path.GetFileName(new Uri(uri, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(uri).LocalPath : uri), line, id);
            }
        }
    }
}
