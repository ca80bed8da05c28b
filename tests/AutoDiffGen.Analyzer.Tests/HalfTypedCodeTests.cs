using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Analyzer.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Analyzer.Tests;

/// <summary>
/// A declaration or body with syntax errors gets no ADG diagnostic and no companions: while a method is being
/// typed the compiler's errors are the ones that help. The analyzers stay crash-free (no AD0001, no exception), and a
/// complete method beside the half-typed one is still analysed as usual.
/// </summary>
public class HalfTypedCodeTests
{
    private static string InClass(string members) => $$"""
        using System;
        using AutoDiffGen;

        namespace Typing;

        public static partial class Funcs
        {
            public static double Plain(double v) => 2 * v;

        {{members}}
        }
        """;

    public static IEnumerable<object[]> HalfTyped()
    {
        // No body yet: ADG0004 "declared without a body" before this rule.
        yield return new object[] { "no body", "    [Differentiable]\n    public static double H(double" };
        yield return new object[] { "no body, parameter list closed", "    [Differentiable]\n    public static double H(double x)" };
        yield return new object[] { "unclosed parameter list", "    [Differentiable]\n    public static double H(double x { return x * x; }" };
        yield return new object[] { "missing semicolon in the body", "    [Differentiable]\n    public static double H(double x) { double y = x * x return y; }" };
        yield return new object[] { "unfinished expression", "    [Differentiable]\n    public static double H(double x) => x * ;" };
        // A call to a method that is not [Differentiable] is ADG0102 once the call is complete, not while it is typed.
        yield return new object[] { "unclosed call", "    [Differentiable]\n    public static double H(double x) { return Plain(x }" };
        yield return new object[] { "unfinished statement after a complete one", "    [Differentiable]\n    public static double H(double x) { double y = Plain(x); return y +" };
        // ADG0004 from the attribute-usage analyzer (a local function) is held back the same way.
        yield return new object[] { "local function being typed", "    public static double H(double x)\n    {\n        [Differentiable] double L(double v) => v * ;\n        return L(x);\n    }" };
    }

    [Theory]
    [MemberData(nameof(HalfTyped))]
    public void Half_typed_method_gets_no_ADG_diagnostic_and_no_companions(string name, string members)
    {
        Compilation compilation = Harness.CreateCompilation(InClass(members), enableEveryRule: true);
        Assert.Contains(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("CS", StringComparison.Ordinal));

        Harness.GeneratorOutput generated = Harness.RunGenerator(compilation);
        Assert.All(generated.Result.Results, r => Assert.Null(r.Exception));
        Assert.DoesNotContain(generated.GeneratedHintNames, h => h.Contains(".H_", StringComparison.Ordinal));

        Harness.AnalyzerRun run = Harness.RunAnalyzer(compilation);
        Assert.Empty(run.Exceptions);
        Assert.True(!run.Diagnostics.Any(), name + ":\n" + Harness.Format(run.Diagnostics));
    }

    [Fact]
    public void Complete_method_beside_a_half_typed_one_is_still_analysed()
    {
        string source = InClass("""
                [Differentiable]
                public static double H(double x) => x * ;

                [Differentiable]
                public static double G(double x) => Plain(x) * x;

                [Differentiable]
                public static double K(double x) => x * x;
            """);
        Compilation compilation = Harness.CreateCompilation(source);

        Harness.AnalyzerRun run = Harness.RunAnalyzer(compilation);
        Assert.Empty(run.Exceptions);
        Diagnostic reported = Assert.Single(run.Diagnostics);
        Assert.Equal("ADG0102", reported.Id);

        Harness.GeneratorOutput generated = Harness.RunGenerator(compilation);
        Assert.Contains(generated.GeneratedHintNames, h => h.Contains(".K_", StringComparison.Ordinal));
        Assert.DoesNotContain(generated.GeneratedHintNames, h => h.Contains(".H_", StringComparison.Ordinal));
    }
}
