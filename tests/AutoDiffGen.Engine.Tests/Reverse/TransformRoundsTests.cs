using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// How much work the reverse transform repeats (issue 11: the engine's time linear in a method's size). A loop that is
/// first recomputed in reverse and then fused makes <see cref="ReverseModeTransform.Transform"/> transform the whole
/// function twice (the second time without recomputing that loop). What depends on the function alone is analysed
/// once for both, and the passes after fusion run only for the program that is returned. Counted through
/// <see cref="PassTimings"/> (calls per pass; no clock), so the test does not depend on the machine.
/// </summary>
public class TransformRoundsTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    /// <summary>Calls of each timed pass while <paramref name="function"/> is transformed.</summary>
    private static (ReverseProgram Program, IReadOnlyDictionary<string, PassTimings.PassCost> Costs) Transform(IrFunction function)
    {
        ReverseProgram? program = null;
        long tick = 0;
        var costs = PassTimings.Record(() => program = IrRunner.Differentiate(function), () => tick++, () => 0);
        return (program!, costs);
    }

    private static int Calls(IReadOnlyDictionary<string, PassTimings.PassCost> costs, string pass) => costs.TryGetValue(pass, out var cost) ? cost.Calls : 0;

    /// <summary>total = Σ sin(x[i])·w[i], returned: a loop of accumulations, recomputable, then fused.</summary>
    private static IrFunction Total()
    {
        var b = new IrBuilder("Total");
        Var x = b.Param("x", Vector);
        Var w = b.Param("w", Vector);
        Var total = b.Local("total", 0.0);
        b.For("i", 0, x.Length, k => b.Assign(total, total + M.Sin(x[k]) * w[k]));
        b.Return(total);
        return b.Build();
    }

    [Fact]
    public void A_recomputed_loop_that_is_fused_transforms_twice_but_analyses_the_function_once()
    {
        IrFunction f = Total();
        var (program, costs) = Transform(f);
        // The premise: the loop is fused, and the transform ran twice (the first fused it while it was recomputed).
        Assert.True(IrQuery.FusedLoops(program.Forward).SequenceEqual(new[] { true }), IrPrinter.Print(program));
        Assert.Equal(2, Calls(costs, "Reverse.Fusion"));
        // The function's own analyses: once for both transforms.
        Assert.Equal(1, Calls(costs, "Reverse.Recomputation"));
        Assert.Equal(1, Calls(costs, "Reverse.SingleContribution"));
        // The passes after fusion: only for the program returned.
        Assert.Equal(1, Calls(costs, "Reverse.DeadAdjointResets"));
        Assert.Equal(1, Calls(costs, "Reverse.CountedDownLoops"));
        Assert.Equal(1, Calls(costs, "Reverse.ZeroSeedLoops"));

        object?[] args = { new[] { 0.3, -1.1, 2.0 }, new[] { 1.5, -0.4, 0.9 } };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args, program: program);
        var gx = (double[])run.Gradients[0]!;
        var gw = (double[])run.Gradients[1]!;
        for (int i = 0; i < 3; i++)
        {
            GradientCheck.AssertClose(System.Math.Cos(((double[])args[0]!)[i]) * ((double[])args[1]!)[i], gx[i], 1e-12, 1e-12, "∂f/∂x" + i);
            GradientCheck.AssertClose(System.Math.Sin(((double[])args[0]!)[i]), gw[i], 1e-12, 1e-12, "∂f/∂w" + i);
        }
    }

    [Fact]
    public void A_function_without_such_a_loop_is_transformed_once()
    {
        // total = Σ sin(x[i])·w[i], then a use not linear in total: its adjoint is not known before the loop runs, so the
        // loop is not fused, and one transform is the answer.
        var b = new IrBuilder("NotFused");
        Var x = b.Param("x", Vector);
        Var w = b.Param("w", Vector);
        Var total = b.Local("total", 0.0);
        b.For("i", 0, x.Length, k => b.Assign(total, total + M.Sin(x[k]) * w[k]));
        Var square = b.Local("square", total * total);
        b.Return(square + M.Exp(total));
        IrFunction f = b.Build();
        var (program, costs) = Transform(f);
        Assert.Equal(1, Calls(costs, "Reverse.Fusion"));
        Assert.Equal(1, Calls(costs, "Reverse.Recomputation"));
        Assert.Equal(1, Calls(costs, "Reverse.DeadAdjointResets"));
        GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { new[] { 0.3, -1.1, 2.0 }, new[] { 1.5, -0.4, 0.9 } }, program: program);
    }
}
