using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using AutoDiffGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AutoDiffGen.Tests.Verifiers;

/// <summary>
/// Analyzer tests with markup (<c>{|ADG0101:…|}</c>, <c>[|…|]</c>) on the project defaults of
/// <see cref="AdgTestDefaults"/>. The generator runs first, as in the compiler and the IDE (the analyzers see the
/// generated companions); the generated text itself is the generator tests' business, not checked here.
/// </summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(id);

    /// <summary>Every diagnostic in <paramref name="markup"/> and <paramref name="expected"/> is reported, and nothing else.</summary>
    public static Task VerifyAnalyzerAsync(string markup, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = markup };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = AdgTestDefaults.ReferenceAssemblies;
            AdgTestDefaults.Apply(TestState, SolutionTransforms);
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
            // ADG0004 has a descriptor in each analyzer (methods; local functions): markup takes the first.
            MarkupOptions |= MarkupOptions.UseFirstDescriptor;
        }

        /// <summary>Turns on the rules that are off by default (ADG0204), as a user would in .editorconfig.</summary>
        public bool EnableEveryRule { get; set; }

        protected override Project ApplyCompilationOptions(Project project)
        {
            project = base.ApplyCompilationOptions(project);
            return EnableEveryRule ? project : AdgTestDefaults.WithRulesOffByDefault(project, GetDiagnosticAnalyzers());
        }

        /// <summary>Whether the generator runs before the analyzers (it does in a build; on by default).</summary>
        public bool RunGenerator { get; set; } = true;

        /// <summary>Analyzers that run beside <typeparamref name="TAnalyzer"/>, such as the attribute-usage analyzer.</summary>
        public List<DiagnosticAnalyzer> OtherAnalyzers { get; } = new();

        /// <summary>Called with every diagnostic reported, for checks markup cannot express (messages, additional locations).</summary>
        public Action<Diagnostic>? CheckEachDiagnostic { get; set; }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers()
        {
            yield return new TAnalyzer();
            foreach (DiagnosticAnalyzer other in OtherAnalyzers) yield return other;
        }

        protected override IEnumerable<Type> GetSourceGenerators() =>
            RunGenerator ? new[] { typeof(DifferentiableGenerator) } : Array.Empty<Type>();

        protected override ImmutableArray<(Project project, Diagnostic diagnostic)> FilterDiagnostics(ImmutableArray<(Project project, Diagnostic diagnostic)> diagnostics)
        {
            foreach (var (_, diagnostic) in diagnostics)
            {
                CheckHelpLink(diagnostic);
                CheckEachDiagnostic?.Invoke(diagnostic);
            }
            return base.FilterDiagnostics(diagnostics);
        }

        /// <summary>Every ADG diagnostic links its page, docs/diagnostics/ADGnnnn.md.</summary>
        private static void CheckHelpLink(Diagnostic diagnostic)
        {
            if (!diagnostic.Id.StartsWith("ADG", StringComparison.Ordinal)) return;
            string link = diagnostic.Descriptor.HelpLinkUri ?? "";
            if (!link.EndsWith("docs/diagnostics/" + diagnostic.Id + ".md", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{diagnostic.Id} links '{link}', not its page docs/diagnostics/{diagnostic.Id}.md");
            }
        }
    }
}
