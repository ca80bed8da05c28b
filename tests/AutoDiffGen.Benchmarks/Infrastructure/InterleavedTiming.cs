using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using AutoDiffGen.Benchmarks.Benchmarks;

namespace AutoDiffGen.Benchmarks.Infrastructure;

/// <summary>
/// <c>--interleaved [name,name,…]</c>: on a loaded machine BenchmarkDotNet's separate runs of each method see different
/// loads. This times Plain, Gradient, Backward (where the workload has it) and HandWritten of each workload in
/// alternation (21 rounds, each method's round long enough to take ~50 ms), so they share the load, and reports the
/// medians and their ratios. Without names: the growing-data workloads (<see cref="IMemoryWorkload"/>); with names:
/// every workload whose name contains one of them (e.g. <c>--interleaved GaussianMixture,SoftmaxMlp</c>). With
/// <c>--cpu</c> a round is timed by the thread's CPU time (CLOCK_THREAD_CPUTIME_ID): on a machine with more runnable
/// threads than cores the wall clock also counts the time the thread waits for a core, which differs from round to round.
/// </summary>
public static class InterleavedTiming
{
    /// <summary>The methods timed, where a workload has them; Tangent and HandTangent (MTangent and its hand-written yardstick) only Rosenbrock has.</summary>
    private static readonly string[] Methods = { "Plain", "Gradient", "Backward", "HandWritten", "Tangent", "HandTangent" };

    public static string Run(IReadOnlyList<string>? names = null, bool threadCpu = false)
    {
        // Nanoseconds: the wall clock, or the thread's CPU time.
        Func<double> now = threadCpu
            ? () => EditCostProbe.CpuMilliseconds(EditCostProbe.ThreadClock) * 1e6
            : () => Stopwatch.GetTimestamp() * 1e9 / Stopwatch.Frequency;
        var text = new StringBuilder();
        text.AppendLine("| workload | plain | MGradient | MBackward | hand-written | MGradient / plain (≤ 3) | MGradient / hand (≤ 1.3) | MBackward / MGradient | MTangent / plain (≤ 2) | hand tangent / plain |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        var selected = Program.Workloads().Where(w => names is null || names.Count == 0
            ? w.Workload is IMemoryWorkload
            : names.Any(n => w.Name.Contains(n, StringComparison.OrdinalIgnoreCase)));
        foreach (var (workload, name, parameters) in selected)
        {
            // A workload without one of the methods gets no column for it (NaN).
            var calls = Methods.Select(m => workload.GetType().GetMethod(m, Type.EmptyTypes) is { ReturnType: var r } method && r == typeof(double)
                ? method.CreateDelegate<Func<double>>(workload) : null).ToArray();
            if (calls[0] is null || calls[1] is null || calls[3] is null) continue;
            // Calls per round: ~50 ms of the plain function.
            var watch = Stopwatch.StartNew();
            int count = 0;
            while (watch.ElapsedMilliseconds < 50) { calls[0]!(); count++; }
            var samples = Methods.Select(_ => new List<double>()).ToArray();
            for (int round = 0; round < 21; round++)
            {
                for (int m = 0; m < calls.Length; m++)
                {
                    if (calls[m] is not { } call) continue;
                    double start = now();
                    for (int i = 0; i < count; i++) call();
                    samples[m].Add((now() - start) / count);
                }
            }
            double[] median = samples.Select(s => s.Count == 0 ? double.NaN : s.OrderBy(x => x).ElementAt(s.Count / 2)).ToArray();
            string label = (name + " " + parameters).Trim();
            text.AppendLine($"| {label} | {Time(median[0])} | {Time(median[1])} | {Time(median[2])} | {Time(median[3])} | {R(median[1] / median[0])} | {R(median[1] / median[3])} | {R(median[2] / median[1])} | {R(median[4] / median[0])} | {R(median[5] / median[0])} |");
        }
        return text.ToString();
    }

    private static string R(double r) => double.IsNaN(r) ? "–" : r.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Time(double ns) => double.IsNaN(ns) ? "–" : ns < 1e6
        ? (ns / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " µs"
        : (ns / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " ms";
}
