using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Loops and branches: what the forward sweep records (and what it must not), and that the reverse sweep uses it to
/// produce the right gradient.
/// </summary>
public class LoopAndBranchTests
{
    /// <summary>f(x, n) = x^n by repeated multiplication: y = 1; for (i = 0; i &lt; n; i++) y = y · x.</summary>
    private static (IrFunction F, Var Y, Var I) Power()
    {
        var b = new IrBuilder("Power");
        Var x = b.Param("x");
        Var n = b.Param("n", IrType.Int);
        Var y = b.Local("y", 1.0);
        Var i = b.For("i", 0, n, _ => b.Assign(y, y * x));
        b.Return(y);
        return (b.Build(), y, i);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void Variable_reassigned_in_a_loop_is_restored_from_the_tape(int n)
    {
        (IrFunction f, Var y, _) = Power();
        ReverseProgram program = IrRunner.Differentiate(f);
        // y = y · x inside the loop overwrites the y the reverse sweep needs (∂/∂x = y_old): one push per iteration. (Two
        // pushes of y in the code: one in the taped loop, run here, and one per checkpoint in the loop that runs when
        // it is long, CheckpointTests.)
        Assert.Equal(2, IrQuery.PushesOf(program.Forward, y).Count);
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 1.3, n }, program: program);
        GradientCheck.AssertClose(n * Math.Pow(1.3, n - 1), run.Gradient(0), 1e-13, 0, "d x^n / dx");
        Assert.Equal(n, run.TapePushes.GetValueOrDefault("double"));
    }

    [Fact]
    public void Int_counter_is_restored_by_inversion_not_the_tape()
    {
        // s = 0; for (i = 0; i < n; i++) s = s + sin(x i) · i; return s · x   → the reverse sweep needs i. (The result
        // reads s after the loop, so the loop is not fused: its reverse runs as a reversed loop.)
        var b = new IrBuilder("Weighted");
        Var x = b.Param("x");
        Var n = b.Param("n", IrType.Int);
        Var s = b.Local("s", 0.0);
        Var i = b.For("i", 0, n, i => b.Assign(s, s + M.Sin(x * i.To(IrType.Double)) * i.To(IrType.Double)));
        b.Return(s * x);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(IrQuery.Reads(program.Reverse, i), "the reverse sweep reads the counter\n" + IrPrinter.Print(program));
        Assert.Empty(IrQuery.Pushes(program.Forward, IrTypeKind.Integer));
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.4, 6 }, program: program);
        double exact = Enumerable.Range(0, 6).Sum(k => Math.Sin(0.4 * k) * k + 0.4 * Math.Cos(0.4 * k) * k * k);
        GradientCheck.AssertClose(exact, run.Gradient(0), 1e-13, 1e-15, "Σ sin(x i) i + x Σ cos(x i) i²");
        Assert.Equal(0, run.TapePushes.GetValueOrDefault("int"));
    }

    [Fact]
    public void Int_updated_by_a_non_invertible_step_goes_on_the_tape()
    {
        // k = 1; while (k < n) { s = s + x · k; k = k · 2 }: k · 2 cannot be inverted exactly in general.
        var b = new IrBuilder("Doubling");
        Var x = b.Param("x");
        Var n = b.Param("n", IrType.Int);
        Var s = b.Local("s", 0.0);
        Var k = b.Local("k", 1, IrType.Int);
        b.While(() => k < n, () =>
        {
            b.Assign(s, s + M.Sin(x * k.To(IrType.Double)));
            b.Assign(k, k * 2);
        });
        b.Return(s);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.3, 40 }, program: program);
        double exact = new[] { 1, 2, 4, 8, 16, 32 }.Sum(m => Math.Cos(0.3 * m) * m);
        GradientCheck.AssertClose(exact, run.Gradient(0), 1e-13, 0, "Σ cos(x k) k");
    }

    [Fact]
    public void Nested_loops()
    {
        // p = 1; s = 0; for i < n { for j < m { p = p · x + y · j; s = s + p · i } }
        var b = new IrBuilder("Nested");
        Var x = b.Param("x");
        Var y = b.Param("y");
        Var n = b.Param("n", IrType.Int);
        Var m = b.Param("m", IrType.Int);
        Var p = b.Local("p", 1.0);
        Var s = b.Local("s", 0.0);
        b.For("i", 0, n, i => b.For("j", 0, m, j =>
        {
            b.Assign(p, p * x + y * j.To(IrType.Double));
            b.Assign(s, s + p * i.To(IrType.Double));
        }));
        b.Return(s + p);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        foreach (var (n0, m0) in new[] { (3, 4), (1, 1), (0, 3), (3, 0), (2, 5) })
        {
            GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.9, -0.4, n0, m0 }, program: program);
            Assert.Equal(0, run.Interpreter.TapeCount);
        }
    }

    [Fact]
    public void Nested_loop_trip_counts_go_on_the_tape_and_counters_do_not()
    {
        // for i < n { for j < i { s = s + sin(x · j) } }: the inner trip count varies per outer iteration.
        var b = new IrBuilder("Triangle");
        Var x = b.Param("x");
        Var n = b.Param("n", IrType.Int);
        Var s = b.Local("s", 0.0);
        Var i = b.Local("i", IrType.Int);
        Var j = b.Local("j", IrType.Int);
        b.Assign(i, 0);
        b.While(() => i < n, () =>
        {
            b.Assign(j, 0);
            b.While(() => j < i, () =>
            {
                b.Assign(s, s + M.Sin(x * j.To(IrType.Double)));
                b.Assign(j, j + 1);
            });
            b.Assign(i, i + 1);
        });
        b.Return(s);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.7, 5 }, program: program);
        double exact = Enumerable.Range(0, 5).Sum(ii => Enumerable.Range(0, ii).Sum(jj => Math.Cos(0.7 * jj) * jj));
        GradientCheck.AssertClose(exact, run.Gradient(0), 1e-13, 0, "Σ_i Σ_{j<i} cos(x j) j");
        Assert.Empty(IrQuery.PushesOf(program.Forward, i));
        Assert.All(IrQuery.Pushes(program.Forward, IrTypeKind.Integer), push =>
            Assert.True(push.Value is IrVariableReference { Variable: var v } && (v == j.Variable || v.Role == IrVariableRole.Control),
                "only the inner trip count (and the inner counter's re-initialisation) may be taped: " + IrPrinter.Expr(push.Value)));
    }

    [Fact]
    public void Branch_on_data_inside_a_loop_records_its_condition()
    {
        // for i < n { if (y > 1) y = y · 0.5 + x else y = y · x + 1 }: which arm ran depends on x.
        var b = new IrBuilder("Bouncing");
        Var x = b.Param("x");
        Var n = b.Param("n", IrType.Int);
        Var y = b.Local("y", x);
        b.For("i", 0, n, _ => b.If(y > 1.0, () => b.Assign(y, y * 0.5 + x), () => b.Assign(y, y * x + 1.0)));
        b.Return(y);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        foreach (double x0 in new[] { 0.3, 0.9, 1.3, 1.7 })
        {
            GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { x0, 7 }, program: program);
            // The first decision is whether to checkpoint the loop (7 iterations: no, it is taped).
            var arms = run.ForwardTrace.Where(t => t.Kind == 'i').Skip(1).Select(t => t.Value).ToList();
            Assert.Equal(7, arms.Count);
            Assert.Equal(7, run.TapePushes.GetValueOrDefault("bool"));
        }
        // The arms do differ between iterations at some point, or the test would not test the recording.
        GradientRun mixed = IrRunner.Gradient(program, new object?[] { 0.9, 7 });
        Assert.True(mixed.ForwardTrace.Where(t => t.Kind == 'i').Skip(1).Select(t => t.Value).Distinct().Count() == 2);
    }

    [Fact]
    public void Branch_on_the_counter_inside_a_loop()
    {
        // for i < n { if (i % 3 == 0) s = s · x else s = s + x · x }
        var b = new IrBuilder("Alternating");
        Var x = b.Param("x");
        Var n = b.Param("n", IrType.Int);
        Var s = b.Local("s", 1.0);
        b.For("i", 0, n, i => b.If(E.Eq(i % 3, 0), () => b.Assign(s, s * x), () => b.Assign(s, s + x * x)));
        b.Return(s);
        IrFunction f = b.Build();
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 1.1, 8 });
        // Reference: the same recurrence differentiated forward by hand.
        double v = 1, dv = 0, X = 1.1;
        for (int k = 0; k < 8; k++)
        {
            if (k % 3 == 0) { dv = dv * X + v; v *= X; }
            else { dv += 2 * X; v += X * X; }
        }
        GradientCheck.AssertClose(dv, run.Gradient(0), 1e-13, 0, "recurrence");
    }

    [Fact]
    public void While_loop_with_a_data_dependent_trip_count()
    {
        // y = a; while (y < 10) y = y · x; f = y   (x > 1): the trip count depends on x but is locally constant.
        var b = new IrBuilder("Grow");
        Var a = b.Param("a");
        Var x = b.Param("x");
        Var y = b.Local("y", a);
        b.While(() => y < 10.0, () => b.Assign(y, y * x));
        b.Return(y);
        IrFunction f = b.Build();
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.7, 1.9 });
        int trips = (int)run.ForwardTrace.Single(t => t.Kind == 'l').Value;
        Assert.Equal(5, trips); // 0.7 · 1.9⁵ ≥ 10 > 0.7 · 1.9⁴
        GradientCheck.AssertClose(Math.Pow(1.9, trips), run.Gradient(0), 1e-13, 0, "∂/∂a");
        GradientCheck.AssertClose(0.7 * trips * Math.Pow(1.9, trips - 1), run.Gradient(1), 1e-13, 0, "∂/∂x");
    }

    [Fact]
    public void Branches_outside_loops_reassigning_variables()
    {
        // if (x > 0) { y = x · x; x = sin(y) } else { y = -x; x = y · y · y }  f = x + y
        var b = new IrBuilder("Piecewise");
        Var x = b.Param("x");
        Var y = b.Local("y");
        b.If(x > 0.0, () => { b.Assign(y, x * x); b.Assign(x, M.Sin(y)); }, () => { b.Assign(y, -x); b.Assign(x, y * y * y); });
        b.Return(x + y);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        GradientRun pos = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.8 }, program: program);
        GradientCheck.AssertClose(Math.Cos(0.64) * 1.6 + 1.6, pos.Gradient(0), 1e-13, 0, "x > 0");
        GradientRun neg = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { -0.8 }, program: program);
        GradientCheck.AssertClose(-3 * 0.64 - 1, neg.Gradient(0), 1e-13, 0, "x < 0");
    }

    [Fact]
    public void Branch_whose_arm_reassigns_its_own_condition_variable()
    {
        // c = x > 0; if (c) { c = false; y = x · x } else { y = x }   (the reverse must reverse the arm that ran)
        var b = new IrBuilder("Flag");
        Var x = b.Param("x");
        Var c = b.Local("c", x > 0.0);
        Var y = b.Local("y", 0.0);
        b.If(c, () => { b.Assign(c, false); b.Assign(y, x * x); }, () => b.Assign(y, x));
        b.Return(y);
        IrFunction f = b.Build();
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 1.5 });
        Assert.Equal(3.0, run.Gradient(0));
    }

    [Fact]
    public void Loop_reading_a_value_overwritten_after_it()
    {
        // y = x · x; for i < n { s = s + y · x }; y = sin(x); f = s + y
        var b = new IrBuilder("After");
        Var x = b.Param("x");
        Var n = b.Param("n", IrType.Int);
        Var y = b.Local("y", x * x);
        Var s = b.Local("s", 0.0);
        b.For("i", 0, n, _ => b.Assign(s, s + y * x));
        b.Assign(y, M.Sin(x));
        b.Return(s + y);
        IrFunction f = b.Build();
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.6, 3 });
        GradientCheck.AssertClose(3 * 3 * 0.36 + Math.Cos(0.6), run.Gradient(0), 1e-13, 0, "∂f/∂x");
    }

    [Fact]
    public void Loop_accumulating_into_a_parameter()
    {
        // for i < n { x = x · x · 0.5 + 0.25 }  f = x
        var b = new IrBuilder("Iterate");
        Var x = b.Param("x");
        Var n = b.Param("n", IrType.Int);
        b.For("i", 0, n, _ => b.Assign(x, x * x * 0.5 + 0.25));
        b.Return(x);
        IrFunction f = b.Build();
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.8, 4 });
        double v = 0.8, dv = 1;
        for (int k = 0; k < 4; k++) { dv *= v; v = v * v * 0.5 + 0.25; }
        GradientCheck.AssertClose(dv, run.Gradient(0), 1e-13, 0, "recurrence");
    }

    [Fact]
    public void Counter_advanced_conditionally_and_by_variable_steps()
    {
        // k = 0; while (k < 12) { s = s + sin(x · k); if (s > 0.5) k = k + 1 else k = k + 3; k = k + m }
        var b = new IrBuilder("Irregular");
        Var x = b.Param("x");
        Var m = b.Param("m", IrType.Int);
        Var s = b.Local("s", 0.0);
        Var k = b.Local("k", 0, IrType.Int);
        b.While(() => k < 12, () =>
        {
            b.Assign(s, s + M.Sin(x * k.To(IrType.Double)));
            b.If(s > 0.5, () => b.Assign(k, k + 1), () => b.Assign(k, k + 3));
            b.Assign(k, k + m);
        });
        b.Return(s);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        foreach (double x0 in new[] { 0.2, 0.45, 0.9, 1.6 })
        {
            foreach (int m0 in new[] { 0, 1, 2 })
            {
                GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { x0, m0 }, program: program);
                // Reference: the same loop, differentiated forward by hand.
                double v = 0, dv = 0;
                for (int kk = 0; kk < 12;)
                {
                    v += Math.Sin(x0 * kk);
                    dv += Math.Cos(x0 * kk) * kk;
                    kk += (v > 0.5 ? 1 : 3) + m0;
                }
                GradientCheck.AssertClose(dv, run.Gradient(0), 1e-13, 1e-15, "x = " + x0 + ", m = " + m0);
            }
        }
    }

    [Fact]
    public void Counter_decremented_and_reset_inside_the_loop_body()
    {
        // for i < n { j = n; while (j > i) { p = p · x + j; j = j − 1 }; t = p · i; p = sin(t) }
        var b = new IrBuilder("Countdown");
        Var x = b.Param("x");
        Var n = b.Param("n", IrType.Int);
        Var p = b.Local("p", 1.0);
        Var j = b.Local("j", IrType.Int);
        b.For("i", 0, n, i =>
        {
            b.Assign(j, n);
            b.While(() => j > i, () =>
            {
                b.Assign(p, p * x + j.To(IrType.Double));
                b.Assign(j, j - 1);
            });
            b.Assign(p, M.Sin(p * i.To(IrType.Double) * 0.1) + p * 0.5);
        });
        b.Return(p);
        IrFunction f = b.Build();
        foreach (int n0 in new[] { 0, 1, 3, 4 })
        {
            GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.7, n0 });
        }
    }

    [Fact]
    public void Break_tested_on_a_value_only_the_test_needs_after_a_continue_on_the_counter()
    {
        // Integration ReproTests' Reduced.BreakAfterTapedBranch in IR, as lowering gives it (fails with a tape underflow
        // before 8f7b45d: the restore of x0, read only to re-test the break, was judged dead too early).
        // double t0 = 0.6;
        // for (int i2 = 0; i2 < 2; i2++) { if (t0 > 1) x0 = Math.Atan(t0 * x2); if (i2 == 1) continue; t0 += 1; if (x0 > -0.1) break; }
        // return Math.Sin(x0);
        var b = new IrBuilder("BreakAfterTapedBranch");
        Var x0 = b.Param("x0");
        Var x2 = b.Param("x2");
        Var jump = b.Variable("_jump", IrType.Int, IrVariableRole.Control);
        Var t0 = b.Local("t0", 0.6);
        Var i2 = b.Local("i2", 0, IrType.Int);
        Var proceed = b.Variable("_proceed", IrType.Bool, IrVariableRole.Control);
        b.Loop(() =>
        {
            b.Assign(proceed, E.Eq(jump, 0));
            b.If(proceed, () => b.Assign(proceed, i2 < 2), copyCondition: false);
            return proceed;
        }, () =>
        {
            b.If(t0 > 1.0, () => b.Assign(x0, M.Atan(t0 * x2)));
            b.If(E.Eq(i2, 1), () => b.Assign(jump, 1), () =>
            {
                b.Assign(t0, t0 + 1.0);
                b.If(x0 > -0.1, () => b.Assign(jump, 2));
            });
            b.If(E.Eq(jump, 1), () => b.Assign(jump, 0));
            b.If(E.Eq(jump, 0), () => b.Assign(i2, i2 + 1));
        });
        b.If(E.Eq(jump, 2), () => b.Assign(jump, 0));
        b.Return(M.Sin(x0));
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        foreach (double x in new[] { -0.5, 0.3, -1.0, 1.0 })
        {
            foreach (double y in new[] { -0.7, 0.4, 2.0 })
            {
                GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { x, y }, program: program);
            }
        }
    }
}
