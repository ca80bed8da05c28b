using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using AutoDiffGen.Generator;
using AutoDiffGen.Generator.Analyzers;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// What the generator and the analyzer cost the compiler: a synthetic project of files of ten [Differentiable]
/// methods each (straight-line scalars, loops, arrays, branches with a while loop, calls), 50 or 200 methods, driven
/// in process with Roslyn 4.8 the way the compiler drives them. Every run works on a fresh <c>Clone()</c> of the
/// compilation, so each pays for binding what it binds, as a build does; <see cref="CompileOnly"/> is that binding
/// alone (the compiler's own diagnostics pass), the baseline the others add to. The IDE's cost per keystroke (issue
/// 11) is <see cref="IncrementalUnrelatedEdit"/> and <see cref="IncrementalEditInsideOneMethod"/>, to compare with
/// <see cref="EngineOnEditedMethod"/>; <c>--edits</c> measures the same with CPU time (<see cref="Infrastructure.EditCostProbe"/>).
/// </summary>
/// <remarks>
/// One operation takes 0.1-1 s and allocates up to 200 MB, so the suite's 250 ms iterations would measure one
/// operation each: these benchmarks use 1 s iterations. Roslyn's code needs about ten such operations before the
/// JIT has tiered it up (the first ones run 3-4 times slower), hence the long warm-up.
/// </remarks>
[MemoryDiagnoser]
[WarmupCount(15)]
[IterationCount(10)]
[IterationTime(1000)]
public class GeneratorCostBenchmarks : IWorkload
{
    public const int MethodsPerFile = 10;

    /// <summary>How many [Differentiable] methods the project has (in files of <see cref="MethodsPerFile"/>).</summary>
    [Params(50, 200)]
    public int Methods { get; set; } = 200;

    private int Files => Methods / MethodsPerFile;

    /// <summary>
    /// Whether the methods that call another (M4, M9, M14…) ask for more than reverse mode: in each file, M…4 asks for
    /// forward mode and M…9 for the Hessian, so their callees (M…0, M…5) get an MTangent (and MBackwardTangent) on demand
    /// and the engine's tangent checks run (issue 11, the keystroke cost with forward-mode callers). Not a benchmark
    /// parameter: <c>--edits</c> measures it.
    /// </summary>
    public bool TangentCallers { get; set; }

    /// <summary>The files generated: one per method, and with <see cref="TangentCallers"/> one on-demand tangent file per callee of a tangent caller.</summary>
    private int ExpectedFiles => TangentCallers ? Methods + Methods / 5 : Methods;

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _methodEdited = null!;
    private CSharpCompilation _unrelatedEdited = null!;
    private CSharpCompilation _callerEdited = null!;
    private GeneratorDriver _warmDriver = null!;
    private Compilation _generatedOutput = null!;
    private CSharpParseOptions _parseOptions = null!;

