using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Store or recompute per loop iteration (ReverseModeTransform.Recompute.cs): a loop whose iterations read only
/// inputs, accumulators and scratch they rewrite first runs plainly forward — nothing recorded — and its reverse runs
/// each iteration again before reversing it. Each case pins the decision and checks the gradient exactly and against
/// finite differences.
/// </summary>
public class RecomputationTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    /// <summary>Forward loops inside the reverse sweep: the re-run iterations.</summary>
    private static int RerunLoops(ReverseProgram program) => IrQuery.All(program.Reverse).OfType<IrLoop>().Count();

    [Fact]
    public void Scratch_rewritten_every_iteration_is_recomputed_not_recorded()
    {
        // buf = new double[2]; for i < 3: { for k < 2: buf[k] = tanh(w[k] · x[2i + k]); loss += buf[0] · buf[1]; }
        // return log(loss + 10): the log reads the loop's result, so the loop is not fused; buf is rewritten before it is
        // read in every iteration, so the forward sweep records nothing and the reverse re-runs each iteration.
        var b = new IrBuilder("Scratch");
        Var w = b.Param("w", Vector);
        Var x = b.Param("x", Vector, differentiable: false);
        Var buf = b.Local("buf", IrBuilder.NewArray(Vector, 2), Vector);
        Var loss = b.Local("loss", 0.0);
        b.For("i", 0, 3, i =>
        {
            b.For("k", 0, 2, k => b.SetElement(buf, new E[] { k }, M.Tanh(w[k] * x[i * 2 + k])));
            b.Assign(loss, loss + buf[0] * buf[1]);
        });
        b.Return(M.Log(loss + 10.0));
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.False(program.SeedBeforeForward, IrPrinter.Print(program));
        Assert.True(IrQuery.Pushes(program.Forward).Count == 0, "nothing recorded forward:\n" + IrPrinter.Print(program));
        Assert.True(RerunLoops(program) == 1, "the fill loop runs again in reverse:\n" + IrPrinter.Print(program));

        double[] wv = { 0.7, -0.4 };
        double[] xv = { 1.0, 0.5, -0.3, 2.0, 0.8, -1.2 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { wv, xv });
        double sum = 0;
        var dsum = new double[2];
        for (int i = 0; i < 3; i++)
        {
            double a = Math.Tanh(wv[0] * xv[2 * i]), c = Math.Tanh(wv[1] * xv[2 * i + 1]);
            sum += a * c;
            dsum[0] += (1 - a * a) * xv[2 * i] * c;
            dsum[1] += a * (1 - c * c) * xv[2 * i + 1];
        }
        double[] gradient = (double[])run.Gradients[0]!;
        for (int k = 0; k < 2; k++) GradientCheck.AssertClose(dsum[k] / (sum + 10), gradient[k], 1e-12, 1e-12, "∂f/∂w" + k);
    }

    [Fact]
    public void Triangular_loop_with_an_index_advanced_in_its_body_records_nothing_per_outer_iteration()
    {
        // GMM's shape: for s < 2: { q = new values: for j < 3: q[j] = exp(l[j]) · x[3s + j];
        //   li = 3; for j < 3: for m = j + 1 .. 2: { q[m] += l[li] · x[3s + j]; li++; }  e += q·q }  return sqrt(e)
        var b = new IrBuilder("Triangular");
        Var l = b.Param("l", Vector);
        Var x = b.Param("x", Vector, differentiable: false);
        Var q = b.Local("q", IrBuilder.NewArray(Vector, 3), Vector);
        Var e = b.Local("e", 0.0);
        b.For("s", 0, 2, s =>
        {
            b.For("j", 0, 3, j => b.SetElement(q, new E[] { j }, M.Exp(l[j]) * x[s * 3 + j]));
            Var li = b.Local("li", 3, IrType.Int);
            b.For("j", 0, 3, j => b.For("m", j + 1, 3, m =>
            {
                b.SetElement(q, new E[] { m }, q[m] + l[li] * x[s * 3 + j]);
                b.Assign(li, li + 1);
            }));
            b.For("j", 0, 3, j => b.Assign(e, e + q[j] * q[j]));
        });
        b.Return(M.Sqrt(e));
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.False(program.SeedBeforeForward, IrPrinter.Print(program));
        // Before: per sample 3 + 3 element restores of q, li and the inner trip counts went on the tape.
        Assert.True(IrQuery.Pushes(program.Forward).Count == 0, "nothing recorded forward:\n" + IrPrinter.Print(program));
        Assert.True(RerunLoops(program) > 0, IrPrinter.Print(program));

        double[] lv = { 0.1, -0.2, 0.3, 0.5, -0.7, 0.9 };
        double[] xv = { 1.0, 0.5, -0.3, 2.0, 0.8, -1.2 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { lv, xv });
        // Exact: e = Σ_s ‖L x_s‖², L lower triangular with diagonal exp(l[0..2]) and (1,0) = l[3], (2,0) = l[4], (2,1) = l[5].
        double E = 0;
        var dE = new double[6];
        for (int s = 0; s < 2; s++)
        {
            double x0 = xv[3 * s], x1 = xv[3 * s + 1], x2 = xv[3 * s + 2];
            double q0 = Math.Exp(lv[0]) * x0, q1 = Math.Exp(lv[1]) * x1 + lv[3] * x0, q2 = Math.Exp(lv[2]) * x2 + lv[4] * x0 + lv[5] * x1;
            E += q0 * q0 + q1 * q1 + q2 * q2;
            dE[0] += 2 * q0 * Math.Exp(lv[0]) * x0;
            dE[1] += 2 * q1 * Math.Exp(lv[1]) * x1;
            dE[2] += 2 * q2 * Math.Exp(lv[2]) * x2;
            dE[3] += 2 * q1 * x0;
            dE[4] += 2 * q2 * x0;
            dE[5] += 2 * q2 * x1;
        }
        double[] gradient = (double[])run.Gradients[0]!;
        for (int k = 0; k < 6; k++) GradientCheck.AssertClose(dE[k] / (2 * Math.Sqrt(E)), gradient[k], 1e-12, 1e-12, "∂f/∂l" + k);
    }

    [Fact]
    public void Helper_call_whose_value_only_feeds_an_accumulator_is_not_called_again_in_reverse()
    {
        // for i < 3: t += Sq(w · x[i]); return log(t + 1): the re-run of an iteration leaves out the call (its value
        // only feeds t), so Sq runs once forward and its pullback once in reverse, per iteration.
        var calls = new CallRegistry();
        int forwardCalls = 0;
        calls.Register("Sq", a => { forwardCalls++; return (double)a[0]! * (double)a[0]!; }, (a, seed) => new object?[] { (double)seed! * 2 * (double)a[0]! });
        var sq = IrBuilder.Target("Sq", (IrType.Double, true));
        var b = new IrBuilder("Helper");
        Var w = b.Param("w");
        Var x = b.Param("x", Vector, differentiable: false);
        Var t = b.Local("t", 0.0);
        b.For("i", 0, 3, i => b.Assign(t, t + IrBuilder.Call(sq, IrType.Double, w * x[i])));
        b.Return(M.Log(t + 1.0));
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(IrQuery.Expressions(program.Reverse).OfType<IrDifferentiableCall>().Count() == IrQuery.All(program.Reverse).OfType<IrBackwardCall>().Count(),
            "the reverse calls only the pullback:\n" + IrPrinter.Print(program));
        double[] xv = { 0.5, -1.5, 2.0 };
        forwardCalls = 0;
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.8, xv }, calls, program: program);
        double sum = xv.Sum(v => 0.64 * v * v);
        GradientCheck.AssertClose(xv.Sum(v => 2 * 0.8 * v * v) / (sum + 1), run.Gradient(0), 1e-12, 1e-12, "∂f/∂w");
        Assert.Equal(3, calls.BackwardCounts["Sq"]);
    }

    [Fact]
    public void Accumulator_started_from_a_value_whose_reverse_reads_it_is_not_recomputed()
    {
        // s = exp(a); for i < 3: for j < 2: s += u[i] · v[j]; return s — the reverse of s = exp(a) reads s (the partial of
        // exp is its value) after the loop's reverse: a re-run would leave s at its final value (the integration test
        // Arrays.Bilinear found this).
        var b = new IrBuilder("ExpStart");
        Var a = b.Param("a");
        Var u = b.Param("u", Vector);
        Var v = b.Param("v", Vector);
        Var s = b.Local("s", M.Exp(a));
        b.For("i", 0, 3, i => b.For("j", 0, 2, j => b.Assign(s, s + u[i] * v[j])));
        b.Return(s);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(RerunLoops(program) == 0, IrPrinter.Print(program));
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.4, new[] { 1.0, -2.0, 0.5 }, new[] { 0.3, 0.7 } });
        GradientCheck.AssertClose(Math.Exp(0.4), run.Gradient(0), 1e-12, 1e-12, "∂f/∂a");
    }

    [Fact]
    public void Loop_carried_state_is_recorded_not_recomputed()
    {
        // for i < 4: v = v + tanh(v · w): v is read before it is written in each iteration, so the iterations cannot be
        // re-run from what is live; v's old values go on the tape as before.
        var b = new IrBuilder("Carried");
        Var w = b.Param("w");
        Var v = b.Local("v", 0.5);
        b.For("i", 0, 4, i => b.Assign(v, v + M.Tanh(v * w)));
        b.Return(v * v);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(RerunLoops(program) == 0, IrPrinter.Print(program));
        Assert.True(IrQuery.Pushes(program.Forward).Count > 0, IrPrinter.Print(program));
        GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.9 });
    }
}
