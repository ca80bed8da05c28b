using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using AutoDiffGen.Benchmarks.Benchmarks;

namespace AutoDiffGen.Benchmarks.Infrastructure;

/// <summary>
/// <c>--interleaved</c>: on a loaded machine BenchmarkDotNet's separate runs of each method see different loads. This
/// times Plain, Gradient and HandWritten of each <see cref="IMemoryWorkload"/> in alternation (21 rounds, each
/// method's round long enough to take ~50 ms), so the three share the load, and reports the medians and their ratios.
/// </summary>
public static class InterleavedTiming
{
    private static readonly string[] Methods = { "Plain", "Gradient", "HandWritten" };

    public static string Run()
    {
        var text = new StringBuilder();
        text.AppendLine("| workload | plain | MGradient | hand-written | MGradient / plain (≤ 3) | MGradient / hand (≤ 1.3) |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|");
        foreach (var (workload, name, parameters) in Program.Workloads().Where(w => w.Workload is IMemoryWorkload))
        {
            var calls = Methods.Select(m => workload.GetType().GetMethod(m)!.CreateDelegate<Func<double>>(workload)).ToArray();
            // Calls per round: ~50 ms of the plain function.
            var watch = Stopwatch.StartNew();
            int count = 0;
            while (watch.ElapsedMilliseconds < 50) { calls[0](); count++; }
            var samples = Methods.Select(_ => new List<double>()).ToArray();
            for (int round = 0; round < 21; round++)
            {
                for (int m = 0; m < calls.Length; m++)
                {
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < count; i++) calls[m]();
                    samples[m].Add((Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency / count);
                }
            }
            double[] median = samples.Select(s => s.OrderBy(x => x).ElementAt(s.Count / 2)).ToArray();
            string label = (name + " " + parameters).Trim();
            text.AppendLine($"| {label} | {Time(median[0])} | {Time(median[1])} | {Time(median[2])} | {R(median[1] / median[0])} | {R(median[1] / median[2])} |");
        }
        return text.ToString();
    }

    private static string R(double r) => r.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Time(double ns) => ns < 1e6
        ? (ns / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " µs"
        : (ns / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " ms";
}
