using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// An index set in a loop body and advanced by the counted loops after it (ReverseModeTransform.SteppedIndices.cs): the
/// packed index of a triangular matrix, <c>li = d; for (j …) for (l = j + 1 …) { … w[li] …; li++; }</c>, as in the
/// mixture model's Q. Its value after the loops is recounted in reverse (start plus the trip counts), not taped once
/// per iteration of the loop around it. Each case pins whether the index is taped, and checks the gradient exactly and
/// against central finite differences.
/// </summary>
public class SteppedIndexTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    /// <summary>How the test function steps its index.</summary>
    public enum Stepping
    {
        /// <summary><c>li = d</c>, then <c>li++</c> in the triangular nest: recounted.</summary>
        Triangular,

        /// <summary><c>li = 2c</c> (the outer counter), <c>li += 2</c> in the nest: recounted (step and start read).</summary>
        FromCounter,

        /// <summary>
        /// <c>li = 6 + 3c</c>, which lowering splits through a temporary (<c>_t = 3c; li = 6 + _t</c>): recounted from the
        /// counter, and neither li nor the temporary taped.
        /// </summary>
        FromCounterThroughTemporary,

        /// <summary>Also read after the nest (<c>u = w[li − 1]</c>): the reverse needs the end value before the recount; taped.</summary>
        ReadAfter,

        /// <summary><c>li++</c> only when the product is positive (inside a branch): not countable; taped.</summary>
        Conditional,
    }

    /// <summary>
    /// For each row c of x (m rows of d): s_c = Σ_{j&lt;l} w[li] x[c,j] x[c,l] with li walking w as <paramref name="stepping"/>
    /// says, main[c] = s_c (+ w[li − 1] when <see cref="Stepping.ReadAfter"/>); then total = Σ_c main[c]². The squares come
    /// after the row loop, so it is reversed whole (not fused): each row's reverse needs the index the row left.
    /// </summary>
    private static IrFunction Packed(Stepping stepping)
    {
        var b = new IrBuilder("Packed" + stepping);
        Var w = b.Param("w", Vector);
        Var x = b.Param("x", Vector, differentiable: false);
        Var m = b.Param("m", IrType.Int, differentiable: false);
        Var d = b.Param("d", IrType.Int, differentiable: false);
        Var main = b.Local("main", IrBuilder.NewArray(Vector, m));
        b.For("c", 0, m, c =>
        {
            Var li = b.Local("li", stepping switch { Stepping.FromCounter => c * 2, Stepping.FromCounterThroughTemporary => 6 + c * 3, _ => (E)d }, IrType.Int);
            Var s = b.Local("s", 0.0);
            b.For("j", 0, d, j =>
            {
                b.For("l", j + 1, d, l =>
                {
                    Var product = b.Temp(w[li] * x[c * d + j] * x[c * d + l]);
                    b.Assign(s, s + product);
                    if (stepping == Stepping.Conditional) b.If(product > 0.0, () => b.Assign(li, li + 1));
                    else b.Assign(li, li + (stepping == Stepping.FromCounter ? 2 : 1));
                });
            });
            if (stepping == Stepping.ReadAfter) b.Assign(s, s + w[li - 1]);
            b.SetElement(main, new E[] { c }, s);
        });
        Var total = b.Local("total", 0.0);
        b.For("c", 0, m, c => b.Assign(total, total + main[c] * main[c]));
        b.Return(total);
        return b.Build();
    }

    /// <summary>The exact ∂total/∂w of <see cref="Packed"/>: 2 main[c] times ∂main[c]/∂w[p], summed over rows.</summary>
    private static double[] ExactGradient(Stepping stepping, double[] w, double[] x, int m, int d)
    {
        var gradient = new double[w.Length];
        for (int c = 0; c < m; c++)
        {
            var partial = new double[w.Length];
            double s = 0;
            int li = stepping switch { Stepping.FromCounter => 2 * c, Stepping.FromCounterThroughTemporary => 6 + 3 * c, _ => d };
            for (int j = 0; j < d; j++)
            {
                for (int l = j + 1; l < d; l++)
                {
                    double product = w[li] * x[c * d + j] * x[c * d + l];
                    s += product;
                    partial[li] += x[c * d + j] * x[c * d + l];
                    if (stepping != Stepping.Conditional || product > 0) li += stepping == Stepping.FromCounter ? 2 : 1;
                }
            }
            if (stepping == Stepping.ReadAfter)
            {
                s += w[li - 1];
                partial[li - 1] += 1;
            }
            for (int p = 0; p < w.Length; p++) gradient[p] += 2 * s * partial[p];
        }
        return gradient;
    }

    private static (double[] W, double[] X) Point(int m, int d, int weights)
    {
        var random = new Random(17);
        double[] w = Enumerable.Range(0, weights).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] x = Enumerable.Range(0, m * d).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        return (w, x);
    }

    [Theory]
    [InlineData(Stepping.Triangular, false)]
    [InlineData(Stepping.FromCounter, false)]
    [InlineData(Stepping.FromCounterThroughTemporary, false)]
    [InlineData(Stepping.ReadAfter, true)]
    [InlineData(Stepping.Conditional, true)]
    public void An_index_stepped_by_counted_loops_is_recounted_not_taped(Stepping stepping, bool taped)
    {
        IrFunction f = Packed(stepping);
        ReverseProgram program = IrRunner.Differentiate(f);
        IrVariable li = f.Variables.Single(v => v.PreferredName == "li");
        Assert.False(IrQuery.FusedLoops(program.Forward)[0], "the row loop is reversed whole:\n" + IrPrinter.Print(program));
        Assert.True(IrQuery.PushesOf(program.Forward, li).Count == (taped ? 1 : 0),
            (taped ? "li is taped" : "li is recounted, not taped") + ":\n" + IrPrinter.Print(program));

        const int m = 4, d = 5;
        // Room for every index the rows reach (2c + 2·d(d−1)/2 when stepping from the counter).
        var (w, x) = Point(m, d, 2 * m + d * d + d);
        object?[] args = { w, x, m, d };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args, program: program);
        GradientCheck.AssertArrayGradient(f, args, 0, (Array)run.Gradients[0]!);
        double[] exact = ExactGradient(stepping, w, x, m, d);
        var gradient = (double[])run.Gradients[0]!;
        for (int p = 0; p < w.Length; p++) GradientCheck.AssertClose(exact[p], gradient[p], 1e-12, 1e-12, "∂total/∂w[" + p + "]");
        // Each row's integers on the tape: none of li's when it is recounted (the row loop's own count is computed).
        int integers = run.Interpreter.Pushes.TryGetValue("int", out int n) ? n : 0;
        Assert.Equal(taped ? m : 0, integers);
    }

    [Fact]
    public void A_nest_whose_inner_count_does_not_depend_on_the_outer_counter_is_counted_at_once()
    {
        // li = d; for (j < d) for (l < 3) li++: the recount adds d·3 with no loop of its own.
        var b = new IrBuilder("Rectangular");
        Var w = b.Param("w", Vector);
        Var m = b.Param("m", IrType.Int, differentiable: false);
        Var d = b.Param("d", IrType.Int, differentiable: false);
        Var main = b.Local("main", IrBuilder.NewArray(Vector, m));
        b.For("c", 0, m, c =>
        {
            Var li = b.Local("li", c, IrType.Int);
            Var s = b.Local("s", 0.0);
            b.For("j", 0, d, _ => b.For("l", 0, 3, _ =>
            {
                b.Assign(s, s + M.Sin(w[li]));
                b.Assign(li, li + 1);
            }));
            b.SetElement(main, new E[] { c }, s);
        });
        Var total = b.Local("total", 0.0);
        b.For("c", 0, m, c => b.Assign(total, total + main[c] * main[c]));
        b.Return(total);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        IrVariable liVariable = f.Variables.Single(v => v.PreferredName == "li");
        Assert.Empty(IrQuery.PushesOf(program.Forward, liVariable));
        // No loop of its own: one addition of the nest's trip count times three.
        Assert.DoesNotContain(IrQuery.All(program.Reverse).OfType<IrRepeat>(),
            r => r.Body.Statements.Count > 0 && r.Body.Statements.All(s => IrWalker.WriteOf(s) == liVariable));
        Assert.Single(IrQuery.All(program.Reverse).OfType<IrAssign>(),
            a => a.Target == liVariable && a.Value is IrBinary { Right: IrBinary { Operator: IrBinaryOperator.Multiply, Right: IrConstant { Value: 3 } } });

        const int rows = 3, depth = 2;
        double[] weights = Enumerable.Range(0, rows + 3 * depth).Select(i => 0.3 * i - 0.7).ToArray();
        object?[] args = { weights, rows, depth };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args, program: program);
        GradientCheck.AssertArrayGradient(f, args, 0, (Array)run.Gradients[0]!);
        // Exact: main[c] = Σ_{k<3·depth} sin w[c + k]; ∂total/∂w[p] = Σ_c 2 main[c] cos w[p] [c ≤ p < c + 3·depth].
        var gradient = (double[])run.Gradients[0]!;
        for (int p = 0; p < weights.Length; p++)
        {
            double exact = 0;
            for (int c = 0; c < rows; c++)
            {
                double s = 0;
                for (int k = 0; k < 3 * depth; k++) s += Math.Sin(weights[c + k]);
                if (p >= c && p < c + 3 * depth) exact += 2 * s * Math.Cos(weights[p]);
            }
            GradientCheck.AssertClose(exact, gradient[p], 1e-12, 1e-12, "∂total/∂w[" + p + "]");
        }
    }
}
