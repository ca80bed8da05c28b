using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using AutoDiffGen.Benchmarks.Benchmarks;
using AutoDiffGen.Benchmarks.Workloads;
using AutoDiffGen.Generator.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PassCost = AutoDiffGen.Generator.Engine.PassTimings.PassCost;

namespace AutoDiffGen.Benchmarks.Infrastructure;

/// <summary>
/// Where the engine's time goes on one long method (issue 11: linear, at most 0.2 ms per statement): the engine run
/// alone (the compiler's binding is done first) on <see cref="LongMethods"/> of growing size, straight-line, as a loop
/// body, branchy and reading array elements, with each pass's CPU time (of the engine's thread) and allocation (<see cref="PassTimings"/>).
/// A pass whose cost per statement grows with the size is not linear; the allocation does not depend on the machine's
/// load, the time does (each cell is the run with the least CPU time of a few; every run and their median follow).
/// </summary>
internal static class PassCostProbe
{
    /// <summary>One kind of long method (<see cref="LongMethods.Source"/>'s switches), by name.</summary>
    private sealed record Shape(string Name, bool InLoop, bool Accumulate = false, bool Branchy = false, bool Arrays = false)
    {
        public string Source(int statements) => LongMethods.Source(statements, InLoop, Accumulate, Branchy, Arrays);
    }

    private static readonly Shape[] Shapes =
    {
        new("straight", InLoop: false),
        new("loop body", InLoop: true),
        new("accumulating loop body", InLoop: true, Accumulate: true),
        new("branchy straight", InLoop: false, Branchy: true),
        new("branchy loop body", InLoop: true, Branchy: true),
        new("array straight", InLoop: false, Arrays: true),
        new("array loop body", InLoop: true, Arrays: true),
    };

    private const string Total = "(engine, total)";

    /// <summary>The compiler's binding of the method, done before the engine runs; not part of the engine's total.</summary>
    private const string Binding = "(Roslyn binding, before the engine)";

    /// <summary>The generator's engine does not parse its output (the analyzer's does: <c>ParseGenerated</c>); set ADG_PARSE_OUTPUT=1 to include it.</summary>
    private static readonly bool ParseOutput = Environment.GetEnvironmentVariable("ADG_PARSE_OUTPUT") == "1";
    /// <summary>
    /// Runs per size, the cheapest kept (the least disturbed by the machine's other work); ADG_PASSES_REPEATS sets it (3 unless
    /// set): on a noisy VM the cheapest of 7 moves less between processes than the cheapest of 3.
    /// </summary>
    private static readonly int Repeats = int.TryParse(Environment.GetEnvironmentVariable("ADG_PASSES_REPEATS"), out int repeats) && repeats > 0 ? repeats : 3;

    /// <summary>Garbage collection during the engine: wall ms of pauses (part of the passes' CPU time), (collections).</summary>
    private const string GcPauses = "(GC pauses in the engine, wall ms (collections))";

    /// <summary>The gen 2 collections among them (calls column).</summary>
    private const string Gen2Collections = "(gen 2 collections)";

    /// <summary>Set ADG_PASSES_DUMP to a folder to have each shape's generated file written there (to compare two builds' output).</summary>
    private static readonly string? DumpFolder = Environment.GetEnvironmentVariable("ADG_PASSES_DUMP");

    /// <param name="sizes">The method sizes, in statements.</param>
    /// <param name="shape">Only the shapes whose name contains it (all when null).</param>
    public static string Run(IReadOnlyList<int> sizes, string? shape)
    {
        var shapes = Shapes.Where(s => shape is null || s.Name.Contains(shape, StringComparison.Ordinal)).ToList();
        // Warm-up: every pass jitted, and tiered up, before anything is measured. One small run jits the passes at tier 0;
        // the runtime recompiles a method optimized (tier 1) only after 30 calls and a quiet 100 ms, and a process that
        // measured at once saw its first runs at 3 200 statements cost two to four times its later ones (the JIT's
        // work, not the engine's). A compiler server, where the IDE's generators run, is warm after its first minutes.
        // The pause lets the background compilations that the last calls queued finish before the first measured run.
        foreach (Shape each in shapes)
        {
            for (int i = 0; i < 4; i++) Measure(i == 0 ? 100 : 800, each);
        }
        System.Threading.Thread.Sleep(200);

        var report = new StringBuilder();
        foreach (Shape each in shapes)
        {
            string name = each.Name;
            var measured = sizes.Select(size => (Size: size, All: MeasureRepeatedly(size, each, DumpFolder is null ? null : System.IO.Path.Combine(DumpFolder, $"{name.Replace(' ', '-')}-{size}.g.cs")))).ToList();
            var runs = measured.Select(m => (m.Size, Costs: m.All.MinBy(c => c[Total].Time)!)).ToList();
            var passes = runs.SelectMany(r => r.Costs.Keys).Where(p => p is not (Total or Binding or GcPauses or Gen2Collections)).Distinct().OrderBy(p => p, StringComparer.Ordinal)
                .Prepend(Gen2Collections).Prepend(GcPauses).Prepend(Total).Prepend(Binding).ToList();
            report.AppendLine($"{name}: CPU ms per pass (calls) and KB allocated per statement; growth = last size's cost per statement / first size's");
            report.Append("| pass |").Append(string.Concat(runs.Select(r => $" {r.Size} ms | {r.Size} KB/st |"))).AppendLine(" growth ms | growth KB |");
            report.Append("|---|").Append(string.Concat(runs.Select(_ => "--:|--:|"))).AppendLine("--:|--:|");
            foreach (string pass in passes)
            {
                report.Append("| ").Append(pass).Append(" |");
                foreach (var run in runs)
                {
                    run.Costs.TryGetValue(pass, out PassCost cost);
                    report.Append($" {cost.Time / 1000.0:F1}").Append(cost.Calls > 1 || pass is GcPauses or Gen2Collections ? $" ({cost.Calls})" : "").Append($" | {cost.Bytes / 1024.0 / run.Size:F1} |");
                }
                report.Append(Growth(runs, pass, c => c.Time)).AppendLine(Growth(runs, pass, c => c.Bytes));
            }
            var largest = runs[^1];
            report.AppendLine($"{largest.Size} statements: {largest.Costs[Total].Time / 1000.0 / largest.Size:F3} CPU ms per statement");
            // Every run, not just the cheapest: the median says what a typical run costs, the spread how noisy the machine was.
            var perStatement = measured[^1].All.Select(c => c[Total].Time / 1000.0 / largest.Size).ToList();
            double median = perStatement.Order().ElementAt(perStatement.Count / 2);
            report.AppendLine($"{largest.Size} statements, all {perStatement.Count} runs in order: {string.Join(", ", perStatement.Select(t => t.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}; median {median:F3}");
            report.AppendLine($"  GC pauses ms per run: {string.Join(", ", measured[^1].All.Select(c => (c[GcPauses].Time / 1000.0).ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}");
            report.AppendLine();
        }
        return report.ToString();
    }

