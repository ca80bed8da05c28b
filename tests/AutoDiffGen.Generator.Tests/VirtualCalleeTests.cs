using System;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// A callee that may dispatch to another override at run time (README "Virtual methods"). A [Differentiable] virtual
/// method has virtual companions that its [Differentiable] overrides override, so a call through a base-typed receiver goes
/// through them. A virtual callee whose companions cannot dispatch like it is refused (ADG0101): one that is abstract or
/// not [Differentiable] (another override's derivative would be missed). Forward mode through a virtual callee needs its
/// declared MTangent (one generated on demand is not virtual): ADG0301 otherwise.
/// </summary>
public class VirtualCalleeTests
{
    private const string Source = """
        using AutoDiffGen;
        namespace Samples;
        public partial class Shape
        {
            [Differentiable]
            public virtual double Energy(double x) => x * x;
        }
        public sealed partial class Square : Shape
        {
            [Differentiable]
            public override double Energy(double x) => 3 * x * x;
        }
        public abstract partial class Body
        {
            public abstract double Mass(double x);
        }
        public partial class Heater
        {
            public virtual double Heat(double x) => x * x;
            public double HeatBackward(double x, double seed, ref double dx) { dx += seed * 2 * x; return x * x; }
        }
        public static partial class Use
        {
            [Differentiable]
            public static double ThroughHandWritten(double x, [NoDerivative] Heater heater) => heater.Heat(x) + x; // expect: ADG0101

            [Differentiable]
            public static double ThroughBase(double x, [NoDerivative] Shape shape) => shape.Energy(x) + x;

            [Differentiable]
            public static double ThroughSealed(double x, [NoDerivative] Square square) => square.Energy(x) + x;

            [Differentiable]
            public static double ThroughAbstract(double x, [NoDerivative] Body body) => body.Mass(x) + x; // expect: ADG0102

            [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
            public static double ForwardThroughBase(double x, [NoDerivative] Shape shape) => shape.Energy(x) + x; // expect: ADG0301
        }
        """;

    [Fact]
    public void A_differentiable_virtual_callee_is_called_through_its_virtual_companions()
    {
        GeneratorRun run = GeneratorHarness.Run(Source);
        var adg = GeneratorHarness.RunAnalyzer(run.InputCompilation).Where(d => d.Id.StartsWith("ADG", StringComparison.Ordinal)).ToList();
        // The only errors are those the source expects: the hand-written virtual derivative, the abstract callee without one, forward mode without a declared MTangent.
        Assert.All(adg.Where(d => d.Severity == DiagnosticSeverity.Error), d => Assert.Contains(d.Id, new[] { "ADG0101", "ADG0102", "ADG0301" }));
        // What is generated compiles: the overriding companions find the virtual ones they override.
        Assert.Null(run.Result.Exception);
        Assert.True(run.OutputErrors.All(d => d.Location.SourceTree is not { } tree || !run.Result.GeneratedSources.Any(g => g.SyntaxTree == tree)),
            GeneratorHarness.Format(run.OutputErrors));
        string generated = string.Join("\n", run.GeneratedSources.Select(s => s.SourceText.ToString()));
        Assert.Contains("public virtual double EnergyBackward(", generated, StringComparison.Ordinal);
        Assert.Contains("public override double EnergyBackward(", generated, StringComparison.Ordinal);
        Assert.Contains("shape.EnergyBackward(", generated, StringComparison.Ordinal);
        Assert.Contains("public static double ThroughSealedGradient(", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void A_virtual_call_in_a_loop_reversed_as_it_runs_takes_its_value_from_its_pullback()
    {
        // The iterations are independent, so each is reversed right after it runs (fusion), with the seed known at the call:
        // the call's value comes from shape.EnergyBackward (the same override on the same object), one virtual call instead
        // of two. Reverse/PullbackValues.cs; VirtualMethodTests checks the values, with two receivers that must not mix.
        const string loop = """
            using AutoDiffGen;
            namespace Samples;
            public partial class Shape
            {
                [Differentiable]
                public virtual double Energy(double x) => x * x;
            }
            public static partial class Use
            {
                [Differentiable]
                public static double Sum(Shape shape, double[] xs)
                {
                    double total = 0;
                    for (int i = 0; i < xs.Length; i++) total += shape.Energy(xs[i]) + shape.Energy(2 * xs[i]);
                    return total;
                }
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(loop);
        Assert.Empty(run.OutputErrors);
        string sum = run.GeneratedSources.Single(s => s.HintName.Contains("Use.Sum", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Equal(2, sum.Split(" = shape.EnergyBackward(").Length - 1);
        Assert.DoesNotContain(" = shape.Energy(", sum, StringComparison.Ordinal);
    }

    [Fact]
    public void A_virtual_callee_whose_companions_cannot_dispatch_like_it_is_refused()
    {
        GeneratorRun run = GeneratorHarness.Run(Source);
        var adg = GeneratorHarness.RunAnalyzer(run.InputCompilation).Where(d => d.Id == "ADG0101").ToList();
        Assert.Single(adg);
        string message = adg[0].GetMessage();
        Assert.True(message.Contains("'Heater.Heat(double)' is virtual: its companions are not virtual (it is not [Differentiable])", StringComparison.Ordinal), message);
        Assert.Contains("make it [Differentiable] with a body", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_mode_through_a_virtual_callee_needs_its_declared_tangent()
    {
        GeneratorRun run = GeneratorHarness.Run(Source);
        var adg = GeneratorHarness.RunAnalyzer(run.InputCompilation).Where(d => d.Id.StartsWith("ADG", StringComparison.Ordinal)).ToList();
        var forward = adg.Where(d => d.Id == "ADG0301").ToList();
        Assert.True(forward.Count > 0, GeneratorHarness.Format(adg));
        Assert.Contains("EnergyTangent", forward[0].GetMessage(), StringComparison.Ordinal);
    }
}
