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

namespace AutoDiffGen.Analyzer.Tests.Infrastructure;

/// <summary>
/// Compiles in-memory sources with bare Roslyn and runs the analyzer and the generator on them, as a user project
/// would: references are the test host's shared framework plus AutoDiffGen.Attributes and AutoDiffGen.Runtime.
/// </summary>
public static class Harness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Parse);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences, LazyThreadSafetyMode.ExecutionAndPublication);

    private static int s_counter;

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var paths = tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDirectory, StringComparison.Ordinal))
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .ToList();
        paths.Add(typeof(DifferentiableAttribute).Assembly.Location);
        paths.Add(typeof(AutoDiffGen.Runtime.GradientCheck).Assembly.Location);
        paths.Add(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location); // issue 13: TensorPrimitives cases
        return paths.Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    public static CSharpCompilationOptions CompilationOptions { get; } = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        allowUnsafe: true,
        deterministic: true);

    /// <summary>ADG0204 is off by default; the tests turn it on as a user would in .editorconfig.</summary>
    public static CSharpCompilationOptions WithEveryRuleEnabled(CSharpCompilationOptions options) =>
        options.WithSpecificDiagnosticOptions(options.SpecificDiagnosticOptions.SetItem("ADG0204", ReportDiagnostic.Info));

    public static CSharpCompilation CreateCompilation(IEnumerable<(string Path, string Source)> files, bool enableEveryRule = false) =>
        CSharpCompilation.Create(
            "AdgAnalyzerTest" + Interlocked.Increment(ref s_counter),
            files.Select(f => CSharpSyntaxTree.ParseText(f.Source, ParseOptions, f.Path)),
            References,
            enableEveryRule ? WithEveryRuleEnabled(CompilationOptions) : CompilationOptions);

    public static CSharpCompilation CreateCompilation(string source, bool enableEveryRule = false) =>
        CreateCompilation(new[] { ("Test.cs", source) }, enableEveryRule);

    /// <summary>Every analyzer AutoDiffGen ships.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers => ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer(), new DifferentiableAttributeUsageAnalyzer(), new OverrideAnalyzer());

    /// <summary>What running the analyzer produced: its diagnostics, and anything it threw (which must be nothing).</summary>
    public sealed record AnalyzerRun(ImmutableArray<Diagnostic> Diagnostics, IReadOnlyList<Exception> Exceptions, ImmutableArray<Diagnostic> AllDiagnostics)
    {
        public IEnumerable<Diagnostic> Adg => Diagnostics.Where(d => d.Id.StartsWith("ADG", StringComparison.Ordinal));
    }

    /// <summary>
    /// Runs the analyzers on <paramref name="compilation"/>, after the generator (as the compiler
    /// and the IDE do: analyzers see the generated code). Exceptions are collected, not thrown.
    /// </summary>
    public static AnalyzerRun RunAnalyzer(Compilation compilation, bool afterGenerator = true)
    {
        if (afterGenerator)
        {
            compilation = RunGenerator(compilation).Output;
        }
        var exceptions = new List<Exception>();
        var withAnalyzers = compilation.WithAnalyzers(
            Analyzers,
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (exception, _, _) => { lock (exceptions) exceptions.Add(exception); },
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: false));
        ImmutableArray<Diagnostic> all = withAnalyzers.GetAllDiagnosticsAsync().GetAwaiter().GetResult();
        ImmutableArray<Diagnostic> analyzerDiagnostics = all
            .Where(d => d.Id.StartsWith("ADG", StringComparison.Ordinal) || d.Id == "AD0001")
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
        return new AnalyzerRun(analyzerDiagnostics, exceptions, all);
    }

    public sealed record GeneratorOutput(Compilation Output, GeneratorDriverRunResult Result, ImmutableArray<Diagnostic> DriverDiagnostics)
    {
        public IEnumerable<string> GeneratedHintNames => Result.Results.SelectMany(r => r.GeneratedSources).Select(s => s.HintName);
    }

    public static GeneratorOutput RunGenerator(Compilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorOutput(output, driver.GetRunResult(), diagnostics);
    }

    public static string Format(IEnumerable<Diagnostic> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));

    /// <summary>The repository's root (the folder with AutoDiffGen.sln), found upwards from the test assembly.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "AutoDiffGen.sln"))) return directory.FullName;
            }
            throw new InvalidOperationException("AutoDiffGen.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
