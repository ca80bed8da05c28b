using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AutoDiffGen.Tests.Verifiers;

/// <summary>
/// Code-fix tests as before/after sources on the project defaults of <see cref="AdgTestDefaults"/>: the diagnostics
/// marked in the source before, the fix applied (one at a time, then Fix All in document, project and solution, as
/// the library does by default), and the source after, which must have no diagnostic left unless marked.
/// The generator does not run: a fix acts on the user's source, and the analyzers need no companions to report.
/// </summary>
public static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic(string id) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyCodeFixAsync(string before, string after)
    {
        var test = new Test { TestCode = before, FixedCode = after };
        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = AdgTestDefaults.ReferenceAssemblies;
            AdgTestDefaults.Apply(TestState, SolutionTransforms);
        }

        /// <summary>Turns on the rules that are off by default (ADG0204), as a user would in .editorconfig.</summary>
        public bool EnableEveryRule { get; set; }

        protected override Project ApplyCompilationOptions(Project project)
        {
            project = base.ApplyCompilationOptions(project);
            return EnableEveryRule ? project : AdgTestDefaults.WithRulesOffByDefault(project, GetDiagnosticAnalyzers());
        }
    }
}
