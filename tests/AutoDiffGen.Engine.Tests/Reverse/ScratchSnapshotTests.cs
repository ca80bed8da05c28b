using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Store or recompute, per scratch array (ReverseModeTransform.Snapshots.cs): a taped loop whose every iteration fills a
/// local array before reading it records the array once at the end of each iteration (a whole-array push, popped first
/// in the reversed iteration) instead of the old value of every element each write overwrites. Each case pins what is
/// recorded and checks the gradient exactly and against finite differences.
/// </summary>
public class ScratchSnapshotTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    /// <summary>Whole-array records of <paramref name="array"/> in the block.</summary>
    private static int Snapshots(IrBlock block, IrVariable array) =>
        IrQuery.All(block).OfType<IrTapePushSpan>().Count(p => p.Source is { Start: null, Length: null } && p.Source.Variable == array);

    /// <summary>Pushes of one element of <paramref name="array"/> (the old value of an element about to be overwritten).</summary>
    private static int ElementPushes(IrBlock block, IrVariable array) =>
        IrQuery.Pushes(block).Count(p => p.Value is IrElementRead { Array: IrVariableReference { Variable: var read } } && read == array);

    /// <summary>
    /// The GMM's shape, small: per sample s and component c, q is filled (q[j] = exp(l[3c + j]) x[3s + j]), updated by a
    /// triangular loop (q[m] += l[6 + c] x[3s + j] for m &gt; j) and reduced to sq_c = ‖q‖²; the sample adds
    /// log Σ_c exp(−sq_c), which needs every component first. A value carried from one component to the next (prev, added
    /// times 0: nothing changes in the result) keeps the component loop taped: without it the loop's iterations would be
    /// recomputed instead (ReverseModeTransform.IterationOutputs.cs, IterationOutputTests).
    /// </summary>
    private static (IrFunction Function, Var Q) Mixture(bool updateReadsScratch)
    {
        var b = new IrBuilder("Mixture");
        Var l = b.Param("l", Vector);
        Var x = b.Param("x", Vector, differentiable: false);
        Var q = b.Local("q", IrBuilder.NewArray(Vector, 3), Vector);
        Var main = b.Local("main", IrBuilder.NewArray(Vector, 2), Vector);
        Var total = b.Local("total", 0.0);
        b.For("s", 0, 2, s =>
        {
            Var prev = b.Local("prev", 0.0);
            b.For("c", 0, 2, c =>
            {
                b.For("j", 0, 3, j => b.SetElement(q, new E[] { j }, M.Exp(l[c * 3 + j]) * x[s * 3 + j]));
                // Reading q[j] there makes the reverse read q between writes: those restores stay.
                b.For("j", 0, 3, j => b.For("m", j + 1, 3, m =>
                    b.SetElement(q, new E[] { m }, q[m] + l[6 + c] * (updateReadsScratch ? q[j] : x[s * 3 + j]))));
                Var sq = b.Local("sq", 0.0);
                b.For("j", 0, 3, j => b.Assign(sq, sq + q[j] * q[j]));
                b.SetElement(main, new E[] { c }, -sq + 0.0 * prev);
                b.Assign(prev, sq);
            });
            b.Assign(total, total + M.Log(M.Exp(main[0]) + M.Exp(main[1])));
        });
        b.Return(total);
        return (b.Build(), q);
    }

    private static readonly double[] L = { 0.1, -0.2, 0.3, -0.15, 0.25, 0.05, 0.4, -0.3 };
    private static readonly double[] X = { 1.0, 0.5, -0.3, 0.7, -0.8, 0.6 };

    [Fact]
    public void Scratch_array_of_a_taped_loop_is_recorded_once_per_iteration_not_per_write()
    {
        var (f, q) = Mixture(updateReadsScratch: false);
        ReverseProgram program = IrRunner.Differentiate(f);
        // Before: per (sample, component) 3 fill restores and 3 triangular restores of q went on the tape, one value each.
        Assert.True(Snapshots(program.Forward, q) == 1, "q recorded whole, once per component:\n" + IrPrinter.Print(program));
        Assert.True(ElementPushes(program.Forward, q) == 0, "no element of q recorded:\n" + IrPrinter.Print(program));
        Assert.True(IrQuery.All(program.Reverse).Concat(IrQuery.All(program.Forward)).OfType<IrTapePopSpan>().Count(p => p.Target.Variable == q.Variable) == 1,
            IrPrinter.Print(program));

        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { L.ToArray(), X.ToArray() });
        double[] expected = ExactMixtureGradient(updateReadsScratch: false);
        double[] gradient = (double[])run.Gradients[0]!;
        for (int k = 0; k < L.Length; k++) GradientCheck.AssertClose(expected[k], gradient[k], 1e-12, 1e-12, "∂f/∂l" + k);
    }

    [Fact]
    public void Restores_the_iteration_reverse_still_reads_stay_beside_the_snapshot()
    {
        // q[m] += l[6 + c] · q[j]: the reverse reads q between the triangular writes, so their restores stay (the analysis
        // does not tell elements apart); only the fill's, which nothing reads before the next iteration's snapshot, go.
        var (f, q) = Mixture(updateReadsScratch: true);
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(Snapshots(program.Forward, q) == 1, IrPrinter.Print(program));
        Assert.True(ElementPushes(program.Forward, q) == 1, "the triangular write's restore only, not the fill's:\n" + IrPrinter.Print(program));

        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { L.ToArray(), X.ToArray() });
        double[] expected = ExactMixtureGradient(updateReadsScratch: true);
        double[] gradient = (double[])run.Gradients[0]!;
        for (int k = 0; k < L.Length; k++) GradientCheck.AssertClose(expected[k], gradient[k], 1e-12, 1e-12, "∂f/∂l" + k);
    }

    [Fact]
    public void Loop_with_carried_state_and_no_trip_count_records_its_scratch_once_per_iteration()
    {
        // p = 1; i = 0; while (i < 3 & p < 1e6) { for k < 2: buf[k] = tanh(w[k] x[2i + k]); buf[1] = buf[1] + w[0] buf[0];
        //   p = p · (buf[0] + buf[1]); i++ }  return p. Not counted (the test reads p), not fused, not recomputed: taped.
        var b = new IrBuilder("Product");
        Var w = b.Param("w", Vector);
        Var x = b.Param("x", Vector, differentiable: false);
        Var buf = b.Local("buf", IrBuilder.NewArray(Vector, 2), Vector);
        Var p = b.Local("p", 1.0);
        Var i = b.Local("i", 0, IrType.Int);
        b.While(() => (i < 3) & (p < 1e6), () =>
        {
            b.For("k", 0, 2, k => b.SetElement(buf, new E[] { k }, M.Tanh(w[k] * x[i * 2 + k])));
            b.SetElement(buf, new E[] { 1 }, buf[1] + w[0] * buf[0]);
            b.Assign(p, p * (buf[0] + buf[1]));
            b.Assign(i, i + 1);
        });
        b.Return(p);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.False(program.SeedBeforeForward, IrPrinter.Print(program));
        Assert.True(Snapshots(program.Forward, buf) == 1, IrPrinter.Print(program));
        // The update's restore only: the reverse of p's update reads buf[0] + buf[1] after it.
        Assert.True(ElementPushes(program.Forward, buf) <= 1, IrPrinter.Print(program));

        double[] wv = { 0.7, -0.4 };
        double[] xv = { 1.0, 0.5, -0.3, 2.0, 0.8, -1.2 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { wv, xv });
        // p = Π_i f_i, f_i = a_i (1 + w0) + c_i, a_i = tanh(w0 x_2i), c_i = tanh(w1 x_2i+1).
        double prod = 1, d0 = 0, d1 = 0;
        for (int s = 0; s < 3; s++)
        {
            double a = Math.Tanh(wv[0] * xv[2 * s]), c = Math.Tanh(wv[1] * xv[2 * s + 1]);
            double fi = a * (1 + wv[0]) + c;
            prod *= fi;
            d0 += ((1 - a * a) * xv[2 * s] * (1 + wv[0]) + a) / fi;
            d1 += (1 - c * c) * xv[2 * s + 1] / fi;
        }
        double[] gradient = (double[])run.Gradients[0]!;
        GradientCheck.AssertClose(prod * d0, gradient[0], 1e-12, 1e-12, "∂p/∂w0");
        GradientCheck.AssertClose(prod * d1, gradient[1], 1e-12, 1e-12, "∂p/∂w1");
    }

    /// <summary>The mixture's gradient by hand: forward per component, then dq = −2 w_c q back through the triangle.</summary>
    private static double[] ExactMixtureGradient(bool updateReadsScratch)
    {
        var gradient = new double[L.Length];
        for (int s = 0; s < 2; s++)
        {
            var qs = new double[2][];
            var main = new double[2];
            for (int c = 0; c < 2; c++)
            {
                var q = new double[3];
                for (int j = 0; j < 3; j++) q[j] = Math.Exp(L[c * 3 + j]) * X[s * 3 + j];
                for (int j = 0; j < 3; j++)
                {
                    for (int m = j + 1; m < 3; m++) q[m] += L[6 + c] * (updateReadsScratch ? q[j] : X[s * 3 + j]);
                }
                qs[c] = q;
                main[c] = -(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
            }
            double lse = Math.Log(Math.Exp(main[0]) + Math.Exp(main[1]));
            for (int c = 0; c < 2; c++)
            {
                double weight = Math.Exp(main[c] - lse);
                double[] dq = qs[c].Select(v => -2 * weight * v).ToArray();
                // Back through the triangle, last write first. With q[j] read, q[j] there is its final value (only m > j is written after).
                for (int j = 2; j >= 0; j--)
                {
                    for (int m = 2; m > j; m--)
                    {
                        double factor = updateReadsScratch ? qs[c][j] : X[s * 3 + j];
                        gradient[6 + c] += dq[m] * factor;
                        if (updateReadsScratch) dq[j] += dq[m] * L[6 + c];
                    }
                }
                for (int j = 0; j < 3; j++) gradient[c * 3 + j] += dq[j] * Math.Exp(L[c * 3 + j]) * X[s * 3 + j];
            }
        }
        return gradient;
    }
}
