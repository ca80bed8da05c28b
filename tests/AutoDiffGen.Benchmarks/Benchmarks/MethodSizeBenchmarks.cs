using System;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Benchmarks.Workloads;
using AutoDiffGen.Generator;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// How the generator's cost grows with one method's size (issue 11: at most 0.2 ms per source statement, linear):
/// a project of one [Differentiable] method of <see cref="Statements"/> statements (<see cref="LongMethods"/>),
/// straight-line or as a loop body (and the two heaviest loop bodies: an if/else every fourth statement, and reads of
/// distinct array elements), differentiated by a cold generator run on a fresh <c>Clone()</c> of the compilation. The <c>Bind…</c> baselines are the compiler binding the same method without the generator: the
/// engine's own time is the difference.
/// </summary>
/// <remarks>Like <see cref="GeneratorCostBenchmarks"/>, one operation takes up to seconds: 1 s iterations, few of them.</remarks>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(5)]
[IterationTime(1000)]
public class MethodSizeBenchmarks : IWorkload
{
    private CSharpCompilation _straight = null!;
    private CSharpCompilation _loop = null!;
    private CSharpCompilation _branchyLoop = null!;
    private CSharpCompilation _arrayLoop = null!;
    private CSharpParseOptions _parseOptions = null!;

    [Params(200, 800, 3200)]
    public int Statements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        _straight = Compilation(LongMethods.Source(Statements, inLoop: false));
        _loop = Compilation(LongMethods.Source(Statements, inLoop: true));
        _branchyLoop = Compilation(LongMethods.Source(Statements, inLoop: true, branchy: true));
        _arrayLoop = Compilation(LongMethods.Source(Statements, inLoop: true, arrays: true));
    }

    private CSharpCompilation Compilation(string source) =>
        CSharpCompilation.Create(
            "MethodSize",
            new[] { CSharpSyntaxTree.ParseText(source, _parseOptions, "LongMethod.cs") },
            GeneratorCostBenchmarks.References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));

    [Benchmark(Baseline = true)]
    public int BindStraightLine() => _straight.Clone().GetDiagnostics().Length;

    [Benchmark]
    public int GenerateStraightLine() => Run(_straight.Clone()).GeneratedTrees.Length;

    [Benchmark]
    public int BindLoopBody() => _loop.Clone().GetDiagnostics().Length;

    [Benchmark]
    public int GenerateLoopBody() => Run(_loop.Clone()).GeneratedTrees.Length;

    [Benchmark]
    public int GenerateBranchyLoopBody() => Run(_branchyLoop.Clone()).GeneratedTrees.Length;

    [Benchmark]
    public int GenerateArrayLoopBody() => Run(_arrayLoop.Clone()).GeneratedTrees.Length;

    private GeneratorDriverRunResult Run(Compilation compilation) =>
        CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: _parseOptions)
            .RunGenerators(compilation).GetRunResult();

    /// <summary>Each method gets its companions, and the project compiles with them.</summary>
    public void Check()
    {
        foreach (var (name, compilation) in new[] { ("straight-line", _straight), ("loop body", _loop), ("branchy loop body", _branchyLoop), ("array loop body", _arrayLoop) })
        {
            CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: _parseOptions)
                .RunGeneratorsAndUpdateCompilation(compilation.Clone(), out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
            int generated = output.SyntaxTrees.Count() - compilation.SyntaxTrees.Count();
            var errors = output.GetDiagnostics().Concat(diagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToList();
            if (generated != 1 || errors.Count > 0)
            {
                throw new InvalidOperationException($"Method size {Statements}, {name}: {generated} generated files, errors:\n" + string.Join("\n", errors));
            }
        }
        Console.WriteLine($"  {"Method size " + Statements,-34} straight-line and three loop bodies generated, the output compiles");
    }
}
