using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Fusion of loops that are not the last statement (ReverseModeTransform.FusionPlan.cs): a loop whose accumulators'
/// adjoints are known before it runs — what follows is linear in them and reads nothing the loop or what follows
/// changes — reverses each iteration right after it; otherwise it is left to the reverse sweep. Every case checks the
/// gradient against exact values and finite differences, fused or not.
/// </summary>
public class FusionTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);
    private static readonly double[] X = { 0.3, -1.1, 2.0, 0.7 };
    private static readonly double[] W = { 1.5, -0.4, 0.9, -2.2 };

    private static void AssertFused(ReverseProgram program, params bool[] expected) =>
        Assert.True(expected.SequenceEqual(IrQuery.FusedLoops(program.Forward)),
            "fused loops expected [" + string.Join(", ", expected) + "], got [" + string.Join(", ", IrQuery.FusedLoops(program.Forward)) + "]:\n" + IrPrinter.Print(program));

    /// <summary>Both array gradients against finite differences and the exact values.</summary>
    private static void AssertGradients(IrFunction f, ReverseProgram program, Func<int, double> exactX, Func<int, double> exactW)
    {
        object?[] args = { X.ToArray(), W.ToArray() };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args, program: program);
        GradientCheck.AssertArrayGradient(f, args, 0, (Array)run.Gradients[0]!);
        GradientCheck.AssertArrayGradient(f, args, 1, (Array)run.Gradients[1]!);
        var gx = (double[])run.Gradients[0]!;
        var gw = (double[])run.Gradients[1]!;
        for (int i = 0; i < X.Length; i++)
        {
            GradientCheck.AssertClose(exactX(i), gx[i], 1e-12, 1e-12, "∂f/∂x" + i);
            GradientCheck.AssertClose(exactW(i), gw[i], 1e-12, 1e-12, "∂f/∂w" + i);
        }
    }

    /// <summary>
    /// x and w, then total = Σ sin(x[i])·w[i] by a loop (its counter returned to <paramref name="rest"/>), then what
    /// <paramref name="rest"/> adds, returning its result.
    /// </summary>
    private static IrFunction WithTotal(string name, Func<IrBuilder, (Var X, Var W, Var Total, Var Counter), E> rest, double totalStart = 0.0)
    {
        var b = new IrBuilder(name);
        Var x = b.Param("x", Vector);
        Var w = b.Param("w", Vector);
        Var total = b.Local("total", totalStart);
        Var i = b.For("i", 0, x.Length, k => b.Assign(total, total + M.Sin(x[k]) * w[k]));
        b.Return(rest(b, (x, w, total, i)));
        return b.Build();
    }

    /// <summary>total = Σ sin(x[i])·w[i] and prior = Σ w[j]², each by a loop; then <paramref name="result"/>.</summary>
    private static IrFunction TotalAndPrior(Func<Var, Var, E> result, double totalStart = 0.0) =>
        WithTotal("TotalAndPrior", (b, v) =>
        {
            Var prior = b.Local("prior", 0.0);
            b.For("j", 0, v.W.Length, j => b.Assign(prior, prior + v.W[j] * v.W[j]));
            return result(v.Total, prior);
        }, totalStart);

    private static double Total(double start = 0) => start + X.Select((v, i) => Math.Sin(v) * W[i]).Sum();

    [Fact]
    public void Loop_followed_by_a_linear_use_and_a_later_loop_is_fused_and_so_is_the_later_loop()
    {
        // return total - 0.5 * prior: _d_total = seed and _d_prior = −seed / 2 are known before either loop runs (the
        // GMM shape: the sample loop, then the prior's loop over parameters, then a sum).
        IrFunction f = TotalAndPrior((total, prior) => total - 0.5 * prior);
        ReverseProgram program = IrRunner.Differentiate(f);
        AssertFused(program, true, true);
        Assert.Equal(2, program.FusedLoops);
        Assert.True(!IrQuery.All(program.Reverse).Any(s => s is IrRepeat) && IrQuery.Pushes(program.Forward).Count == 0, IrPrinter.Print(program));
        AssertGradients(f, program, i => Math.Cos(X[i]) * W[i], i => Math.Sin(X[i]) - W[i]);
    }

    [Fact]
    public void Loop_whose_accumulator_is_squared_after_it_is_not_fused()
    {
        // total * total: the seed of total needs total, known only after the loop. The later loop still fuses.
        IrFunction f = TotalAndPrior((total, prior) => total * total + prior);
        ReverseProgram program = IrRunner.Differentiate(f);
        AssertFused(program, false, true);
        double t = Total();
        AssertGradients(f, program, i => 2 * t * Math.Cos(X[i]) * W[i], i => 2 * t * Math.Sin(X[i]) + 2 * W[i]);
    }

    [Fact]
    public void Loop_whose_accumulator_goes_through_a_logarithm_after_it_is_not_fused()
    {
        IrFunction f = TotalAndPrior((total, prior) => M.Log(total) + prior, totalStart: 5.0);
        ReverseProgram program = IrRunner.Differentiate(f);
        AssertFused(program, false, true);
        double t = Total(5.0);
        AssertGradients(f, program, i => Math.Cos(X[i]) * W[i] / t, i => Math.Sin(X[i]) / t + 2 * W[i]);
    }

    [Fact]
    public void Loop_is_not_fused_when_the_seed_of_its_accumulator_reads_a_value_the_loop_overwrote()
    {
        // c = 1; for i: { total += sin(x[i])·w[i]; c = d[i]; } return total * c + prior — linear in total, but the
        // coefficient is c's value after the loop (d[3]); before the loop c is 1. Hoisting the seed would read 1.
        var b = new IrBuilder("Overwritten");
        Var x = b.Param("x", Vector);
        Var w = b.Param("w", Vector);
        Var d = b.Param("d", Vector, differentiable: false);
        Var total = b.Local("total", 0.0);
        Var c = b.Local("c", 1.0);
        b.For("i", 0, x.Length, i =>
        {
            b.Assign(total, total + M.Sin(x[i]) * w[i]);
            b.Assign(c, d[i]);
        });
        Var prior = b.Local("prior", 0.0);
        b.For("j", 0, w.Length, j => b.Assign(prior, prior + w[j] * w[j]));
        b.Return(total * c + prior);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        AssertFused(program, false, true);
        double[] data = { 0.5, 2.5, -1.0, 3.0 };
        object?[] args = { X.ToArray(), W.ToArray(), data };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args, program: program);
        GradientCheck.AssertArrayGradient(f, args, 0, (Array)run.Gradients[0]!);
        GradientCheck.AssertArrayGradient(f, args, 1, (Array)run.Gradients[1]!);
        for (int i = 0; i < X.Length; i++)
        {
            GradientCheck.AssertClose(3.0 * Math.Cos(X[i]) * W[i], ((double[])run.Gradients[0]!)[i], 1e-12, 1e-12, "∂f/∂x" + i);
        }
    }

    [Fact]
    public void Loop_is_not_fused_when_a_later_statement_reassigns_a_variable_whose_adjoint_the_loop_accumulates()
    {
        // a = y; for i: total += x[i] * a; a = y * y; return total + a — the reverse of `a = y * y` reads and then resets
        // _d_a, which the loop's reverse adds to: it must run before the loop's reverse, so the loop cannot run its
        // reverse in the forward sweep.
        var b = new IrBuilder("Reassigned");
        Var x = b.Param("x", Vector);
        Var y = b.Param("y");
        Var a = b.Local("a", y);
        Var total = b.Local("total", 0.0);
        b.For("i", 0, x.Length, i => b.Assign(total, total + x[i] * a));
        b.Assign(a, y * y);
        b.Return(total + a);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        AssertFused(program, false);
        object?[] args = { X.ToArray(), 0.8 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args, program: program);
        GradientCheck.AssertClose(X.Sum() + 2 * 0.8, run.Gradient(1), 1e-12, 1e-12, "∂f/∂y");
        GradientCheck.AssertArrayGradient(f, args, 0, (Array)run.Gradients[0]!);
    }

    [Fact]
    public void Three_accumulating_loops_are_all_fused_and_nothing_is_left_to_reverse()
    {
        // a = Σ x², b = Σ sin(x)·w, c = Σ w; return a + 2b − c.
        var builder = new IrBuilder("Three");
        Var x = builder.Param("x", Vector);
        Var w = builder.Param("w", Vector);
        Var a = builder.Local("a", 0.0);
        builder.For("i", 0, x.Length, i => builder.Assign(a, a + x[i] * x[i]));
        Var s = builder.Local("s", 0.0);
        builder.For("j", 0, x.Length, j => builder.Assign(s, s + M.Sin(x[j]) * w[j]));
        Var c = builder.Local("c", 0.0);
        builder.For("k", 0, w.Length, k => builder.Assign(c, c + w[k]));
        builder.Return(a + 2.0 * s - c);
        IrFunction f = builder.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        AssertFused(program, true, true, true);
        Assert.True(program.SeedBeforeForward && !IrQuery.All(program.Reverse).Any(st => st is IrRepeat), IrPrinter.Print(program));
        AssertGradients(f, program, i => 2 * X[i] + 2 * Math.Cos(X[i]) * W[i], i => 2 * Math.Sin(X[i]) - 1);
    }

    [Fact]
    public void Loop_before_a_loop_carried_product_is_fused_and_the_product_keeps_its_reverse_loop()
    {
        // total = Σ sin(x)·w (fused); p = Π (1 + 0.2·w[j]) (loop-carried: reversed in the reverse sweep); return total + p.
        IrFunction f = WithTotal("ThenProduct", (b, v) =>
        {
            Var p = b.Local("p", 1.0);
            b.For("j", 0, v.W.Length, j => b.Assign(p, p * (1.0 + 0.2 * v.W[j])));
            return v.Total + p;
        });
        ReverseProgram program = IrRunner.Differentiate(f);
        AssertFused(program, true, false);
        Assert.True(IrQuery.All(program.Reverse).Any(s => s is IrRepeat), IrPrinter.Print(program));
        double product = W.Aggregate(1.0, (acc, v) => acc * (1 + 0.2 * v));
        AssertGradients(f, program, i => Math.Cos(X[i]) * W[i], i => Math.Sin(X[i]) + product * 0.2 / (1 + 0.2 * W[i]));
    }

    [Fact]
    public void Statement_after_the_loop_that_reads_the_final_counter_stays_in_the_reverse_sweep()
    {
        // i = 0; for (; i < n; i++) total += sin(x[i])·w[i]; return total + x[i − 1]·x[i − 1] — the last term reads the
        // counter the loop leaves; its reverse gives no adjoint the loop reads, so it keeps its place, reading the
        // counter's final value, and the loop still fuses.
        IrFunction f = WithTotal("FinalCounter", (b, v) =>
        {
            Var last = b.Local("last", v.X[v.Counter - 1]);
            return v.Total + last * last;
        });
        ReverseProgram program = IrRunner.Differentiate(f);
        AssertFused(program, true);
        int n = X.Length;
        AssertGradients(f, program, k => Math.Cos(X[k]) * W[k] + (k == n - 1 ? 2 * X[k] : 0), k => Math.Sin(X[k]));
    }
}
