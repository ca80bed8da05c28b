using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Engine.Tests.Property;

/// <summary>
/// Wrong gradients the long mode found, each kept as the program and point it reported, with what was wrong. (A
/// disagreement that turned out to be an ill-conditioned point, not a wrong gradient, is in
/// <see cref="IllConditionedPointTests"/>.)
/// </summary>
public class PropertyRegressionTests
{
    /// <summary>
    /// IR seed 120409238 (helper-fusion's long run, 2026-12-02). At the point (3, [−0.77], −0.754, 0.526, 0.165), ∂/∂x3
    /// by finite differences is −0.49231364186 at steps 1e−3 to 1e−6 alike, and reverse and forward mode both gave
    /// −0.49231993302: 1.3e−5 relative. The cause was Atan2's rule, shared by both modes. The program computes
    /// v0 = min(exp((x2 − 0.61)·300), 2) ≈ 1e−178 and then atan2(min(v1, v0), x3·v0); the rule divided by a² + b², whose
    /// squares underflow to 0 at 1e−178, so it took the origin's convention and returned 0 partials (of order 1e178),
    /// dropping that path's contribution.
    /// The rule now scales both arguments by max(|a|, |b|) (RuleTable.Atan2Partials); the direct test is
    /// DerivativeRuleTests.Atan2_partials_hold_where_the_squares_underflow_or_overflow.
    /// </summary>
    [Fact]
    public void Seed_120409238_agrees_with_finite_differences_in_x3()
    {
        var random = RandomIrProgram.Generate(120409238, IrType.Double);
        var calls = random.NewCalls();
        object?[] args = random.Points[0].Select(a => a is double[] array ? array.Clone() : a).ToArray();
        GradientRun run = IrRunner.Gradient(random.Program, args.Select(a => a is double[] array ? array.Clone() : a).ToArray(), calls: calls);
        FiniteDifference fd = GradientCheck.Estimate(random.Function, args, 3, calls);
        Assert.True(fd.SameControlFlow);
        GradientCheck.AssertClose(fd.Value, run.Gradient(3), 1e-6, 1e-8, "∂/∂x3");
    }
}
