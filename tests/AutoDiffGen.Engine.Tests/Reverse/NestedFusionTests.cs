using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Nested fusion (ReverseModeTransform.NestedFusion.cs): inside a fused loop's iteration, a nested loop whose own
/// iterations are independent reverses each of them right after it, recording nothing per inner trip; a nested loop
/// whose reverse needs an adjoint a later statement of the iteration gives stays in the iteration's reverse. Each case
/// pins the decision and checks the gradient against exact values and finite differences.
/// </summary>
public class NestedFusionTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);
    private const int D = 3;
    private const int N = 2;
    private static readonly double[] L = { 1.2, 0.0, 0.0, -0.4, 0.9, 0.0, 0.3, 0.7, 1.5 };
    private static readonly double[] Mu = { 0.1, -0.6, 0.4 };
    private static readonly double[] X = { 0.5, -1.0, 2.0, 1.5, 0.3, -0.2 };

    /// <summary>
    /// Loops (anywhere in the forward sweep) whose body holds the reverse of their own iteration: an adjoint written, or
    /// the reverse of a loop nested in it (a loop of the forward sweep holds a reversed loop only then).
    /// </summary>
    private static int FusedLoopsAnywhere(ReverseProgram program) =>
        IrQuery.All(program.Forward).OfType<IrLoop>().Count(loop => loop.Body.Statements.Any(s =>
            s is IrAccumulate { Target.Role: IrVariableRole.Adjoint } or IrElementAccumulate { Array.Role: IrVariableRole.Adjoint } or IrRepeat
                || s is IrAssign { Target.Role: IrVariableRole.Adjoint }));

    /// <summary>
    /// ½ Σₛ Σᵢ yᵢ², yᵢ = Σ_{j ≤ i} L[i, j] rⱼ, r = xₛ − μ (the Cholesky-factor Gaussian of the benchmarks, row-major in
    /// vectors). With <paramref name="induction"/>, L is read packed instead, through an index <c>li</c> advanced in the
    /// innermost loop (<c>li++</c>), reset per sample.
    /// </summary>
    private static IrFunction TriangularQuadratic(bool induction = false)
    {
        var b = new IrBuilder(induction ? "PackedTriangular" : "Triangular");
        Var l = b.Param("l", Vector);
        Var mu = b.Param("mu", Vector);
        Var x = b.Param("x", Vector, differentiable: false);
        Var r = b.Local("r", IrBuilder.NewArray(Vector, D), Vector);
        Var quadratic = b.Local("quadratic", 0.0);
        b.For("s", 0, N, s =>
        {
            b.For("i", 0, D, i => b.SetElement(r, new E[] { i }, x[s * D + i] - mu[i]));
            Var? li = induction ? b.Local("li", 0, IrType.Int) : null;
            b.For("i", 0, D, i =>
            {
                Var y = b.Local("y", 0.0);
                b.For("j", 0, i + 1, j =>
                {
                    if (induction)
                    {
                        b.Assign(y, y + l[li!] * r[j]);
                        b.Assign(li!, li! + 1);
                    }
                    else
                    {
                        b.Assign(y, y + l[i * D + j] * r[j]);
                    }
                });
                b.Assign(quadratic, quadratic + y * y);
            });
        });
        b.Return(0.5 * quadratic);
        return b.Build();
    }

    /// <summary>The packed lower triangle of <see cref="L"/>, row by row.</summary>
    private static double[] Packed() => Enumerable.Range(0, D).SelectMany(i => Enumerable.Range(0, i + 1).Select(j => L[i * D + j])).ToArray();

    /// <summary>The exact gradient: dL[i, j] = Σₛ yᵢ rⱼ, dμ = −Σₛ Lᵀ y.</summary>
    private static (double[] DL, double[] DMu) Exact()
    {
        var dl = new double[D * D];
        var dmu = new double[D];
        for (int s = 0; s < N; s++)
        {
            double[] r = Enumerable.Range(0, D).Select(i => X[s * D + i] - Mu[i]).ToArray();
            for (int i = 0; i < D; i++)
            {
                double y = 0;
                for (int j = 0; j <= i; j++) y += L[i * D + j] * r[j];
                for (int j = 0; j <= i; j++)
                {
                    dl[i * D + j] += y * r[j];
                    dmu[j] -= L[i * D + j] * y;
                }
            }
        }
        return (dl, dmu);
    }

    [Fact]
    public void Row_loop_inside_the_sample_loop_is_fused_and_nothing_is_recorded()
    {
        IrFunction f = TriangularQuadratic();
        ReverseProgram program = IrRunner.Differentiate(f);
        // The sample loop and, inside it, the row loop (its yᵢ no longer recorded per row); the inner product loop
        // itself is not (its reverse needs _d_y, which `quadratic += y * y` after it gives) and stays in the row's reverse.
        Assert.True(program.FusedLoops == 2, "the sample and row loops fused:\n" + IrPrinter.Print(program));
        Assert.True(FusedLoopsAnywhere(program) == 2, IrPrinter.Print(program));
        Assert.True(IrQuery.Pushes(program.Forward).Count == 0, "nothing recorded:\n" + IrPrinter.Print(program));
        Assert.True(IrQuery.All(program.Forward).OfType<IrRepeat>().Count() == 2,
            "the fill's and the inner product's reverse, each a reversed loop:\n" + IrPrinter.Print(program));

        object?[] args = { L.ToArray(), Mu.ToArray(), X.ToArray() };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args, program: program);
        GradientCheck.AssertArrayGradient(f, args, 0, (Array)run.Gradients[0]!);
        GradientCheck.AssertArrayGradient(f, args, 1, (Array)run.Gradients[1]!);
        (double[] dl, double[] dmu) = Exact();
        for (int k = 0; k < D * D; k++) GradientCheck.AssertClose(dl[k], ((double[])run.Gradients[0]!)[k], 1e-12, 1e-12, "∂f/∂l" + k);
        for (int k = 0; k < D; k++) GradientCheck.AssertClose(dmu[k], ((double[])run.Gradients[1]!)[k], 1e-12, 1e-12, "∂f/∂mu" + k);
    }

    [Fact]
    public void Nested_loop_whose_reverse_reads_a_later_statements_adjoint_stays_in_the_iterations_reverse()
    {
        // for j: { a = y·d[j]; for k: a += x[k]·d[k]; s += a·a } — the k loop's reverse reads _d_a, which the reverse of
        // s += a·a (after it) gives: it is not fused; the j loop is.
        var b = new IrBuilder("Relu");
        Var x = b.Param("x", Vector);
        Var y = b.Param("y");
        Var d = b.Param("d", Vector, differentiable: false);
        Var sum = b.Local("sum", 0.0);
        b.For("j", 0, 2, j =>
        {
            Var a = b.Local("a", y * d[j]);
            b.For("k", 0, 3, k => b.Assign(a, a + x[k] * d[k]));
            b.Assign(sum, sum + a * a);
        });
        b.Return(sum);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(program.FusedLoops == 1 && FusedLoopsAnywhere(program) == 1, IrPrinter.Print(program));
        double[] xs = { 0.3, -0.8, 1.1 }, ds = { 0.5, -1.5, 2.0 };
        object?[] args = { xs, 0.7, ds };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args, program: program);
        double dot = xs.Zip(ds, (p, q) => p * q).Sum();
        double[] aj = { 0.7 * ds[0] + dot, 0.7 * ds[1] + dot };
        var gx = (double[])run.Gradients[0]!;
        for (int k = 0; k < 3; k++) GradientCheck.AssertClose(2 * (aj[0] + aj[1]) * ds[k], gx[k], 1e-12, 1e-12, "∂f/∂x" + k);
        GradientCheck.AssertClose(2 * (aj[0] * ds[0] + aj[1] * ds[1]), (double)run.Gradients[1]!, 1e-12, 1e-12, "∂f/∂y");
    }
    [Fact]
    public void Index_advanced_in_the_inner_loop_is_stepped_back_not_recorded_and_the_row_loop_still_fuses()
    {
        // y += lp[li] · r[j]; li++ — li runs over the packed triangle across rows: it is carried from one row to the next.
        // The row's reverse steps it back (its exact inverse) for its reads of lp[li]; the row then takes back the value
        // its forward part left. Nothing recorded, not even li.
        IrFunction f = TriangularQuadratic(induction: true);
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(program.FusedLoops == 2 && FusedLoopsAnywhere(program) == 2, IrPrinter.Print(program));
        Assert.True(IrQuery.Pushes(program.Forward).Count == 0, "nothing recorded:\n" + IrPrinter.Print(program));

        double[] packed = Packed();
        object?[] args = { packed, Mu.ToArray(), X.ToArray() };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args, program: program);
        GradientCheck.AssertArrayGradient(f, args, 0, (Array)run.Gradients[0]!);
        (double[] dl, double[] dmu) = Exact();
        double[] dlPacked = Enumerable.Range(0, D).SelectMany(i => Enumerable.Range(0, i + 1).Select(j => dl[i * D + j])).ToArray();
        for (int k = 0; k < packed.Length; k++) GradientCheck.AssertClose(dlPacked[k], ((double[])run.Gradients[0]!)[k], 1e-12, 1e-12, "∂f/∂lp" + k);
        for (int k = 0; k < D; k++) GradientCheck.AssertClose(dmu[k], ((double[])run.Gradients[1]!)[k], 1e-12, 1e-12, "∂f/∂mu" + k);
    }
}
