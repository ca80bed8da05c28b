using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Reports;

namespace AutoDiffGen.Benchmarks.Infrastructure;

/// <summary>
/// Turns the summaries of one run into the issue's table: per workload (and parameter value) the generated
/// gradient over the plain function and over the hand-written gradient, the bytes each allocates per call, and
/// the Rosenbrock scaling from n = 10 to 100 000.
/// </summary>
public static class RatioReport
{
    private sealed record Row(string Workload, string Parameters, string Method, double MeanNs, long? Allocated);

    public static string Build(IReadOnlyList<Summary> summaries, IReadOnlyList<AllocationProbe.Measurement> allocations)
    {
        double? Exact(string workload, string parameters, string method) =>
            allocations.FirstOrDefault(a => a.Workload == workload && a.Parameters == parameters && a.Method == method)?.BytesPerCall;
        var rows = new List<Row>();
        foreach (Summary summary in summaries)
        {
            foreach (BenchmarkReport report in summary.Reports)
            {
                if (report.ResultStatistics is null) continue;
                var descriptor = report.BenchmarkCase.Descriptor;
                string workload = descriptor.Type.Name.Replace("Benchmarks", "", StringComparison.Ordinal);
                string parameters = report.BenchmarkCase.Parameters.DisplayInfo;
                long? allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
                rows.Add(new Row(workload, parameters, descriptor.WorkloadMethod.Name, report.ResultStatistics.Mean, allocated));
            }
        }

        var text = new StringBuilder();
        Summary first = summaries[0];
        text.AppendLine("## Machine");
        text.AppendLine();
        text.AppendLine("```");
        foreach (string line in first.HostEnvironmentInfo.ToFormattedString()) text.AppendLine(line);
        text.AppendLine(first.AllRuntimes.TrimEnd());
        text.AppendLine("```");
        text.AppendLine();

        var workloads = rows.Where(r => r.Method == "Gradient").Select(r => (r.Workload, r.Parameters)).Distinct().ToList();
        if (workloads.Count > 0)
        {
            text.AppendLine("## Generated gradient against the plain function and the hand-written gradient");
            text.AppendLine();
            text.AppendLine("Times are BenchmarkDotNet means; B/op columns are BenchmarkDotNet's MemoryDiagnoser; \"extra B/call\" is the");
            text.AppendLine("exact steady-state count (GC.GetAllocatedBytesForCurrentThread around single calls) of MGradient minus the plain");
            text.AppendLine("function, i.e. what the gradient allocates beyond the user's own code (target 0).");
            text.AppendLine();
            text.AppendLine("| workload | plain | MGradient | MBackward | hand-written | finite diff. | MGradient / plain (≤ 3) | MGradient / hand (≤ 1.5) | MBackward / hand | B/op plain | B/op MGradient | B/op MBackward | B/op hand | extra B/call (exact) | targets |");
            text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
            foreach (var (workload, parameters) in workloads)
            {
                Row? Get(string method) => rows.FirstOrDefault(r => r.Workload == workload && r.Parameters == parameters && r.Method == method);
                Row? plain = Get("Plain"), gradient = Get("Gradient"), backward = Get("Backward"), hand = Get("HandWritten"), fd = Get("FiniteDifferences");
                double? overPlain = Ratio(gradient, plain);
                double? overHand = Ratio(gradient, hand);
                double? backwardOverHand = Ratio(backward, hand);
                double? extra = Exact(workload, parameters, "Gradient") - Exact(workload, parameters, "Plain");
                var missed = new List<string>();
                if (overPlain > 3) missed.Add("×plain");
                if (overHand > 1.5) missed.Add("×hand");
                if (extra > 0) missed.Add("alloc");
                string name = parameters.Length == 0 ? workload : $"{workload} ({parameters.Trim('[', ']')})";
                text.AppendLine($"| {name} | {Time(plain)} | {Time(gradient)} | {Time(backward)} | {Time(hand)} | {Time(fd)} | {R(overPlain)} | {R(overHand)} | {R(backwardOverHand)} | {B(plain)} | {B(gradient)} | {B(backward)} | {B(hand)} | {(extra is null ? "–" : extra.Value.ToString("N0", CultureInfo.InvariantCulture))} | {(missed.Count == 0 ? "met" : "missed: " + string.Join(", ", missed))} |");
            }
            text.AppendLine();
        }

        var scaling = rows.Where(r => r.Workload == "Rosenbrock").ToList();
        if (scaling.Count > 0)
        {
            var sizes = scaling.Select(r => r.Parameters).Distinct().OrderBy(p => N(p)).ToList();
            text.AppendLine("## Rosenbrock scaling (time per element, ns)");
            text.AppendLine();
            text.AppendLine("| n | plain | MGradient | MBackward | hand-written | MGradient / plain | MGradient / hand |");
            text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|");
            foreach (string p in sizes)
            {
                long n = N(p);
                Row? Get(string method) => scaling.FirstOrDefault(r => r.Parameters == p && r.Method == method);
                string PerElement(Row? r) => r is null ? "–" : (r.MeanNs / n).ToString("0.00", CultureInfo.InvariantCulture);
                text.AppendLine($"| {n:N0} | {PerElement(Get("Plain"))} | {PerElement(Get("Gradient"))} | {PerElement(Get("Backward"))} | {PerElement(Get("HandWritten"))} | {R(Ratio(Get("Gradient"), Get("Plain")))} | {R(Ratio(Get("Gradient"), Get("HandWritten")))} |");
            }
            if (sizes.Count >= 2)
            {
                text.AppendLine();
                text.AppendLine("Growth of the time per call (linear cost: time grows as n does):");
                text.AppendLine();
                var steps = sizes.Zip(sizes.Skip(1)).ToList();
                if (sizes.Count > 2) steps.Add((sizes[0], sizes[^1]));
                foreach (string method in new[] { "Plain", "Gradient", "Backward", "HandWritten" })
                {
                    var parts = new List<string>();
                    foreach (var (small, large) in steps)
                    {
                        Row? a = scaling.FirstOrDefault(r => r.Parameters == small && r.Method == method);
                        Row? b = scaling.FirstOrDefault(r => r.Parameters == large && r.Method == method);
                        if (a is not null && b is not null)
                        {
                            parts.Add($"n {N(small):N0} → {N(large):N0} (× {N(large) / Math.Max(1, N(small)):N0}): time × {b.MeanNs / a.MeanNs:N1}");
                        }
                    }
                    if (parts.Count > 0) text.AppendLine($"- {method}: {string.Join("; ", parts)}");
                }
            }
            text.AppendLine();
        }

        var other = rows.Where(r => !workloads.Any(w => w.Workload == r.Workload) && r.Workload != "Rosenbrock").ToList();
        if (other.Count > 0)
        {
            text.AppendLine("## Other benchmarks");
            text.AppendLine();
            text.AppendLine("| benchmark | method | parameters | mean | allocated |");
            text.AppendLine("|---|---|---|--:|--:|");
            foreach (Row r in other)
            {
                text.AppendLine($"| {r.Workload} | {r.Method} | {r.Parameters} | {Time(r)} | {B(r)} |");
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    /// <summary>The value of the one parameter in BenchmarkDotNet's display form, "[N=100000]".</summary>
    private static long N(string parameters) =>
        long.TryParse(parameters.Split('=').Last().Trim('[', ']', ' '), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : 0;

    private static double? Ratio(Row? a, Row? b) => a is null || b is null || b.MeanNs <= 0 ? null : a.MeanNs / b.MeanNs;

    private static string R(double? ratio) => ratio is null ? "–" : ratio.Value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string B(Row? r) => r?.Allocated is null ? "–" : r.Allocated.Value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Time(Row? r)
    {
        if (r is null) return "–";
        double ns = r.MeanNs;
        return ns switch
        {
            < 1e3 => ns.ToString("0.0", CultureInfo.InvariantCulture) + " ns",
            < 1e6 => (ns / 1e3).ToString("0.00", CultureInfo.InvariantCulture) + " µs",
            < 1e9 => (ns / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " ms",
            _ => (ns / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " s",
        };
    }
}
