using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using AutoDiffGen.Benchmarks.Benchmarks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiffGen.Benchmarks.Infrastructure;

/// <summary>
/// What a keystroke costs the IDE (issue 11), measured as the IDE drives the generator: a warm
/// <c>CSharpGeneratorDriver</c>, one syntax tree replaced, <c>RunGenerators</c>. Reports the median over many edits of
/// the wall time and of the CPU time of the thread that runs the driver (the driver runs generators on the calling
/// thread; on a loaded machine the wall time includes waiting for a core, the CPU time does not), and the process's
/// CPU time (which adds the JIT and the GC). Edits alternate between two texts so each run sees a real change; the
/// engine alone on the edited method is timed the same way, for the "own engine time + 10 ms" budget. The drivers do
/// not track steps (the IDE's do not).
/// </summary>
internal static class EditCostProbe
{
    private const int Warmup = 20;
    private const int Rounds = 60;

    public static string Run()
    {
        var report = new StringBuilder();
        report.AppendLine("| methods | operation | wall median (ms) | thread CPU median (ms) | process CPU median (ms) |");
        report.AppendLine("|---:|---|---:|---:|---:|");
        // The last project: M4, M14… ask for forward mode and M9, M19… for the Hessian, each calling a plain method.
        foreach (var (methods, tangentCallers) in new[] { (50, false), (200, false), (200, true) })
        {
            var benchmark = new GeneratorCostBenchmarks { Methods = methods, TangentCallers = tangentCallers };
            benchmark.Setup();
            benchmark.Check();
            var (project, methodEdited, unrelatedEdited) = benchmark.Compilations;
            string label = tangentCallers ? methods + " (tangent callers)" : methods.ToString(System.Globalization.CultureInfo.InvariantCulture);

            Row(report, label, "cold run (new driver)", Measure(3, 1, _ => benchmark.CreateDriver(trackSteps: false).RunGenerators(project.Clone())));

            GeneratorDriver driver = benchmark.CreateDriver(trackSteps: false).RunGenerators(project);
            Row(report, label, "edit outside [Differentiable] methods", Measure(Warmup, Rounds, round =>
                driver = driver.RunGenerators(round % 2 == 0 ? unrelatedEdited.Clone() : project.Clone())));
            // Alternating the edited file with the original also changes M0 back: every round re-differentiates M0 once.
            driver = benchmark.CreateDriver(trackSteps: false).RunGenerators(project);
            Row(report, label, tangentCallers ? "edit inside one method (M0, callee of a forward-mode caller)" : "edit inside one method", Measure(Warmup, Rounds, round =>
                driver = driver.RunGenerators(round % 2 == 0 ? methodEdited.Clone() : project.Clone())));
            Row(report, label, "the engine alone on that method", Measure(Warmup, Rounds, _ =>
                GeneratorCostBenchmarks.RunEngineOnFirstMethod(methodEdited.Clone())));
            if (tangentCallers)
            {
                CSharpCompilation callerEdited = benchmark.CallerEdited;
                driver = benchmark.CreateDriver(trackSteps: false).RunGenerators(project);
                Row(report, label, "edit inside a forward-mode caller (M4)", Measure(Warmup, Rounds, round =>
                    driver = driver.RunGenerators(round % 2 == 0 ? callerEdited.Clone() : project.Clone())));
                Row(report, label, "the engine alone on M4 (its callee checked too)", Measure(Warmup, Rounds, _ =>
                    GeneratorCostBenchmarks.RunEngineOnFirstMethod(callerEdited.Clone(), "M4")));
            }
        }
        report.AppendLine();
        report.AppendLine(StepTimes());
        return report.ToString();
    }

    /// <summary>
    /// Where an edit inside one method goes, at 200 methods: the medians of each named step's time (the driver's own
    /// measure, tracking on), of the generator's whole time in the driver, and of the run's wall time.
    /// </summary>
    private static string StepTimes()
    {
        var benchmark = new GeneratorCostBenchmarks { Methods = 200 };
        benchmark.Setup();
        var (project, methodEdited, _) = benchmark.Compilations;
        GeneratorDriver driver = benchmark.CreateDriver(trackSteps: true).RunGenerators(project);
        var steps = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (int round = 0; round < Warmup + Rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            driver = driver.RunGenerators(round % 2 == 0 ? methodEdited.Clone() : project.Clone());
            double wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (round < Warmup) continue;
            GeneratorRunResult result = driver.GetRunResult().Results.Single();
            var times = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["(run, wall)"] = wall,
                ["(generator, driver's timing)"] = driver.GetTimingInfo().GeneratorTimes.Single().ElapsedTime.TotalMilliseconds,
            };
            foreach (var (name, runs) in result.TrackedSteps)
            {
                times[name] = runs.Sum(r => r.ElapsedTime.TotalMilliseconds);
            }
            foreach (var (name, time) in times)
            {
                if (!steps.TryGetValue(name, out var list)) steps[name] = list = new List<double>();
                list.Add(time);
            }
        }
        var table = new StringBuilder();
        table.AppendLine("Edit inside one method, 200 methods, steps tracked: median ms per run");
        table.AppendLine("| step | median ms |");
        table.AppendLine("|---|--:|");
        foreach (var (name, list) in steps.OrderByDescending(kv => Median(kv.Value)))
        {
            table.AppendLine($"| {name} | {Median(list):F2} |");
        }
        return table.ToString();
    }

    private static void Row(StringBuilder report, string methods, string operation, (double Wall, double Thread, double Process) m) =>
        report.AppendLine($"| {methods} | {operation} | {m.Wall:F1} | {m.Thread:F1} | {m.Process:F1} |");

    private static (double Wall, double Thread, double Process) Measure(int warmup, int rounds, Action<int> operation)
    {
        for (int i = 0; i < warmup; i++) operation(i);
        var wall = new List<double>();
        var thread = new List<double>();
        var process = new List<double>();
        for (int i = 0; i < rounds; i++)
        {
            double t0 = CpuMilliseconds(ThreadClock), p0 = CpuMilliseconds(ProcessClock);
            long w0 = Stopwatch.GetTimestamp();
            operation(warmup + i);
            wall.Add(Stopwatch.GetElapsedTime(w0).TotalMilliseconds);
            thread.Add(CpuMilliseconds(ThreadClock) - t0);
            process.Add(CpuMilliseconds(ProcessClock) - p0);
        }
        return (Median(wall), Median(thread), Median(process));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    private const int ProcessClock = 2; // CLOCK_PROCESS_CPUTIME_ID
    internal const int ThreadClock = 3;  // CLOCK_THREAD_CPUTIME_ID

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    /// <summary>CPU time in nanosecond resolution (Linux; elsewhere the process's CPU time, in the OS's ticks, for both).</summary>
    internal static double CpuMilliseconds(int clock)
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(clock, out Timespec time) == 0)
        {
            return time.Seconds * 1000.0 + time.Nanoseconds / 1e6;
        }
        return Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
    }
}
