using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading.Tasks;
using AutoDiffGen.Analyzer.Tests.Infrastructure;
using AutoDiffGen.Generator.Analyzers;
using AutoDiffGen.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiffGen.Analyzer.Tests;

/// <summary>
/// A declaration or body with syntax errors gets no ADG diagnostic and no companions: while a method is being
/// typed the compiler's errors are the ones that help. The analyzers stay crash-free (no AD0001, no exception), and a
/// complete method beside the half-typed one is still analysed as usual.
/// </summary>
public class HalfTypedCodeTests
{
    /// <summary><paramref name="members"/> in a class; <paramref name="afterClass"/> marks errors at the end of the file.</summary>
    private static string InClass(string members, string afterClass = "") => $$"""
        using System;
        using AutoDiffGen;

        namespace Typing;

        public static partial class Funcs
        {
            public static double Plain(double v) => 2 * v;

        {{members}}
        }{{afterClass}}
        """;

    public static IEnumerable<object[]> HalfTyped()
    {
        // No body yet: ADG0004 "declared without a body" before this rule.
        yield return new object[] { "no body", "    [Differentiable]\n    public static double {|CS0501:H|}(double{|CS1001:|}{|CS1002:|}{|CS1026:|}" };
        yield return new object[] { "no body, parameter list closed", "    [Differentiable]\n    public static double {|CS0501:H|}(double x){|CS1002:|}" };
        yield return new object[] { "unclosed parameter list", "    [Differentiable]\n    public static double H(double x {|CS1026:{|} return x * x; }" };
        yield return new object[] { "missing semicolon in the body", "    [Differentiable]\n    public static double H(double x) { double y = x * x {|CS1002:return|} y; }" };
        yield return new object[] { "unfinished expression", "    [Differentiable]\n    public static double H(double x) => x * {|CS1525:;|}" };
        // A call to a method that is not [Differentiable] is ADG0102 once the call is complete, not while it is typed.
        yield return new object[] { "unclosed call", "    [Differentiable]\n    public static double H(double x) { return Plain(x {|CS1002:{|CS1026:}|}|}" };
        yield return new object[] { "unfinished statement after a complete one", "    [Differentiable]\n    public static double H(double x) { double y = Plain(x); return y +{|CS1002:|}{|CS1525:|}", "{|CS1513:|}" };
        // ADG0004 from the attribute-usage analyzer (a local function) is held back the same way.
        yield return new object[] { "local function being typed", "    public static double H(double x)\n    {\n        [Differentiable] double L(double v) => v * {|CS1525:;|}\n        return L(x);\n    }" };
    }

    [Theory]
    [MemberData(nameof(HalfTyped))]
    public async Task Half_typed_method_gets_no_ADG_diagnostic_and_no_companions(string name, string members, string afterClass = "")
    {
        _ = name;
        // Exactly the compiler's errors (marked), no ADG diagnostic, no AD0001; and no generated file at all (H is the
        // only [Differentiable] method), which the verifier asserts since no generated source is expected.
        var test = new AnalyzerVerifier<DifferentiableAnalyzer>.Test { TestCode = InClass(members, afterClass), EnableEveryRule = true };
        test.OtherAnalyzers.Add(new DifferentiableAttributeUsageAnalyzer());
        test.OtherAnalyzers.Add(new OverrideAnalyzer());
        test.TestBehaviors &= ~TestBehaviors.SkipGeneratedSourcesCheck;
        await test.RunAsync();
    }

    [Fact]
    public async Task Complete_method_beside_a_half_typed_one_is_still_analysed()
    {
        string source = InClass("""
                [Differentiable]
                public static double H(double x) => x * {|CS1525:;|}

                [Differentiable]
                public static double G(double x) => {|ADG0102:Plain(x)|} * x;

                [Differentiable]
                public static double K(double x) => x * x;
            """);
        await AnalyzerVerifier<DifferentiableAnalyzer>.VerifyAnalyzerAsync(source);

        TestFileMarkupParser.GetSpans(source, out string code, out ImmutableArray<TextSpan> _);
        Harness.GeneratorOutput generated = Harness.RunGenerator(Harness.CreateCompilation(code));
        Assert.Contains(generated.GeneratedHintNames, h => h.Contains(".K_", StringComparison.Ordinal));
        Assert.DoesNotContain(generated.GeneratedHintNames, h => h.Contains(".H_", StringComparison.Ordinal));
    }
}
