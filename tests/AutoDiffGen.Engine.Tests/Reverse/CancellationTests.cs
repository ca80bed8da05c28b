using System;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Numerical failures of the reverse sweep found by the random IR programs. Contributions that cancel:
/// found by seed 8810: a statement that reads a variable twice (<c>d = v - v</c>)
/// gives its adjoint two contributions, +dd and −dd, accumulated one after the other. When dd is huge (here
/// −1/y from Atan2(y, 0) with y = e^−40) the adjoint's other contributions are lost: (1 + dd) − dd = 0 in doubles,
/// although the exact sum, and forward mode (whose tangent of v − v is exactly 0), give 1.
/// </summary>
public class CancellationTests
{
    [Fact]
    public void Contributions_of_one_statement_to_one_adjoint_cancel_exactly()
    {
        // double F(double x, double v) { double y = Math.Exp(50 * x); double d = v - v; return Math.Atan2(y, d) + v; }
        // ∂F/∂v = 1 everywhere (d is identically 0), at x = −0.8 too, where ∂Atan2/∂d = −1/y ≈ −2.4e17.
        var b = new IrBuilder("Cancel");
        Var x = b.Param("x");
        Var v = b.Param("v");
        Var y = b.Local("y", M.Exp(x * 50.0));
        Var d = b.Local("d", v - v);
        b.Return(M.Call(AutoDiffGen.Generator.Engine.Rules.MathFunction.Atan2, y, d) + v);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.Equal(1.0, IrRunner.Gradient(program, new object?[] { 0.1, 0.3 }).Gradient(1));
        double gradient = IrRunner.Gradient(program, new object?[] { -0.8, 0.3 }).Gradient(1);
        Assert.True(gradient == 1.0, "expected 1, got " + gradient + "\n" + IrPrinter.Print(f) + IrPrinter.Print(program));
    }

    [Fact]
    public void Infinite_adjoint_times_a_zero_partial_is_not_NaN()
    {
        // Random program 7917: double F(double x, int k) { double g = x * k; return Math.Sqrt(g) + x; }   at k = 0: F = x, F' = 1.
        // The reverse sweep gives dg = 0.5 / Sqrt(0) = ∞ (Sqrt's derivative at 0, the adjoint is not zero), then dx += dg · k = ∞ · 0 = NaN.
        // 8f7b45d guards a zero adjoint times a non-finite partial; this is the mirror case, a non-finite adjoint times a zero partial.
        // Fixed at its source: Sqrt's rule gives 0 where √g = 0 (like Hypot at the origin), so dg = 0 and dx = 0 · 0 + 1.
        var b = new IrBuilder("InfiniteTimesZero");
        Var x = b.Param("x");
        Var k = b.Param("k", IrType.Int);
        Var g = b.Local("g", x * k.To(IrType.Double));
        b.Return(M.Sqrt(g) + x);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        FiniteDifference fd = GradientCheck.Estimate(f, new object?[] { 0.7, 0 }, 0);
        Assert.Equal(1.0, fd.Value, 9);
        double gradient = IrRunner.Gradient(program, new object?[] { 0.7, 0 }).Gradient(0);
        Assert.True(gradient == 1.0, "expected 1, got " + gradient + "\n" + IrPrinter.Print(f) + IrPrinter.Print(program));
    }
}
