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

        // Link now calls a method taking a struct: its MBackwardTangent cannot be made, so Energy gets ADG0305 and no Hessian.
        SyntaxTree tree = before.SyntaxTrees.Single();
        string edited = tree.ToString().Replace(
            "public static double Link(double a, double b) => (b - a * a) * (b - a * a);",
            "public static double Link(double a, double b) => Area(new Pair(b - a * a, b));\n"
            + "    public record struct Pair(double X, double Y);\n"
            + "    [Differentiable]\n    public static double Area(Pair p) => p.X * p.Y;");
        CSharpCompilation after = before.ReplaceSyntaxTree(tree, GeneratorHarness.Parse(edited, tree.FilePath));
        driver = driver.RunGeneratorsAndUpdateCompilation(after, out Compilation second, out ImmutableArray<Diagnostic> _);
        Assert.DoesNotContain(second.SyntaxTrees, t => t.ToString().Contains("EnergyHessianVector(", StringComparison.Ordinal));
        Assert.Contains(second.SyntaxTrees, t => t.ToString().Contains("EnergyGradient(", StringComparison.Ordinal));
        var errors = second.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, GeneratorHarness.Format(errors));
        var adg0305 = GeneratorHarness.RunAnalyzer(after).Where(d => d.Id == "ADG0305").ToList();
        Assert.Contains("it calls Link, which second order cannot go through (it calls Area, which second order cannot go through (it takes a struct of reals", Assert.Single(adg0305).GetMessage(), StringComparison.Ordinal);
    }
}
