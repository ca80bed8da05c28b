using System;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// A [Differentiable] callee that may dispatch to another override at run time: its companions are not virtual, so
/// calling them would differentiate the base body while the primal ran the override's — a silently wrong derivative.
/// Such a call is refused (ADG0101) whatever its parameter types; a call that cannot dispatch elsewhere (a sealed
/// override, an override in a sealed class) goes through its own companions.
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
        public static partial class Use
        {
            [Differentiable]
            public static double ThroughBase(double x, [NoDerivative] Shape shape) => shape.Energy(x) + x; // expect: ADG0101

            [Differentiable]
            public static double ThroughSealed(double x, [NoDerivative] Square square) => square.Energy(x) + x;
        }
        """;

    [Fact]
    public void A_call_that_may_dispatch_to_another_override_is_refused_and_a_sealed_one_is_not()
    {
        GeneratorRun run = GeneratorHarness.Run(Source);
        var adg = GeneratorHarness.RunAnalyzer(run.InputCompilation).Where(d => d.Id.StartsWith("ADG", StringComparison.Ordinal)).ToList();
        var onBase = adg.Where(d => Source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length).Contains("shape.Energy", StringComparison.Ordinal)).ToList();
        Assert.True(onBase.Count > 0, GeneratorHarness.Format(adg));
        Assert.Equal("ADG0101", onBase[0].Id);
        string message = onBase[0].GetMessage();
        Assert.True(message.Contains("is virtual: its companions are not virtual", StringComparison.Ordinal), message);
        Assert.DoesNotContain("struct", message, StringComparison.Ordinal); // doubles only: the message must not speak of structs
        Assert.DoesNotContain(adg, d => Source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length).Contains("square.Energy", StringComparison.Ordinal));
        Assert.Contains(run.GeneratedSources, s => s.SourceText.ToString().Contains("public static double ThroughSealedGradient(", StringComparison.Ordinal));
    }
}
