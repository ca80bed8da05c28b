using System;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// design.md: "Inactive branches are never differentiated, which avoids NaN from code the result does not depend
/// on". These are values the result does not depend on because they are overwritten before anything reads them, and
/// partials that are undefined at a point (0/0): a zero adjoint times a NaN partial is NaN, not 0.
/// </summary>
public class NaNSafetyTests
{
    [Fact]
    public void Value_computed_then_replaced_by_a_guard_does_not_make_the_gradient_NaN()
    {
        // double r = Math.Sqrt(x); if (x < 0) r = 0; return r;      at x = −1: f ≡ 0 nearby, so f'(−1) = 0.
        var b = new IrBuilder("GuardedSqrt");
        Var x = b.Param("x");
        Var r = b.Local("r", M.Sqrt(x));
        b.If(x < 0.0, () => b.Assign(r, 0.0));
        b.Return(r);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.Equal(0.5 / Math.Sqrt(4.0), IrRunner.Gradient(program, new object?[] { 4.0 }).Gradient(0));
        double gradient = IrRunner.Gradient(program, new object?[] { -1.0 }).Gradient(0);
        Assert.True(gradient == 0, "expected 0, got " + gradient + "\n" + IrPrinter.Print(f) + IrPrinter.Print(program));
    }

    [Fact]
    public void Value_overwritten_before_any_read_does_not_make_the_gradient_NaN()
    {
        // double y = Math.Log(x); y = x * 2; return y;     at x = 0: f'(0) = 2 (the log is never used).
        var b = new IrBuilder("Overwritten");
        Var x = b.Param("x");
        Var y = b.Local("y", M.Log(x));
        b.Assign(y, x * 2.0);
        b.Return(y);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        double gradient = IrRunner.Gradient(program, new object?[] { 0.0 }).Gradient(0);
        Assert.True(gradient == 2, "expected 2, got " + gradient + "\n" + IrPrinter.Print(f) + IrPrinter.Print(program));
    }

    [Fact]
    public void Atan2_at_the_origin_uses_a_zero_subgradient_like_Hypot()
    {
        // Hypot's rule gives 0 at the origin; Atan2's gives 0/0. f(x) = atan2(x − x, x − x) ≡ 0, so f' = 0.
        var b = new IrBuilder("Atan2Origin");
        Var x = b.Param("x");
        Var z = b.Local("z", x - x);
        b.Return(M.Call(Generator.Engine.Rules.MathFunction.Atan2, z, z));
        IrFunction f = b.Build();
        double gradient = IrRunner.Gradient(IrRunner.Differentiate(f), new object?[] { 0.7 }).Gradient(0);
        Assert.True(gradient == 0, "expected 0, got " + gradient);
    }

    [Fact]
    public void Overflow_in_the_argument_Min_does_not_select_does_not_make_the_gradient_NaN()
    {
        // double big = exp(1000 x); double m = min(big, 2); return m · x;   at x = 1: big = ∞, f = 2x nearby, f' = 2.
        // The selecting subgradient makes big's adjoint 0 at run time though it is not known zero: 0 · ∞ must not reach x.
        var b = new IrBuilder("OverflowInMin");
        Var x = b.Param("x");
        Var big = b.Local("big", M.Exp(x * 1000.0));
        Var m = b.Local("m", M.Min(big, 2.0));
        b.Return(m * x);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.Equal(Math.Exp(-1.0) * (1 - 1.0), IrRunner.Gradient(program, new object?[] { -0.001 }).Gradient(0), 12);
        double gradient = IrRunner.Gradient(program, new object?[] { 1.0 }).Gradient(0);
        Assert.True(gradient == 2, "expected 2, got " + gradient + "\n" + IrPrinter.Print(program));
    }

    [Fact]
    public void NaN_on_a_path_the_result_does_not_take_does_not_make_the_gradient_NaN()
    {
        // y = log(x − 10); z = y · y; if (x > 100) r = z; else r = 2x;   at x = 1: y is NaN, f = 2x nearby, f' = 2.
        // z's adjoint is zero only on the else path (maybe zero after the join): its contribution y · 2 is guarded.
        var b = new IrBuilder("NaNOffPath");
        Var x = b.Param("x");
        Var y = b.Local("y", M.Log(x - 10.0));
        Var z = b.Local("z", y * y);
        Var r = b.Local("r", 0.0);
        b.If(x > 100.0, () => b.Assign(r, z), () => b.Assign(r, x * 2.0));
        b.Return(r);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.Equal(2 * Math.Log(140.0) / 140.0, IrRunner.Gradient(program, new object?[] { 150.0 }).Gradient(0), 12);
        double gradient = IrRunner.Gradient(program, new object?[] { 1.0 }).Gradient(0);
        Assert.True(gradient == 2, "expected 2, got " + gradient + "\n" + IrPrinter.Print(program));
    }
}
