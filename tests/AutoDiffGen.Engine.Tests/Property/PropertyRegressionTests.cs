using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

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
    /// <remarks>
    /// Kept as the program's failing core, built here, not as the seed: the random generator grows with every construct
    /// added, so a seed names a different program from one version to the next.
    /// </remarks>
    [Fact]
    public void Seed_120409238_agrees_with_finite_differences_in_x3()
    {
        // v0 = min(exp((x2 − 0.61)·300), 2); return atan2(min(v1, v0), x3·v0), at x2 = −0.754 (v0 ≈ 1e−178), v1 = 0.165:
        // atan2(v0, x3·v0) = atan2(1, x3) for x3 > 0, so ∂/∂x3 = −1/(1 + x3²), and ∂/∂v1 = 0 (min takes v0).
        var b = new IrBuilder("Atan2Underflow");
        Var x2 = b.Param("x2");
        Var x3 = b.Param("x3");
        Var v1 = b.Param("v1");
        Var v0 = b.Local("v0", M.Min(M.Exp((x2 - 0.61) * 300.0), 2.0));
        b.Return(M.Call(MathFunction.Atan2, M.Min(v1, v0), x3 * v0));
        IrFunction f = b.Build();
        object?[] args = { -0.754, 0.526, 0.165 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args);
        GradientCheck.AssertClose(-1 / (1 + 0.526 * 0.526), run.Gradient(1), 1e-12, 1e-12, "∂/∂x3");
        GradientCheck.AssertClose(0, run.Gradient(2), 1e-12, 1e-12, "∂/∂v1");
    }
}
