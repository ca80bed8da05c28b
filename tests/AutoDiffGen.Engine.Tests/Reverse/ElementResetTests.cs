using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Peepholes.CancelElementResets: the reverse of an element updated in place (<c>q[l] = q[l] + e</c>) reads the
/// element's adjoint, resets it and adds it back; the reset and the add-back cancel and are dropped.
/// </summary>
public class ElementResetTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    /// <summary>Zero stores into the adjoint of <paramref name="array"/> at [<paramref name="index"/>], and accumulations there, in both sweeps.</summary>
    private static (int Resets, int Accumulations) AdjointTraffic(ReverseProgram program, IrVariable array, IrVariable index)
    {
        IrVariable adjoint = program.Adjoints[array];
        bool At(IrExpression e) => e is IrVariableReference { Variable: var v } && v == index;
        var statements = IrWalker.AllStatements(program.Forward).Concat(IrWalker.AllStatements(program.Reverse)).ToList();
        int resets = statements.Count(s => s is IrElementWrite { Value: IrConstant } w && w.Array == adjoint && At(w.Indices[0]));
        int accumulations = statements.Count(s => s is IrElementAccumulate a && a.Array == adjoint && At(a.Indices[0]));
        return (resets, accumulations);
    }

    [Fact]
    public void In_place_element_update_passes_its_adjoint_through_without_reset_and_add_back()
    {
        // q = new double[n]; for i: q[i] = x[i]; for j: for l in j+1..n: q[l] = q[l] + w[j] · x[j]; return Σ q[i]²
        // (GMM's triangular product). The fill's reverse keeps its reset (q[i] is overwritten); the update's goes.
        var b = new IrBuilder("TriangularUpdate");
        Var x = b.Param("x", Vector);
        Var w = b.Param("w", Vector);
        Var q = b.Local("q", IrBuilder.NewArray(Vector, x.Length));
        Var s = b.Local("s", 0.0);
        Var? fill = null, update = null;
        b.For("i", 0, x.Length, i => { fill = i; b.SetElement(q, new[] { (E)i }, x[i]); });
        b.For("j", 0, x.Length, j => b.For("l", j + 1, x.Length, l => { update = l; b.SetElement(q, new[] { (E)l }, q[l] + w[j] * x[j]); }));
        b.For("k", 0, x.Length, k => b.Assign(s, s + q[k] * q[k]));
        b.Return(s);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);

        // The update's reverse reads q̄[l] and neither resets nor adds it back; the fill's reverse still resets q̄[i]
        // (the fill overwrites q[i]). The loops are also checkpointed (for n ≥ 64), so each reverse appears twice.
        Assert.True(AdjointTraffic(program, q.Variable, update!.Variable) == (0, 0), IrPrinter.Print(program));
        Assert.True(AdjointTraffic(program, q.Variable, fill!.Variable).Resets > 0, IrPrinter.Print(program));

        double[] xv = { 0.4, -1.1, 0.7, 1.3 }, wv = { 0.5, -0.25, 0.8, 0.1 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { xv, wv });
        // Exact: q[l] = x[l] + Σ_{j<l} w[j] x[j]; ∂s/∂x[m] = 2 q[m] + Σ_{l>m} 2 q[l] w[m]; ∂s/∂w[m] = Σ_{l>m} 2 q[l] x[m].
        int n = xv.Length;
        var qv = new double[n];
        for (int l = 0; l < n; l++)
        {
            qv[l] = xv[l];
            for (int j = 0; j < l; j++) qv[l] += wv[j] * xv[j];
        }
        for (int m = 0; m < n; m++)
        {
            double tail = Enumerable.Range(m + 1, n - m - 1).Sum(l => 2 * qv[l]);
            GradientCheck.AssertClose(2 * qv[m] + tail * wv[m], ((double[])run.Gradients[0]!)[m], 1e-12, 1e-12, "∂s/∂x" + m);
            GradientCheck.AssertClose(tail * xv[m], ((double[])run.Gradients[1]!)[m], 1e-12, 1e-12, "∂s/∂w" + m);
        }
    }

    [Fact]
    public void Element_read_between_reset_and_add_back_keeps_both()
    {
        // q[l] = q[l] + q[0] · x[l] for l ≥ 1: the reverse of the update adds into q̄[0] between the reset of q̄[l] and its
        // add-back only when l = 0 could alias — here it reads q̄ in between (q̄[0] += …), which blocks the rewrite.
        var b = new IrBuilder("ReadBetween");
        Var x = b.Param("x", Vector);
        Var q = b.Local("q", IrBuilder.NewArray(Vector, x.Length));
        Var s = b.Local("s", 0.0);
        b.For("i", 0, x.Length, i => b.SetElement(q, new[] { (E)i }, x[i] * x[i]));
        b.For("l", 1, x.Length, l => b.SetElement(q, new[] { (E)l }, q[l] + q[0] * x[l]));
        b.For("k", 0, x.Length, k => b.Assign(s, s + M.Sin(q[k])));
        b.Return(s);
        IrFunction f = b.Build();
        GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { new[] { 0.9, -0.6, 1.2, 0.3 } });
    }
}
