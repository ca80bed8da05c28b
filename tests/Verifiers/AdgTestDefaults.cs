using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AutoDiffGen.Tests.Verifiers;

/// <summary>
/// The project every verifier compiles, as a user's net10.0 project with the AutoDiffGen package would be: the .NET 10
/// reference assemblies, AutoDiffGen.Attributes and AutoDiffGen.Runtime, System.Numerics.Tensors, C# latest,
/// nullable enabled, unsafe allowed.
/// </summary>
/// <remarks>
/// The testing library's <c>ReferenceAssemblies.Net.Net*</c> download reference packs through NuGet when a test first
/// runs, which CI (package registries only, restore done) must not depend on. Here the reference assemblies come from
/// the Basic.Reference.Assemblies.Net100 package, restored with the test project like any other dependency, and the
/// library's own <see cref="ReferenceAssemblies"/> names a framework with no package, so it resolves nothing.
/// </remarks>
public static class AdgTestDefaults
{
    /// <summary>A target framework with no reference package: the library downloads nothing.</summary>
    public static ReferenceAssemblies ReferenceAssemblies { get; } = new("net10.0");

    /// <summary>Everything a user project of this repository references, besides the compiler's own.</summary>
    public static ImmutableArray<MetadataReference> References { get; } = Basic.Reference.Assemblies.Net100.References.All
        .Cast<MetadataReference>()
        .Concat(new[]
        {
            MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(AutoDiffGen.Runtime.GradientCheck).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location),
        })
        .ToImmutableArray();

    public static LanguageVersion LanguageVersion => LanguageVersion.Latest;

    /// <summary>Applies the defaults to a test's state: references, language version, compilation options.</summary>
    public static void Apply(SolutionState state, List<System.Func<Solution, ProjectId, Solution>> solutionTransforms)
    {
        state.AdditionalReferences.AddRange(References);
        solutionTransforms.Add((solution, projectId) =>
        {
            Project project = solution.GetProject(projectId)!;
            var parseOptions = ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion);
            var options = ((CSharpCompilationOptions)project.CompilationOptions!)
                .WithNullableContextOptions(NullableContextOptions.Enable)
                .WithAllowUnsafe(true);
            return solution.WithProjectParseOptions(projectId, parseOptions).WithProjectCompilationOptions(projectId, options);
        });
    }

    /// <summary>
    /// The testing library turns on every rule its analyzers support, as a user would in .editorconfig; this undoes
    /// that for the rules that are off by default (ADG0204), so a test sees what a user with no configuration sees.
    /// </summary>
    public static Project WithRulesOffByDefault(Project project, IEnumerable<DiagnosticAnalyzer> analyzers)
    {
        var options = project.CompilationOptions!;
        var offByDefault = analyzers.SelectMany(a => a.SupportedDiagnostics).Where(d => !d.IsEnabledByDefault).Select(d => d.Id);
        options = options.WithSpecificDiagnosticOptions(options.SpecificDiagnosticOptions.RemoveRange(offByDefault));
        return project.Solution.WithProjectCompilationOptions(project.Id, options).GetProject(project.Id)!;
    }
}
