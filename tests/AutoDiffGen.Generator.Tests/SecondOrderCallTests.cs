using System;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Second order through calls in the pipeline: a callee reached by a Hessian caller gets its MTangent and MBackwardTangent
/// on demand, and an edit of the callee that second order cannot go through takes the caller's Hessian companions away
/// (ADG0305) in the next incremental run, so the output never calls an MBackwardTangent that is not generated.
/// </summary>
public class SecondOrderCallTests
{
    [Fact]
    public void A_callee_of_a_Hessian_caller_gets_its_tangent_and_tangent_pullback_on_demand()
    {
        GeneratorRun run = GeneratorHarness.Run(TestSources.HessianThroughCalls).AssertCompiles();
        GeneratedSourceResult onDemand = Assert.Single(run.GeneratedSources, s => s.HintName == "Samples.Chain.Link_double_double.Tangent.g.cs");
        string text = onDemand.SourceText.ToString();
        Assert.Contains("public static double LinkTangent(double a, double b, double da, double db, out double tangent)", text, StringComparison.Ordinal);
        Assert.Contains("public static double LinkBackwardTangent(double a, double b, double va, double vb, double seed, ref double da, ref double db, ref double dva, ref double dvb)", text, StringComparison.Ordinal);
        string caller = run.GeneratedSources.Single(s => s.HintName.StartsWith("Samples.Chain.Energy_", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("LinkBackwardTangent(", caller, StringComparison.Ordinal);
        Assert.Contains("public static double EnergyBackwardTangent(", caller, StringComparison.Ordinal);
    }

    [Fact]
    public void A_callee_edited_into_something_second_order_cannot_go_through_drops_the_caller_s_Hessian()
    {
        CSharpCompilation before = GeneratorHarness.CreateCompilation(TestSources.HessianThroughCalls);
        GeneratorDriver driver = GeneratorHarness.CreateDriver();
        driver = driver.RunGeneratorsAndUpdateCompilation(before, out Compilation first, out _);
        Assert.Contains(first.SyntaxTrees, t => t.ToString().Contains("EnergyHessianVector(", StringComparison.Ordinal));

        // Link now calls a method that calls TensorPrimitives: its MBackwardTangent cannot be made, so Energy gets ADG0305 and no Hessian.
        SyntaxTree tree = before.SyntaxTrees.Single();
        string edited = tree.ToString().Replace(
            "public static double Link(double a, double b) => (b - a * a) * (b - a * a);",
            "public static double Link(double a, double b) => Area(new[] { b - a * a, b });\n"
            + "    [Differentiable]\n    public static double Area(System.ReadOnlySpan<double> p) => System.Numerics.Tensors.TensorPrimitives.SumOfSquares(p);");
        CSharpCompilation after = before.ReplaceSyntaxTree(tree, GeneratorHarness.Parse(edited, tree.FilePath));
        driver = driver.RunGeneratorsAndUpdateCompilation(after, out Compilation second, out ImmutableArray<Diagnostic> _);
        Assert.DoesNotContain(second.SyntaxTrees, t => t.ToString().Contains("EnergyHessianVector(", StringComparison.Ordinal));
        Assert.True(second.SyntaxTrees.Any(t => t.ToString().Contains("EnergyGradient(", StringComparison.Ordinal)), GeneratorHarness.Format(GeneratorHarness.RunAnalyzer(after)));
        var errors = second.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, GeneratorHarness.Format(errors));
        var adg0305 = GeneratorHarness.RunAnalyzer(after).Where(d => d.Id == "ADG0305").ToList();
        Assert.Contains("it calls Link, which second order cannot go through (it calls Area, which second order cannot go through (it calls TensorPrimitives span primitives", Assert.Single(adg0305).GetMessage(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Middle is [Differentiable] (reverse only) and calls Soft, which has only a hand-written SoftBackward: there is no
    /// SoftTangent, so neither MiddleTangent nor MiddleBackwardTangent can be generated. A caller that needs them is refused
    /// with a diagnostic that says why (ADG0305 for second order, ADG0307 for forward mode; a vector-valued caller's
    /// MJacobian runs reverse sweeps only), and no generated file calls a method that does not exist.
    /// </summary>
    internal const string HelperOverHandWrittenBackward = """
        using System;
        using AutoDiffGen;
        namespace Samples;
        public static partial class Funcs
        {
            public static double Soft(double v) => Math.Log(1 + Math.Exp(v));
            public static double SoftBackward(double v, double seed, ref double dv) { dv += seed / (1 + Math.Exp(-v)); return Soft(v); }

            [Differentiable]
            public static double Middle(double x) => Soft(x) * x;

            [Differentiable]
            public static double Upper(double x) => Middle(x) + x;

            [Differentiable(Derivatives.Reverse | Derivatives.Hessian)] // expect: ADG0305
            public static double Outer(double x, double y) => Middle(x * y) + y;

            [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
            public static double Forward(double x, double y) => Upper(x * y) + y; // expect: ADG0307

            [Differentiable]
            public static void Residuals(double x, double y, [Output] double[] r) { r[0] = Upper(x) - y; r[1] = x * y; }
        }
        """;

    [Fact]
    public void Callers_needing_the_tangent_of_a_helper_over_a_hand_written_backward_are_refused_and_the_output_compiles()
    {
        GeneratorRun run = GeneratorHarness.Run(HelperOverHandWrittenBackward).AssertCompiles();
        Assert.DoesNotContain(run.GeneratedSources, s => s.SourceText.ToString().Contains("SoftTangent(", StringComparison.Ordinal));
        Assert.DoesNotContain(run.GeneratedSources, s => s.SourceText.ToString().Contains("MiddleTangent(", StringComparison.Ordinal));
        string all = string.Concat(run.GeneratedSources.Select(s => s.SourceText.ToString()));
        Assert.Contains("OuterGradient(", all, StringComparison.Ordinal);
        Assert.DoesNotContain("OuterHessianVector(", all, StringComparison.Ordinal);
        Assert.Contains("ResidualsJacobian(", all, StringComparison.Ordinal);

        var diagnostics = GeneratorHarness.RunAnalyzer(GeneratorHarness.CreateCompilation(HelperOverHandWrittenBackward)).ToList();
        Assert.Contains("it calls Middle, which second order cannot go through", Assert.Single(diagnostics, d => d.Id == "ADG0305").GetMessage(), StringComparison.Ordinal);
        Diagnostic forward = Assert.Single(diagnostics, d => d.Id == "ADG0307");
        Assert.Contains("to 'Funcs.Upper(double)', whose 'UpperTangent' cannot be generated", forward.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("cannot be generated: it calls Middle, whose MiddleTangent cannot be generated (it calls Soft, whose derivative is a hand-written SoftBackward", forward.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("Upper(x * y)", forward.Location.SourceTree!.ToString().Substring(forward.Location.SourceSpan.Start, forward.Location.SourceSpan.Length));
        Assert.DoesNotContain(diagnostics, d => d.Id == "ADG0301");
    }
}
