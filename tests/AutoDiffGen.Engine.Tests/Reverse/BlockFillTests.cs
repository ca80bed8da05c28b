using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// A scratch array filled as interleaved blocks (ReverseModeTransform.BlockFills.cs): a fill loop over i &lt; n writing
/// g[i] and g[n + i] of g = new double[2 n] rewrites every element before anything reads one, so the taped loop around it
/// records g once per iteration (a block copy) instead of the old value of each element each write overwrites. Blocks
/// that leave a gap, a write under a condition, or a bound that may not be the allocation's (a parameter assigned in
/// between), and the array is restored write by write as before. Each case pins
/// what is recorded and checks the gradient exactly and against finite differences.
/// </summary>
public class BlockFillTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    /// <summary>Whole-array records of <paramref name="array"/> in the taped run of the step loop (not its checkpoints).</summary>
    private static int Snapshots(IrBlock forward, IrVariable array) =>
        IrQuery.All(TapedRun(forward)).OfType<IrTapePushSpan>().Count(p => p.Source is { Start: null, Length: null } && p.Source.Variable == array);

    /// <summary>The step loop's taped run: the else branch of the run-time choice to checkpoint (5 steps: always taken).</summary>
    private static IrBlock TapedRun(IrBlock forward) =>
        forward.Statements.OfType<IrIf>().Single(s => s.Condition is IrVariableReference { Variable.PreferredName: "_checkpointed" }).Else;

    private static int ElementPushes(IrBlock block, IrVariable array) =>
        IrQuery.Pushes(block).Count(p => p.Value is IrElementRead { Array: IrVariableReference { Variable: var read } } && read == array);

    public enum Layout
    {
        /// <summary>g = new double[2 n]; g[i], g[n + i]: the blocks cover g exactly.</summary>
        TwoBlocks,
        /// <summary>g = new double[4 n]; g[3n + i], g[i], g[2n + i], g[n + i] (any order, as the LSTM's gates).</summary>
        FourBlocks,
        /// <summary>g = new double[2 n + 1]; g[i], g[n + 1 + i]: element n is never written (a gap).</summary>
        Gap,
        /// <summary>g = new double[2 n]; g[i], and g[n + i] under an if (always taken here, not known to the engine).</summary>
        Conditional,
        /// <summary>g = new double[2 n], then n = m (equal here, not known to the engine): n after is not n before.</summary>
        ReassignedParameter,
    }

    /// <summary>
    /// s = copy of x (n elements); 5 steps of { for i &lt; n: a = tanh(w s[i]) and b = u s[i] stored in g's blocks;
    /// for i &lt; n: s[i] = a + b s[i] (read back from g) }; returns Σ s[i]². Per element the recurrence s ← tanh(w s) + u s².
    /// </summary>
    private static (IrFunction Function, Var G) Recurrence(Layout layout)
    {
        var b = new IrBuilder("BlockFill" + layout);
        Var w = b.Param("w");
        Var u = b.Param("u");
        Var x = b.Param("x", Vector, differentiable: false);
        Var n = b.Param("n", IrType.Int, differentiable: false);
        Var m = b.Param("m", IrType.Int, differentiable: false);
        Var s = b.Local("s", IrBuilder.NewArray(Vector, n), Vector);
        E length = layout switch { Layout.FourBlocks => 4 * n, Layout.Gap => 2 * n + 1, _ => 2 * n };
        Var g = b.Local("g", IrBuilder.NewArray(Vector, length), Vector);
        if (layout == Layout.ReassignedParameter) b.Assign(n, m);
        // Where a and b go: block 0 and block 1 (or 3 and 1 with four blocks; n + 1 past the first with a gap).
        Func<E, E> at = i => layout == Layout.FourBlocks ? 3 * n + i : i;
        Func<E, E> bt = layout == Layout.Gap ? i => n + 1 + i : i => n + i;
        b.For("i", 0, n, i => b.SetElement(s, new E[] { i }, x[i]));
        b.For("t", 0, 5, t =>
        {
            b.For("i", 0, n, i =>
            {
                if (layout == Layout.FourBlocks) b.SetElement(g, new E[] { i }, 0.5 * s[i]);
                b.SetElement(g, new E[] { at(i) }, M.Tanh(w * s[i]));
                if (layout == Layout.FourBlocks) b.SetElement(g, new E[] { 2 * n + i }, 0.25 * s[i]);
                if (layout == Layout.Conditional) b.If(s[i] > -100.0, () => b.SetElement(g, new E[] { bt(i) }, u * s[i]));
                else b.SetElement(g, new E[] { bt(i) }, u * s[i]);
            });
            b.For("i", 0, n, i => b.SetElement(s, new E[] { i }, g[at(i)] + g[bt(i)] * s[i]));
        });
        Var loss = b.Local("loss", 0.0);
        b.For("i", 0, n, i => b.Assign(loss, loss + s[i] * s[i]));
        b.Return(loss);
        return (b.Build(), g);
    }

    private static readonly double[] X = { 0.5, -0.3, 0.8 };
    private const double W = 0.7, U = 0.2;

    /// <summary>∂/∂w and ∂/∂u of Σ s² by forward tangents of the per-element recurrence.</summary>
    private static (double Dw, double Du) Exact()
    {
        double dw = 0, du = 0;
        foreach (double start in X)
        {
            double s = start, sw = 0, su = 0;
            for (int t = 0; t < 5; t++)
            {
                double a = Math.Tanh(W * s), da = 1 - a * a;
                (sw, su) = (da * (s + W * sw) + 2 * U * s * sw, da * W * su + s * s + 2 * U * s * su);
                s = a + U * s * s;
            }
            dw += 2 * s * sw;
            du += 2 * s * su;
        }
        return (dw, du);
    }

    private static void AssertGradient(IrFunction f, ReverseProgram program)
    {
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { W, U, X.ToArray(), X.Length, X.Length }, program: program);
        var (dw, du) = Exact();
        GradientCheck.AssertClose(dw, run.Gradient(0), 1e-12, 1e-12, "∂f/∂w");
        GradientCheck.AssertClose(du, run.Gradient(1), 1e-12, 1e-12, "∂f/∂u");
    }

    [Theory]
    [InlineData(Layout.TwoBlocks)]
    [InlineData(Layout.FourBlocks)]
    public void Blocks_that_cover_the_array_make_it_a_scratch_recorded_once_per_iteration(Layout layout)
    {
        var (f, g) = Recurrence(layout);
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(Snapshots(program.Forward, g) >= 1, "g recorded whole:\n" + IrPrinter.Print(program));
        Assert.True(ElementPushes(program.Forward, g) == 0, "no element of g recorded:\n" + IrPrinter.Print(program));
        AssertGradient(f, program);
    }

    [Theory]
    [InlineData(Layout.Gap)]
    [InlineData(Layout.Conditional)]
    [InlineData(Layout.ReassignedParameter)]
    public void Blocks_with_a_gap_or_a_conditional_write_are_restored_write_by_write(Layout layout)
    {
        var (f, g) = Recurrence(layout);
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(Snapshots(program.Forward, g) == 0, "g not taken for a scratch:\n" + IrPrinter.Print(program));
        Assert.True(ElementPushes(program.Forward, g) >= 2, "g's elements recorded before each write:\n" + IrPrinter.Print(program));
        AssertGradient(f, program);
    }
}