    private static string Growth(List<(int Size, IReadOnlyDictionary<string, PassCost> Costs)> runs, string pass, Func<PassCost, long> measure)
    {
        double first = runs[0].Costs.TryGetValue(pass, out var a) ? (double)measure(a) / runs[0].Size : 0;
        double last = runs[^1].Costs.TryGetValue(pass, out var b) ? (double)measure(b) / runs[^1].Size : 0;
        return first > 0 ? $" {last / first:F2} |" : " – |";
    }

    /// <summary>The <see cref="Repeats"/> runs at one size, in the order run (the table shows the cheapest).</summary>
    private static List<IReadOnlyDictionary<string, PassCost>> MeasureRepeatedly(int size, Shape shape, string? dumpTo) =>
        Enumerable.Range(0, Repeats).Select(i => Measure(size, shape, i == 0 ? dumpTo : null)).ToList();

    /// <summary>Thread CPU time in microseconds.</summary>
    private static long CpuMicroseconds() => (long)(EditCostProbe.CpuMilliseconds(EditCostProbe.ThreadClock) * 1000);

    private static IReadOnlyDictionary<string, PassCost> Measure(int statements, Shape shape, string? dumpTo = null)
    {
        var compilation = CSharpCompilation.Create("PassCost",
            new[] { CSharpSyntaxTree.ParseText(shape.Source(statements), new CSharpParseOptions(LanguageVersion.Latest)) },
            GeneratorCostBenchmarks.References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SemanticModel model = compilation.GetSemanticModel(tree);
        MethodDeclarationSyntax syntax = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
        var method = (IMethodSymbol)model.GetDeclaredSymbol(syntax)!;
        // Binding is the compiler's work, not the engine's: done before measuring, and reported on its own line. The
        // diagnostics come from the compilation's binding; the IOperation tree the parser walks is bound again by the
        // semantic model (its own cache), so that is asked for here too.
        long bindTime = CpuMicroseconds(), bindBytes = GC.GetAllocatedBytesForCurrentThread();
        if (model.GetDiagnostics(syntax.Span).Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new InvalidOperationException("the long method does not compile");
        }
        _ = model.GetOperation(syntax.Body!);
        var binding = new PassCost(CpuMicroseconds() - bindTime, GC.GetAllocatedBytesForCurrentThread() - bindBytes, 1);
        GC.Collect();
        EngineResult? result = null;
        long time = CpuMicroseconds(), bytes = GC.GetAllocatedBytesForCurrentThread();
        TimeSpan pauses = GC.GetTotalPauseDuration();
        int[] collections = { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
        var costs = new Dictionary<string, PassCost>(StringComparer.Ordinal);
        foreach (var pair in PassTimings.Record(() => result = DifferentiationEngine.Run(method, syntax, model, emit: true, CancellationToken.None, parseOutput: ParseOutput),
                     CpuMicroseconds, GC.GetAllocatedBytesForCurrentThread))
        {
            costs[pair.Key] = pair.Value;
        }
        costs[Total] = new PassCost(CpuMicroseconds() - time, GC.GetAllocatedBytesForCurrentThread() - bytes, 1);
        costs[Binding] = binding;
        // Wall time the collector paused the engine (charged to whichever pass allocated), and how many collections
        // (of any generation, then of gen 2, which marks the whole heap) ran.
        costs[GcPauses] = new PassCost((long)(GC.GetTotalPauseDuration() - pauses).TotalMicroseconds, 0, GC.CollectionCount(0) - collections[0]);
        costs[Gen2Collections] = new PassCost(0, 0, GC.CollectionCount(2) - collections[2]);
        if (result?.Source is null)
        {
            throw new InvalidOperationException("the engine refused the long method: " + string.Join("; ", result?.Diagnostics.Select(d => d.Descriptor.Id) ?? Array.Empty<string>()));
        }
        if (dumpTo is not null) System.IO.File.WriteAllText(dumpTo, result.Source);
        return costs;
    }
}