    [GlobalSetup]
    public void Setup()
    {
        _parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree>();
        for (int f = 0; f < Files; f++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(SourceFile(f), _parseOptions, $"Generated{f}.cs"));
        }
        trees.Add(CSharpSyntaxTree.ParseText(UnrelatedFile("a + b"), _parseOptions, "Unrelated.cs"));
        _compilation = CSharpCompilation.Create(
            "GeneratorCost",
            trees,
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));

        // An edit inside one method (a constant in M0's body) and an edit in a file with no [Differentiable] method.
        SyntaxTree first = _compilation.SyntaxTrees.First();
        string firstText = first.GetText().ToString();
        string editedText = firstText.Replace("double a = x * y + 0.50;", "double a = x * y + 0.75;", StringComparison.Ordinal);
        if (editedText == firstText) throw new InvalidOperationException("The method edit changed nothing.");
        _methodEdited = _compilation.ReplaceSyntaxTree(first, CSharpSyntaxTree.ParseText(editedText, _parseOptions, first.FilePath));
        // With tangent callers: an edit inside M4, which asks for forward mode and calls M0.
        string callerEditedText = firstText.Replace("M0(x, y) * 0.54", "M0(x, y) * 0.56", StringComparison.Ordinal);
        if (callerEditedText == firstText) throw new InvalidOperationException("The caller edit changed nothing.");
        _callerEdited = _compilation.ReplaceSyntaxTree(first, CSharpSyntaxTree.ParseText(callerEditedText, _parseOptions, first.FilePath));
        SyntaxTree unrelated = _compilation.SyntaxTrees.Last();
        _unrelatedEdited = _compilation.ReplaceSyntaxTree(unrelated, CSharpSyntaxTree.ParseText(UnrelatedFile("b + a + 1"), _parseOptions, unrelated.FilePath));

        _warmDriver = CreateDriver().RunGeneratorsAndUpdateCompilation(_compilation.Clone(), out _generatedOutput, out _);
    }

    /// <summary>The project, and the same project after an edit inside M0 and after an edit in a file without [Differentiable] methods.</summary>
    internal (CSharpCompilation Project, CSharpCompilation MethodEdited, CSharpCompilation UnrelatedEdited) Compilations => (_compilation, _methodEdited, _unrelatedEdited);

    /// <summary>The project after an edit inside M4 (with <see cref="TangentCallers"/>, a forward-mode caller of M0).</summary>
    internal CSharpCompilation CallerEdited => _callerEdited;

    /// <summary>Binding and checking every method body: what the compiler does without AutoDiffGen.</summary>
    [Benchmark(Baseline = true)]
    public int CompileOnly() => _compilation.Clone().GetDiagnostics().Length;

    /// <summary>
    /// Binding and checking the user's code plus the 200 generated files: what a build compiles with AutoDiffGen,
    /// before emitting IL. GeneratorThenAnalyzer includes this work (its analyzer pass binds the generated code).
    /// </summary>
    [Benchmark]
    public int CompileWithGeneratedCode() => _generatedOutput.Clone().GetDiagnostics().Length;

    /// <summary>A first run of the generator (a build, or the IDE opening the project): 200 methods differentiated.</summary>
    [Benchmark]
    public int GeneratorColdRun() => CreateDriver().RunGenerators(_compilation.Clone()).GetRunResult().GeneratedTrees.Length;

    /// <summary>The analyzer on its own over the whole project.</summary>
    [Benchmark]
    public int AnalyzerColdRun() => RunAnalyzer(_compilation.Clone()).Length;

    /// <summary>Generator, then the analyzer on the output compilation, as in a build.</summary>
    [Benchmark]
    public int GeneratorThenAnalyzer()
    {
        CreateDriver().RunGeneratorsAndUpdateCompilation(_compilation.Clone(), out Compilation output, out _);
        return RunAnalyzer(output).Length;
    }

    /// <summary>A warm driver after an edit inside one method: only that method is re-differentiated.</summary>
    [Benchmark]
    public int IncrementalEditInsideOneMethod() => _warmDriver.RunGenerators(_methodEdited.Clone()).GetRunResult().GeneratedTrees.Length;

    /// <summary>A warm driver after an edit to a file with no [Differentiable] method: everything cached.</summary>
    [Benchmark]
    public int IncrementalUnrelatedEdit() => _warmDriver.RunGenerators(_unrelatedEdited.Clone()).GetRunResult().GeneratedTrees.Length;

    /// <summary>
    /// The engine alone on the edited method, in a fresh clone of the edited compilation: the method's own engine time,
    /// which <see cref="IncrementalEditInsideOneMethod"/> may exceed by the pipeline's bookkeeping only (issue 11: 10 ms).
    /// </summary>
    [Benchmark]
    public int EngineOnEditedMethod() => RunEngineOnFirstMethod(_methodEdited.Clone());

    /// <param name="name">The method of the first file to run it on: M0 unless given.</param>
    internal static int RunEngineOnFirstMethod(Compilation compilation, string name = "M0")
    {
        SyntaxTree tree = compilation.SyntaxTrees.First();
        MethodDeclarationSyntax syntax = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.ValueText == name);
        SemanticModel model = compilation.GetSemanticModel(tree);
        var method = (IMethodSymbol)model.GetDeclaredSymbol(syntax)!;
        return AutoDiffGen.Generator.Engine.DifferentiationEngine.Run(method, syntax, model, emit: true, CancellationToken.None, parseOutput: false).Source?.Length ?? 0;
    }

    public void Check()
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(_compilation.Clone(), out Compilation output, out ImmutableArray<Diagnostic> driverDiagnostics);
        GeneratorRunResult run = driver.GetRunResult().Results.Single();
        if (run.Exception is not null) throw new InvalidOperationException("Generator cost: the generator threw: " + run.Exception);
        if (run.GeneratedSources.Length != ExpectedFiles)
        {
            throw new InvalidOperationException(
                $"Generator cost: expected {ExpectedFiles} generated files, got {run.GeneratedSources.Length}. Analyzer:\n" +
                string.Join("\n", RunAnalyzer(_compilation.Clone()).Take(10)));
        }
        var errors = output.GetDiagnostics().Concat(driverDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Generator cost: the generated project does not compile:\n" + string.Join("\n", errors.Take(10)));
        }
        var analyzerDiagnostics = RunAnalyzer(_compilation.Clone());
        if (analyzerDiagnostics.Length > 0)
        {
            throw new InvalidOperationException("Generator cost: the analyzer reports on methods the generator accepts:\n" + string.Join("\n", analyzerDiagnostics.Take(10)));
        }
        string project = "Generator cost, " + Methods + " methods" + (TangentCallers ? ", tangent callers" : "");
        Console.WriteLine($"  {project,-34} {ExpectedFiles} files generated, the output compiles, the analyzer is silent");
        Console.WriteLine($"  {"",-34} edit inside one method: {Reasons(_warmDriver.RunGenerators(_methodEdited.Clone()))}");
        Console.WriteLine($"  {"",-34} unrelated edit:         {Reasons(_warmDriver.RunGenerators(_unrelatedEdited.Clone()))}");
        if (TangentCallers)
        {
            Console.WriteLine($"  {"",-34} edit inside M4 (forward-mode caller of M0): {Reasons(_warmDriver.RunGenerators(_callerEdited.Clone()))}");
        }
    }

    /// <summary>How many outputs of each named step were recomputed (Unchanged, Modified, New) or reused (Cached).</summary>
    private static string Reasons(GeneratorDriver driver)
    {
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        return string.Join("; ", new[] { DifferentiableGenerator.TrackingNames.Methods, DifferentiableGenerator.TrackingNames.CheckedMethods, DifferentiableGenerator.TrackingNames.GeneratedFiles, DifferentiableGenerator.TrackingNames.TangentFiles }
            .Where(name => result.TrackedSteps.ContainsKey(name)).Select(name =>
            name + " " + string.Join(", ", result.TrackedSteps[name].SelectMany(step => step.Outputs)
                .GroupBy(o => o.Reason).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"))));
    }

    /// <param name="trackSteps">Whether the driver records every step's inputs and outputs (the self-check's step reasons); the IDE does not.</param>
    internal GeneratorDriver CreateDriver(bool trackSteps = true) =>
        CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: _parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    private static ImmutableArray<Diagnostic> RunAnalyzer(Compilation compilation) =>
        compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer()),
                new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: false))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    /// <summary>The shared framework this process runs on, plus AutoDiffGen.Attributes and AutoDiffGen.Runtime.</summary>
    internal static IEnumerable<MetadataReference> References()
    {
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), framework, StringComparison.Ordinal) && p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Append(typeof(DifferentiableAttribute).Assembly.Location)
            .Append(typeof(AutoDiffGen.Runtime.GradientCheck).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
    }

    private static string UnrelatedFile(string expression) => $$"""
        namespace Project;

        public static class Helpers
        {
            public static int Combine(int a, int b) => {{expression}};
        }
        """;

    /// <summary>File <paramref name="f"/>: class Model{f} with methods M{10f} … M{10f + 9}, five shapes in turn.</summary>
    private string SourceFile(int f)
    {
        var text = new StringBuilder();
        text.AppendLine("using System;");
        text.AppendLine("using AutoDiffGen;");
        text.AppendLine();
        text.AppendLine("namespace Project;");
        text.AppendLine();
        text.AppendLine($"public static partial class Model{f}");
        text.AppendLine("{");
        for (int m = 0; m < MethodsPerFile; m++)
        {
            int i = f * MethodsPerFile + m;
            string c = (0.5 + i * 0.01).ToString("0.00", CultureInfo.InvariantCulture);
            text.AppendLine(!TangentCallers || i % 5 != 4 ? "    [Differentiable]"
                : i % 10 == 4 ? "    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]"
                : "    [Differentiable(Derivatives.Reverse | Derivatives.Hessian)]");
            text.AppendLine((i % 5) switch
            {
                0 => $$"""
                        public static double M{{i}}(double x, double y)
                        {
                            double a = x * y + {{c}};
                            double b = Math.Sin(a) * Math.Exp(-x * {{c}});
                            double c = Math.Sqrt(1 + b * b) / (1 + y * y);
                            return a * b + c * {{c}};
                        }
                    """,
                1 => $$"""
                        public static double M{{i}}(double x, int n)
                        {
                            double p = 1;
                            double s = 0;
                            for (int k = 0; k < n; k++)
                            {
                                p *= x;
                                s += p / (k + {{c}});
                            }
                            return s;
                        }
                    """,
                2 => $$"""
                        public static double M{{i}}(double[] w, double b, [NoDerivative] double[] x, [NoDerivative] double y)
                        {
                            double r = b - y;
                            for (int j = 0; j < w.Length; j++)
                            {
                                r += w[j] * x[j];
                            }
                            double reg = 0;
                            for (int j = 0; j < w.Length; j++)
                            {
                                reg += w[j] * w[j];
                            }
                            return r * r + {{c}} * reg;
                        }
                    """,
                3 => $$"""
                        public static double M{{i}}(double x, double y)
                        {
                            double r = x * y;
                            if (x > y && r < 4)
                            {
                                r += Math.Sin(x);
                            }
                            else if (x < -1 || y > 2)
                            {
                                r -= y * y;
                            }
                            else
                            {
                                r *= 0.5;
                            }
                            int k = 0;
                            while (k < 5)
                            {
                                r = r * 0.9 + Math.Cos(r) * {{c}};
                                if (r > 10) break;
                                k++;
                            }
                            return r > 0 ? Math.Sqrt(r) : -r;
                        }
                    """,
                _ => $$"""
                        public static double M{{i}}(double x, double y) => M{{i - 4}}(x, y) * {{c}} + Math.Tanh(x - y);
                    """,
            });
            text.AppendLine();
        }
        text.AppendLine("}");
        return text.ToString();
    }
}
