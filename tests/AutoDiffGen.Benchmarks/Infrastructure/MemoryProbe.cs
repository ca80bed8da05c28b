using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using AutoDiffGen.Benchmarks.Benchmarks;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Benchmarks.Infrastructure;

/// <summary>
/// The memory benchmark (<c>--memory</c>): peak bytes of ONE call at N, 10 N and 100 N for every
/// <see cref="IMemoryWorkload"/>. A call's peak is what it holds from the shared pool at most (tapes and adjoint
/// buffers, tracked by <see cref="PooledMemory"/>; the pool reuses arrays, so allocation counters do not see them),
/// plus every byte it allocates on the heap during the call (an upper bound of its heap peak), plus, for the
/// hand-written gradient, its stack buffers (<see cref="IMemoryWorkload.HandScratchBytes"/>). Deterministic: no timing.
/// </summary>
public static class MemoryProbe
{
    public sealed record Measurement(string Workload, int N, long Plain, long Generated, long Hand);

    public static List<Measurement> Measure()
    {
        var results = new List<Measurement>();
        foreach (Type type in typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IMemoryWorkload).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
            .OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var first = (IMemoryWorkload)Activator.CreateInstance(type)!;
            int n0 = (int)type.GetProperty(nameof(IMemoryWorkload.N))!.GetCustomAttribute<BenchmarkDotNet.Attributes.ParamsAttribute>()!.Values[0]!;
            foreach (int n in new[] { n0, 10 * n0, 100 * n0 })
            {
                var workload = (IMemoryWorkload)Activator.CreateInstance(type)!;
                workload.N = n;
                ((IWorkload)workload).Setup();
                long plain = Peak(workload, "Plain");
                long generated = Peak(workload, "Gradient");
                long hand = Peak(workload, "HandWritten") + workload.HandScratchBytes;
                results.Add(new Measurement(type.Name.Replace("Benchmarks", "", StringComparison.Ordinal), n, plain, generated, hand));
            }
        }
        return results;
    }

    private static long Peak(object workload, string methodName)
    {
        var call = workload.GetType().GetMethod(methodName)!.CreateDelegate<Func<double>>(workload);
        call();   // warm: the pool holds the arrays, the JIT is done
        GC.Collect();
        long held = PooledMemory.CurrentBytes;
        PooledMemory.ResetPeak();
        long before = GC.GetAllocatedBytesForCurrentThread();
        call();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return PooledMemory.PeakBytes - held + allocated;
    }

    public static string Report(IReadOnlyList<Measurement> measurements)
    {
        var text = new StringBuilder();
        text.AppendLine("| workload | n | plain | MGradient peak | hand-written peak | MGradient / hand (≤ 2) | target |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|---|");
        foreach (Measurement m in measurements)
        {
            double ratio = m.Hand > 0 ? (double)m.Generated / m.Hand : m.Generated == 0 ? 1 : double.PositiveInfinity;
            text.AppendLine($"| {m.Workload} | {m.N:N0} | {Bytes(m.Plain)} | {Bytes(m.Generated)} | {Bytes(m.Hand)} | {ratio.ToString("0.00", CultureInfo.InvariantCulture)} | {(ratio <= 2 ? "met" : "missed")} |");
        }
        return text.ToString();
    }

    private static string Bytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";
}
