using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace AutoDiffGen.Generator.Tests.Infrastructure;

/// <summary>
/// Compares generated text with the reviewed copy in Snapshots/&lt;name&gt;.g.cs. On a mismatch it writes
/// &lt;name&gt;.received.g.cs beside it (git-ignored) and fails; a missing snapshot is written and fails once,
/// so a new test creates its snapshot on the first run, to be reviewed and committed.
/// </summary>
public static class Snapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string callerFilePath = "")
    {
        string folder = SnapshotFolder(callerFilePath);
        string expectedPath = Path.Combine(folder, name + ".g.cs");
        string receivedPath = Path.Combine(folder, name + ".received.g.cs");
        string normalized = Normalize(actual);

        if (!File.Exists(expectedPath))
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(expectedPath, normalized);
            throw new Xunit.Sdk.XunitException(
                $"Snapshot {name} did not exist; it was written to {expectedPath}. Review it, commit it and run again.");
        }

        string expected = Normalize(File.ReadAllText(expectedPath));
        if (string.Equals(expected, normalized, StringComparison.Ordinal))
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, normalized);
        throw new Xunit.Sdk.XunitException(
            $"Snapshot {name} differs from {expectedPath}.\nThe generated text is in {receivedPath}; if the change is intended, " +
            $"replace the snapshot with it.\n{FirstDifference(expected, normalized)}");
    }

    /// <summary>
    /// The files of snapshot <paramref name="name"/>, as the generator must emit them: its hint name and exact text
    /// each (the inverse of <see cref="GeneratorRun.GeneratedText"/>), for the testing library's expected sources.
    /// </summary>
    public static IReadOnlyList<(string HintName, string Text)> Files(string name, [CallerFilePath] string callerFilePath = "")
    {
        string text = Normalize(File.ReadAllText(Path.Combine(SnapshotFolder(callerFilePath), name + ".g.cs")));
        var files = new List<(string, string)>();
        foreach (Match header in FileHeader.Matches(text))
        {
            int start = header.Index + header.Length;
            Match next = header.NextMatch();
            int end = next.Success ? next.Index : text.Length;
            // Each file is followed by the one line break GeneratedText puts between files.
            files.Add((header.Groups[1].Value, text.Substring(start, end - start - 1)));
        }
        if (files.Count == 0) throw new InvalidOperationException($"Snapshot {name} has no '// ==== hint ====' header.");
        return files;
    }

    private static readonly Regex FileHeader = new(@"^// ==== (\S+) ====\n", RegexOptions.Multiline | RegexOptions.Compiled);

    private static string SnapshotFolder(string callerFilePath)
    {
        // Walk up from the calling test file to the project folder, so tests in subfolders share one Snapshots/.
        var directory = new DirectoryInfo(Path.GetDirectoryName(callerFilePath)!);
        while (directory is not null && directory.GetFiles("*.csproj").Length == 0)
        {
            directory = directory.Parent;
        }
        if (directory is null) throw new InvalidOperationException($"No project folder above {callerFilePath}.");
        return Path.Combine(directory.FullName, "Snapshots");
    }

    private static string Normalize(string text)
    {
        text = text.Replace("\r\n", "\n");
        return text.EndsWith('\n') ? text : text + "\n";
    }

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string el = i < e.Length ? e[i] : "<end of file>";
            string al = i < a.Length ? a[i] : "<end of file>";
            if (el != al) return $"First difference at line {i + 1}:\n  expected: {el}\n  actual:   {al}";
        }
        return "The texts differ.";
    }
}
