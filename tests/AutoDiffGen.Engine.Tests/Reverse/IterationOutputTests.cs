using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// A loop that leaves one value per iteration in a local array (<c>main[c] = e</c>) is recomputed like any other
/// (ReverseModeTransform.IterationOutputs.cs) when nothing before it reads the array and, nested, the loop around it is
/// fused; and the restores a re-run's fill loops make dead (ReverseModeTransform.WholeArrayFills.cs) go with their
/// pushes. Each case pins the decision both ways and checks the gradient exactly and against finite differences.
/// </summary>
public class IterationOutputTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    private static int AllPushes(ReverseProgram program) =>
        IrQuery.All(program.Forward).Concat(IrQuery.All(program.Reverse)).Count(s => s is IrTapePush or IrTapePushSpan);

    private static int ForwardPushes(ReverseProgram program) => IrQuery.All(program.Forward).Count(s => s is IrTapePush or IrTapePushSpan);

    /// <summary>Forward loops inside the reverse sweep or inside a fused loop's reverse: the re-run iterations.</summary>
    private static bool Recomputes(ReverseProgram program) =>
        IrQuery.All(program.Forward).Concat(IrQuery.All(program.Reverse)).OfType<IrComment>().Any(c => c.Text.Contains("recomputed rather than stored"));

    /// <summary>
    /// The GMM's shape, small: per sample s and component c, q is filled (q[j] = exp(l[3c + j]) x[3s + j]), updated by a
    /// triangular loop with an index advanced in its body (li = 6 + 3c; q[m] += l[li] · (x[3s + j] or q[j]); li++), and
    /// main[c] = −‖q‖². The sample adds w · log Σ_c exp(main[c]); with <paramref name="carried"/> the total is
    /// halved first (total = total / 2 + lse: state carried from sample to sample, so the sample loop is not fused).
    /// </summary>
    private static (IrFunction Function, Var Q) Mixture(bool updateReadsScratch, bool carried)
    {
        var b = new IrBuilder("Mixture");
        Var l = b.Param("l", Vector);
        Var x = b.Param("x", Vector, differentiable: false);
        Var q = b.Local("q", IrBuilder.NewArray(Vector, 3), Vector);
        Var main = b.Local("main", IrBuilder.NewArray(Vector, 2), Vector);
        Var total = b.Local("total", 0.0);
        b.For("s", 0, 2, s =>
        {
            b.For("c", 0, 2, c =>
            {
                b.For("j", 0, 3, j => b.SetElement(q, new E[] { j }, M.Exp(l[c * 3 + j]) * x[s * 3 + j]));
                Var li = b.Local("li", 6 + c * 3, IrType.Int);
                b.For("j", 0, 3, j => b.For("m", j + 1, 3, m =>
                {
                    b.SetElement(q, new E[] { m }, q[m] + l[li] * (updateReadsScratch ? q[j] : x[s * 3 + j]));
                    b.Assign(li, li + 1);
                }));
                Var sq = b.Local("sq", 0.0);
                b.For("j", 0, 3, j => b.Assign(sq, sq + q[j] * q[j]));
                b.SetElement(main, new E[] { c }, -sq);
            });
            E lse = M.Log(M.Exp(main[0]) + M.Exp(main[1]));
            b.Assign(total, carried ? total * 0.5 + lse : total + lse);
        });
        b.Return(total);
        return (b.Build(), q);
    }

    private static readonly double[] L = { 0.1, -0.2, 0.3, -0.15, 0.25, 0.05, 0.4, -0.3, 0.2, -0.1, 0.35, 0.15 };
    private static readonly double[] X = { 1.0, 0.5, -0.3, 0.7, -0.8, 0.6 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Component_loop_of_a_fused_sample_loop_stays_taped_its_records_are_one_sample(bool updateReadsScratch)
    {
        // Inside a fused sample loop the tape holds one sample at a time: re-running the component loop would buy back
        // memory that does not grow with the data, for a second forward of its body (IterationOutputs.cs, measured on the
        // GMM). It stays taped: q recorded whole per component, inside the fused sample loop.
        var (f, q) = Mixture(updateReadsScratch, carried: false);
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(program.FusedLoops > 0, IrPrinter.Print(program));
        Assert.True(!Recomputes(program), "the component loop is not run again:\n" + IrPrinter.Print(program));
        Assert.True(IrQuery.All(program.Forward).OfType<IrTapePushSpan>().Any(p => p.Source.Variable == q.Variable),
            "q recorded whole:\n" + IrPrinter.Print(program));
        CheckGradient(f, updateReadsScratch, carried: false);
    }

    [Fact]
    public void Exponential_of_a_recomputed_iteration_is_recorded_by_its_rerun_not_called_a_third_time()
    {
        // The top-level component loop is recomputed: forward, then the re-run, two calls of exp per (component, j).
        // Recomputing it once more in the reverse (RecomputeCalls.cs) buys back no memory there (one iteration is held at a
        // time) and costs more time than a push.
        IrFunction f = TopLevel(readBefore: false);
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(Recomputes(program), IrPrinter.Print(program));
        // Four calls in the program: exp(l[3c + j]) forward and in the re-run, and the result's exp(main[0]) and exp(main[1]).
        int exps = IrQuery.Expressions(program.Forward).Concat(IrQuery.Expressions(program.Reverse)).Count(e => e is IrMathCall { Function: MathFunction.Exp });
        Assert.True(exps == 4, $"{exps} calls of exp:\n" + IrPrinter.Print(program));
    }

    [Fact]
    public void Component_loop_stays_taped_when_the_sample_loop_around_it_is_not_fused()
    {
        // total = total / 2 + lse: the sample loop is taped, so the reverse of sample s's lse would run after sample s + 1
        // wrote main again; the component loop keeps its records (q whole, once per component).
        var (f, q) = Mixture(updateReadsScratch: false, carried: true);
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(program.FusedLoops == 0, IrPrinter.Print(program));
        // The component loops (one per forward path: checkpointed, taped) are the loops that write main[c]; a checkpoint's
        // save of the sample loop's state (pushRange(q) every stride) is outside them.
        var componentLoops = IrQuery.All(program.Forward).OfType<IrLoop>()
            .Where(l => l.Body.Statements.Any(s => s is IrElementWrite { Array.PreferredName: "main" })).ToList();
        int recorded = componentLoops.Sum(l => IrQuery.All(l.Body).OfType<IrTapePushSpan>().Count(p => p.Source.Variable == q.Variable));
        Assert.True(componentLoops.Count > 0 && recorded == 1, "q recorded whole, once per component:\n" + IrPrinter.Print(program));
        CheckGradient(f, updateReadsScratch: false, carried: true);
    }

    /// <summary>
    /// for c &lt; 2: { for j &lt; 3: q[j] = exp(l[3c + j]) x[j]; main[c] = −Σ q[j]² }  return log(e^main[0] + e^main[1]) + y,
    /// where, with <paramref name="readBefore"/>, y = main[1] / 2 is read before the loop (0: the array is new). Without
    /// <paramref name="scratch"/> the sum reads exp(l[3c + j]) x[j] directly (no q).
    /// </summary>
    private static IrFunction TopLevel(bool readBefore, bool scratch = true)
    {
        var b = new IrBuilder("TopLevel");
        Var l = b.Param("l", Vector);
        Var x = b.Param("x", Vector, differentiable: false);
        Var q = b.Local("q", IrBuilder.NewArray(Vector, 3), Vector);
        Var main = b.Local("main", IrBuilder.NewArray(Vector, 2), Vector);
        Var y = b.Local("y", readBefore ? main[1] * 0.5 : (E)0.0);
        b.For("c", 0, 2, c =>
        {
            if (scratch) b.For("j", 0, 3, j => b.SetElement(q, new E[] { j }, M.Exp(l[c * 3 + j]) * x[j]));
            Var sq = b.Local("sq", 0.0);
            b.For("j", 0, 3, j => b.Assign(sq, sq + (scratch ? q[j] * q[j] : M.Exp(l[c * 3 + j]) * x[j] * (M.Exp(l[c * 3 + j]) * x[j]))));
            b.SetElement(main, new E[] { c }, -sq);
        });
        b.Return(M.Log(M.Exp(main[0]) + M.Exp(main[1])) + y);
        return b.Build();
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Top_level_loop_is_recomputed_unless_its_output_array_is_read_before_it_or_it_rewrites_no_scratch(bool readBefore, bool scratch)
    {
        // Without scratch, the loop records a few values per component (the sum's terms' exp, or sq) where a re-run would
        // cost the whole sum: it stays taped.
        IrFunction f = TopLevel(readBefore, scratch);
        ReverseProgram program = IrRunner.Differentiate(f);
        bool recomputed = !readBefore && scratch;
        Assert.True(Recomputes(program) == recomputed, IrPrinter.Print(program));
        Assert.True((ForwardPushes(program) == 0) == recomputed, IrPrinter.Print(program));

        double[] l = L.Take(6).ToArray();
        double[] x = { 1.0, 0.5, -0.3 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { l, x });
        // f = log Σ_c exp(−sq_c), sq_c = Σ_j (e^{l[3c+j]} x_j)²: ∂f/∂l[3c + j] = −2 w_c q_cj², w = softmax(−sq).
        var sq = new double[2];
        for (int c = 0; c < 2; c++)
        {
            for (int j = 0; j < 3; j++) sq[c] += Math.Pow(Math.Exp(l[c * 3 + j]) * x[j], 2);
        }
        double lse = Math.Log(Math.Exp(-sq[0]) + Math.Exp(-sq[1]));
        double[] gradient = (double[])run.Gradients[0]!;
        for (int c = 0; c < 2; c++)
        {
            double w = Math.Exp(-sq[c] - lse);
            for (int j = 0; j < 3; j++)
            {
                GradientCheck.AssertClose(-2 * w * Math.Pow(Math.Exp(l[c * 3 + j]) * x[j], 2), gradient[c * 3 + j], 1e-12, 1e-12, "∂f/∂l" + (c * 3 + j));
            }
        }
    }

    private static void CheckGradient(IrFunction f, bool updateReadsScratch, bool carried)
    {
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { L.ToArray(), X.ToArray() });
        double[] expected = ExactMixtureGradient(updateReadsScratch, carried);
        double[] gradient = (double[])run.Gradients[0]!;
        for (int k = 0; k < L.Length; k++) GradientCheck.AssertClose(expected[k], gradient[k], 1e-12, 1e-12, "∂f/∂l" + k);
    }

    /// <summary>
    /// The mixture's gradient by hand: forward per component, then dq = −2 w_c q back through the triangle; sample s
    /// weighs 1, or 2^−(1 − s) when the total is halved after each sample.
    /// </summary>
    private static double[] ExactMixtureGradient(bool updateReadsScratch, bool carried)
    {
        var gradient = new double[L.Length];
        for (int s = 0; s < 2; s++)
        {
            double weightOfSample = carried ? Math.Pow(0.5, 1 - s) : 1;
            var qs = new double[2][];
            var main = new double[2];
            for (int c = 0; c < 2; c++)
            {
                var q = new double[3];
                for (int j = 0; j < 3; j++) q[j] = Math.Exp(L[c * 3 + j]) * X[s * 3 + j];
                int li = 6 + c * 3;
                for (int j = 0; j < 3; j++)
                {
                    for (int m = j + 1; m < 3; m++) q[m] += L[li++] * (updateReadsScratch ? q[j] : X[s * 3 + j]);
                }
                qs[c] = q;
                main[c] = -(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
            }
            double lse = Math.Log(Math.Exp(main[0]) + Math.Exp(main[1]));
            for (int c = 0; c < 2; c++)
            {
                double weight = weightOfSample * Math.Exp(main[c] - lse);
                double[] dq = qs[c].Select(v => -2 * weight * v).ToArray();
                // Back through the triangle, last write first (li runs back from its end). With q[j] read, q[j] there is
                // its final value (only m > j is written after).
                int li = 6 + c * 3 + 3;
                for (int j = 2; j >= 0; j--)
                {
                    for (int m = 2; m > j; m--)
                    {
                        li--;
                        double factor = updateReadsScratch ? qs[c][j] : X[s * 3 + j];
                        gradient[li] += dq[m] * factor;
                        if (updateReadsScratch) dq[j] += dq[m] * L[li];
                    }
                }
                for (int j = 0; j < 3; j++) gradient[c * 3 + j] += dq[j] * Math.Exp(L[c * 3 + j]) * X[s * 3 + j];
            }
        }
        return gradient;
    }
}
