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

    public static string Build(IReadOnlyList<Summary> summaries)
    {
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
        text.AppendLine("```");
        text.AppendLine();

        var workloads = rows.Where(r => r.Method == "Gradient").Select(r => (r.Workload, r.Parameters)).Distinct().ToList();
        if (workloads.Count > 0)
        {
            text.AppendLine("## Generated gradient against the plain function and the hand-written gradient");
            text.AppendLine();
            text.AppendLine("| workload | plain | MGradient | MBackward | hand-written | finite diff. | MGradient / plain (≤ 3) | MGradient / hand (≤ 1.5) | MBackward / hand | B/op plain | B/op MGradient | B/op MBackward | B/op hand | targets |");
            text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
            foreach (var (workload, parameters) in workloads)
            {
                Row? Get(string method) => rows.FirstOrDefault(r => r.Workload == workload && r.Parameters == parameters && r.Method == method);
                Row? plain = Get("Plain"), gradient = Get("Gradient"), backward = Get("Backward"), hand = Get("HandWritten"), fd = Get("FiniteDifferences");
                double? overPlain = Ratio(gradient, plain);
                double? overHand = Ratio(gradient, hand);
                double? backwardOverHand = Ratio(backward, hand);
                long? extra = gradient?.Allocated - plain?.Allocated;
                var missed = new List<string>();
                if (overPlain > 3) missed.Add("×plain");
                if (overHand > 1.5) missed.Add("×hand");
                if (extra > 0) missed.Add("alloc");
                string name = parameters.Length == 0 ? workload : $"{workload} ({parameters})";
                text.AppendLine($"| {name} | {Time(plain)} | {Time(gradient)} | {Time(backward)} | {Time(hand)} | {Time(fd)} | {R(overPlain)} | {R(overHand)} | {R(backwardOverHand)} | {B(plain)} | {B(gradient)} | {B(backward)} | {B(hand)} | {(missed.Count == 0 ? "met" : "missed: " + string.Join(", ", missed))} |");
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
                string small = sizes[0], large = sizes[^1];
                long growth = N(large) / Math.Max(1, N(small));
                foreach (string method in new[] { "Plain", "Gradient", "HandWritten" })
                {
                    Row? a = scaling.FirstOrDefault(r => r.Parameters == small && r.Method == method);
                    Row? b = scaling.FirstOrDefault(r => r.Parameters == large && r.Method == method);
                    if (a is not null && b is not null)
                    {
                        text.AppendLine();
                        text.Append($"- {method}: n × {growth:N0} → time × {b.MeanNs / a.MeanNs:N0}");
                    }
                }
                text.AppendLine();
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

    private static long N(string parameters) =>
        long.TryParse(parameters.Split('=').Last(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : 0;

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
