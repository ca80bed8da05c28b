using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using AutoDiffGen.Generator;
using AutoDiffGen.Generator.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AutoDiffGen.Generator.Tests.Infrastructure;

/// <summary>
/// Runs the generator (and the analyzer) on in-memory sources with bare Roslyn: no testing packages.
/// References are the shared framework of the running test host plus the AutoDiffGen Attributes and Runtime
/// assemblies, so the compiled sources see exactly what a user project sees.
/// </summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Parse);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences, LazyThreadSafetyMode.ExecutionAndPublication);

    private static int s_compilationCounter;

    /// <summary>The framework assemblies plus AutoDiffGen.Attributes and AutoDiffGen.Runtime.</summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // Only the shared framework from the trusted platform assemblies: the test host's own dependencies
        // (xunit, Roslyn, this test assembly) must not leak into the user's compilation.
        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var paths = tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDirectory, StringComparison.Ordinal))
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .ToList();
        paths.Add(typeof(DifferentiableAttribute).Assembly.Location);
        paths.Add(typeof(AutoDiffGen.Runtime.GradientCheck).Assembly.Location);
        paths.Add(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location); // random programs call TensorPrimitives
        return paths
            .Distinct(StringComparer.Ordinal)
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    public static SyntaxTree Parse(string source, string path = "") =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>A library compilation of <paramref name="sources"/> (file i is named Source{i}.cs).</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CreateCompilation(sources.Select((s, i) => Parse(s, $"Source{i}.cs")));

    public static CSharpCompilation CreateCompilation(IEnumerable<SyntaxTree> trees, string? assemblyName = null) =>
        CSharpCompilation.Create(
            assemblyName ?? "AdgTest" + Interlocked.Increment(ref s_compilationCounter),
            trees,
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                optimizationLevel: OptimizationLevel.Release,
                deterministic: true));

    public static IIncrementalGenerator CreateGenerator() => new DifferentiableGenerator();

    public static DiagnosticAnalyzer CreateAnalyzer() => new DifferentiableAnalyzer();

    public static GeneratorDriver CreateDriver(IIncrementalGenerator? generator = null) =>
        CSharpGeneratorDriver.Create(
            new[] { (generator ?? CreateGenerator()).AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Compiles <paramref name="sources"/> and runs the generator once.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(CreateCompilation(sources));

    public static GeneratorRun Run(CSharpCompilation compilation, IIncrementalGenerator? generator = null)
    {
        GeneratorDriver driver = CreateDriver(generator);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> driverDiagnostics);
        return new GeneratorRun(compilation, (CSharpCompilation)output, driver, driverDiagnostics);
    }

    /// <summary>The diagnostics the <see cref="DifferentiableAnalyzer"/> reports on <paramref name="compilation"/>.</summary>
    public static ImmutableArray<Diagnostic> RunAnalyzer(Compilation compilation, DiagnosticAnalyzer? analyzer = null)
    {
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create(analyzer ?? CreateAnalyzer()),
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: null,
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: false));
        ImmutableArray<Diagnostic> all = withAnalyzers.GetAllDiagnosticsAsync().GetAwaiter().GetResult();
        // An analyzer that throws is reported as AD0001; that must fail a test, not hide in a warning.
        var crashes = all.Where(d => d.Id == "AD0001").ToList();
        if (crashes.Count > 0)
        {
            throw new InvalidOperationException("The analyzer threw:\n" + string.Join("\n", crashes));
        }
        return withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    public static string Format(IEnumerable<Diagnostic> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));
}

/// <summary>What one generator run produced.</summary>
public sealed class GeneratorRun
{
    public GeneratorRun(CSharpCompilation input, CSharpCompilation output, GeneratorDriver driver, ImmutableArray<Diagnostic> driverDiagnostics)
    {
        InputCompilation = input;
        OutputCompilation = output;
        Driver = driver;
        RunResult = driver.GetRunResult();
        Result = RunResult.Results.Single();
        DriverDiagnostics = driverDiagnostics;
    }

    public CSharpCompilation InputCompilation { get; }
    public CSharpCompilation OutputCompilation { get; }
    public GeneratorDriver Driver { get; }
    public GeneratorDriverRunResult RunResult { get; }
    public GeneratorRunResult Result { get; }

    /// <summary>Diagnostics the driver reported (including CS8785 when the generator threw).</summary>
    public ImmutableArray<Diagnostic> DriverDiagnostics { get; }

    /// <summary>Diagnostics the generator itself reported.</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

    /// <summary>The generated files, ordered by hint name.</summary>
    public IReadOnlyList<GeneratedSourceResult> GeneratedSources =>
        Result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToList();

    /// <summary>All generated text, file after file, each introduced by a comment naming its hint name.</summary>
    public string GeneratedText =>
        string.Concat(GeneratedSources.Select(s => $"// ==== {s.HintName} ====\n{s.SourceText.ToString().Replace("\r\n", "\n")}\n"));

    /// <summary>Every diagnostic of the output compilation (user code plus generated code).</summary>
    public ImmutableArray<Diagnostic> OutputDiagnostics => OutputCompilation.GetDiagnostics();

    public IReadOnlyList<Diagnostic> OutputErrors =>
        OutputDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>Warnings located in generated files.</summary>
    public IReadOnlyList<Diagnostic> GeneratedCodeWarnings
    {
        get
        {
            var generatedTrees = new HashSet<SyntaxTree>(Result.GeneratedSources.Select(s => s.SyntaxTree));
            return OutputDiagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree is { } t && generatedTrees.Contains(t))
                .ToList();
        }
    }

    /// <summary>Fails with the generated code and the errors when the generator threw or the output does not compile.</summary>
    public GeneratorRun AssertCompiles()
    {
        if (Result.Exception is not null)
        {
            throw new Xunit.Sdk.XunitException($"The generator threw: {Result.Exception}");
        }
        var errors = OutputErrors;
        var driverErrors = DriverDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id == "CS8785").ToList();
        if (errors.Count > 0 || driverErrors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException(
                "The output compilation has errors:\n" + GeneratorHarness.Format(driverErrors.Concat(errors)) +
                "\n\nGenerated code:\n" + GeneratedText);
        }
        return this;
    }

    /// <summary>Emits the output compilation and loads it in a collectible load context.</summary>
    public LoadedAssembly Load()
    {
        AssertCompiles();
        return LoadedAssembly.Emit(OutputCompilation);
    }

    /// <summary>Whether the output compilation declares a method <paramref name="methodName"/> in <paramref name="typeMetadataName"/>.</summary>
    public bool HasMethod(string typeMetadataName, string methodName)
    {
        INamedTypeSymbol? type = OutputCompilation.GetTypeByMetadataName(typeMetadataName);
        if (type is null) throw new ArgumentException($"No type {typeMetadataName} in the compilation.", nameof(typeMetadataName));
        return !type.GetMembers(methodName).IsEmpty;
    }
}
