using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using AutoDiffGen.Benchmarks.Benchmarks;
using AutoDiffGen.Benchmarks.Infrastructure;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AutoDiffGen.Benchmarks;

/// <summary>
/// Entry point. Checks every workload's generated gradient against its hand-written one, then hands the arguments
/// to BenchmarkSwitcher (so <c>--filter '*'</c>, <c>--list flat</c> and the other BenchmarkDotNet options work).
/// Own options, all optional:
/// <list type="bullet">
/// <item>no option: the suite job (1 launch, 3 warm-up and 10 measured iterations of 250 ms), the whole suite in
/// about 15 minutes on 2 cores; RESULTS.md comes from it;</item>
/// <item><c>--short</c>: Job.ShortRun (3 iterations), a quick look, noisier;</item>
/// <item><c>--full</c>: BenchmarkDotNet's default job, the most precise and much longer;</item>
/// <item><c>--check</c>: the self-check only;</item>
/// <item><c>--alloc</c>: the self-check, then exact steady-state bytes allocated per call of each method (also run
/// after every benchmark run, for the report's allocation column);</item>
/// <item><c>--in-process</c>: with any of the above, run the benchmarks in this process (no separate build);</item>
/// <item><c>--interleaved [name,…]</c>: the self-check, then Plain, Gradient, Backward and HandWritten of the
/// growing-data workloads (or of the workloads named) timed in alternation (<see cref="InterleavedTiming"/>), for a
/// loaded machine; with <c>--cpu</c>, each round is timed by the thread's CPU time instead of the wall clock, so that
/// time the thread spends waiting for a core on a loaded machine is not counted;</item>
/// <item><c>--memory</c>: the self-check, then the peak bytes of one gradient call at N, 10 N and 100 N
/// (<see cref="MemoryProbe"/>);</item>
/// <item><c>--edits</c>: what a keystroke costs the IDE at 50 and 200 methods — a cold run, an edit outside every
/// [Differentiable] method, an edit inside one, and the engine alone on that method — wall and CPU time
/// (<see cref="EditCostProbe"/>; checks the generator-cost project itself, not the other workloads).</item>
/// <item><c>--passes [N,N,… [shape]]</c>: the engine alone on one long method of N statements (200, 800, 3 200 unless
/// given), straight, in a loop, accumulating and branchy (or only the shapes whose name contains <c>shape</c>), with the
/// CPU time and allocation of each pass (<see cref="PassCostProbe"/>).</item>
/// </list>
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        bool full = args.Contains("--full");
        bool checkOnly = args.Contains("--check");
        bool allocOnly = args.Contains("--alloc");
        bool memoryOnly = args.Contains("--memory");
        bool inProcess = args.Contains("--in-process");
        bool interleaved = args.Contains("--interleaved");
        string[] rest = args.Where(a => a is not ("--full" or "--short" or "--check" or "--alloc" or "--memory" or "--in-process" or "--interleaved" or "--cpu" or "--edits")).ToArray();

        if (Array.IndexOf(args, "--passes") is int passes and >= 0)
        {
            string[] operands = args.Skip(passes + 1).TakeWhile(a => !a.StartsWith("-", StringComparison.Ordinal)).ToArray();
            int[] sizes = operands.Length > 0 ? operands[0].Split(',').Select(int.Parse).ToArray() : new[] { 200, 800, 3200 };
            Console.WriteLine(PassCostProbe.Run(sizes, operands.Length > 1 ? operands[1] : null));
            return 0;
        }
        if (args.Contains("--edits"))
        {
            Console.WriteLine("Generator cost per edit, warm driver, medians (wall; CPU of the driver's thread; CPU of the process):");
            Console.WriteLine(EditCostProbe.Run());
            return 0;
        }

        // `--interleaved name,…` checks (and times) only the workloads named.
        string[] names = interleaved
            ? args.SkipWhile(a => a != "--interleaved").Skip(1).TakeWhile(a => !a.StartsWith("-", StringComparison.Ordinal))
                .SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToArray()
            : Array.Empty<string>();
        try
        {
            RunSelfCheck(names);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine("SELF-CHECK FAILED: a generated gradient disagrees with the hand-written one; nothing is benchmarked.");
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        if (checkOnly) return 0;
        if (interleaved)
        {
            Console.WriteLine("Medians of 21 interleaved rounds (Plain, Gradient, Backward, HandWritten, and Tangent and HandTangent where a workload has them, alternate, so they share the machine's load):");
            Console.WriteLine(InterleavedTiming.Run(names, threadCpu: args.Contains("--cpu")));
            return 0;
        }
        if (memoryOnly)
        {
            Console.WriteLine("Peak bytes of one call (pooled tapes and adjoints + heap allocated during the call + the hand-written gradient's stack buffers):");
            Console.WriteLine(MemoryProbe.Report(MemoryProbe.Measure()));
            return 0;
        }
        if (allocOnly)
        {
            AllocationProbe.Print(AllocationProbe.Measure());
            return 0;
        }

        bool quick = args.Contains("--short");
        Job job = full ? Job.Default.WithId("Full")
            : quick ? Job.ShortRun
            : Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10)
                .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250)).WithId("Suite");
        if (inProcess)
        {
            // No per-benchmark build (which times out after 2 minutes on a loaded machine): run in this process.
            job = job.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance);
        }
        IConfig config = DefaultConfig.Instance
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableLogFile);

        IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config);
        var list = summaries.ToList();
        if (list.Count == 0) return 0;

        var allocations = AllocationProbe.Measure();
        AllocationProbe.Print(allocations);
        string report = RatioReport.Build(list, allocations);
        Console.WriteLine();
        Console.WriteLine(report);
        string directory = list[0].ResultsDirectoryPath;
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "AutoDiffGen-ratios.md");
        File.WriteAllText(path, report);
        Console.WriteLine($"Ratios written to {path}");
        return list.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }

    /// <summary>
    /// Every workload (or each whose name contains one of <paramref name="names"/>), with every value of its [Params],
    /// is set up and verified before anything is timed.
    /// </summary>
    private static void RunSelfCheck(IReadOnlyList<string> names)
    {
        Console.WriteLine("Self-check: generated gradients against hand-written ones (and finite differences)");
        foreach (var (workload, name, _) in Workloads(includeGeneratorCost: names.Count == 0))
        {
            if (names.Count > 0 && !names.Any(n => name.Contains(n, StringComparison.OrdinalIgnoreCase))) continue;
            workload.Check();
        }
        Console.WriteLine("Self-check passed.");
        Console.WriteLine();
    }

    /// <summary>Each benchmark class, once per value of its [Params], set up as BenchmarkDotNet would.</summary>
    internal static IEnumerable<(IWorkload Workload, string Name, string Parameters)> Workloads(bool includeGeneratorCost = false)
    {
        foreach (Type type in typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IWorkload).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
            .Where(t => includeGeneratorCost || (t != typeof(GeneratorCostBenchmarks) && t != typeof(MethodSizeBenchmarks)))
            .OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            PropertyInfo? parameter = type.GetProperties().FirstOrDefault(p => p.GetCustomAttribute<BenchmarkDotNet.Attributes.ParamsAttribute>() is not null);
            object?[] values = parameter?.GetCustomAttribute<BenchmarkDotNet.Attributes.ParamsAttribute>()!.Values ?? new object?[] { null };
            foreach (object? value in values)
            {
                var workload = (IWorkload)Activator.CreateInstance(type)!;
                parameter?.SetValue(workload, value);
                workload.Setup();
                // Named as BenchmarkDotNet names them (type without "Benchmarks", parameters as "[N=10]").
                yield return (workload, type.Name.Replace("Benchmarks", "", StringComparison.Ordinal), parameter is null ? "" : $"[{parameter.Name}={value}]");
            }
        }
    }
}
