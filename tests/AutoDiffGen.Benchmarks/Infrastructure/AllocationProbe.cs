using System;
using System.Collections.Generic;
using System.Reflection;

namespace AutoDiffGen.Benchmarks.Infrastructure;

/// <summary>
/// Bytes allocated per call in steady state, counted exactly with <see cref="GC.GetAllocatedBytesForCurrentThread"/>
/// (no timing noise, no other code in the count), and how many calls allocated at all, so an amortised allocation
/// (a pool miss now and then) is told apart from one on every call. Runs after the benchmarks (and alone with
/// <c>--alloc</c>); the report takes the allocation target from it.
/// </summary>
public static class AllocationProbe
{
    public sealed record Measurement(string Workload, string Parameters, string Method, double BytesPerCall, int Allocating, int Calls);

    private static readonly string[] Methods = { "Plain", "Gradient", "Backward", "HandWritten" };

    public static List<Measurement> Measure()
    {
        var results = new List<Measurement>();
        foreach (var (workload, name, parameters) in Program.Workloads())
        {
            foreach (string methodName in Methods)
            {
                MethodInfo method = workload.GetType().GetMethod(methodName)!;
                var call = method.CreateDelegate<Func<double>>(workload);
                for (int i = 0; i < 20; i++) call();
                int calls = 50;
                long total = 0;
                int allocating = 0;
                for (int i = 0; i < calls; i++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    call();
                    long delta = GC.GetAllocatedBytesForCurrentThread() - before;
                    total += delta;
                    if (delta > 0) allocating++;
                }
                results.Add(new Measurement(name, parameters, methodName, (double)total / calls, allocating, calls));
            }
        }
        return results;
    }

    public static void Print(IEnumerable<Measurement> measurements)
    {
        Console.WriteLine("Steady-state allocation per call (after 20 warm-up calls, 50 measured):");
        Console.WriteLine($"  {"workload",-36} {"method",-12} {"B/call",10}   calls that allocated");
        foreach (Measurement m in measurements)
        {
            Console.WriteLine($"  {(m.Workload + " " + m.Parameters).Trim(),-36} {m.Method,-12} {m.BytesPerCall,10:0.#}   {m.Allocating} of {m.Calls}");
        }
    }
}
