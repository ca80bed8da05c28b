using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// CountedDownLoops: the reverse of a counted loop walks the loop's own counter down,
/// <c>for (j = j0 + trips - 1; j &gt;= j0; j--)</c>, instead of a second counter and <c>j = j - 1</c> in its body (the
/// JIT then knows j's range and drops the bounds checks). Each case pins the form and checks the gradient against
/// exact values and finite differences; one pins that a counter read after the loop gets its start back.
/// </summary>
public class CountedDownLoopTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    /// <summary>Every reversed loop of both sweeps.</summary>
    private static IrRepeat[] Repeats(ReverseProgram program) =>
        IrQuery.All(program.Forward).Concat(IrQuery.All(program.Reverse)).OfType<IrRepeat>().ToArray();

    /// <summary>A step back <c>v = v - 1</c> left in a sweep (what the counted-down form replaces).</summary>
    private static bool StepsBack(ReverseProgram program, string name) =>
        IrQuery.All(program.Forward).Concat(IrQuery.All(program.Reverse)).Any(s =>
            s is IrAssign { Target: var t, Value: IrBinary { Operator: IrBinaryOperator.Subtract, Left: IrVariableReference { Variable: var v } } }
            && t == v && t.PreferredName == name);

    [Fact]
    public void Triangular_product_reverses_by_counting_its_counter_down_to_zero()
    {
        // f = ½ Σᵢ yᵢ², yᵢ = Σ_{j ≤ i} L[i·D + j] xⱼ, x = p² element-wise (filled by a loop the sweep reverses too).
        const int D = 3;
        var b = new IrBuilder("Triangular");
        Var l = b.Param("l", Vector);
        Var p = b.Param("p", Vector);
        Var x = b.Local("x", IrBuilder.NewArray(Vector, D), Vector);
        Var q = b.Local("q", 0.0);
        b.For("k", 0, D, k => b.SetElement(x, new E[] { k }, p[k] * p[k]));
        b.For("i", 0, D, i =>
        {
            Var y = b.Local("y", 0.0);
            b.For("j", 0, i + 1, j => b.Assign(y, y + l[i * D + j] * x[j]));
            b.Assign(q, q + y * y);
        });
        b.Return(0.5 * q);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);

        // The product's reverse (inside the fused row loop) counts j down to 0. (The fill's reverse is a checkpointed
        // loop's, `k = 0 + trips; if (checkpointed) … else repeat`: not the adjacent pattern, left as it was.)
        Assert.True(Repeats(program).Any(r => r.Down is { Variable.PreferredName: "j", Floor: IrConstant { Value: 0 } }),
            "the inner product's reverse counts j down to 0:\n" + IrPrinter.Print(program));
        Assert.False(StepsBack(program, "j"), "j is not stepped back in a loop body:\n" + IrPrinter.Print(program));

        double[] ls = { 1.2, 0.0, 0.0, -0.4, 0.9, 0.0, 0.3, 0.7, 1.5 }, ps = { 0.5, -1.1, 0.8 };
        object?[] args = { ls, ps };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args, program: program);
        GradientCheck.AssertArrayGradient(f, args, 0, (Array)run.Gradients[0]!);
        GradientCheck.AssertArrayGradient(f, args, 1, (Array)run.Gradients[1]!);
        // Exact: dL[i, j] = yᵢ xⱼ, dxⱼ = Σᵢ L[i, j] yᵢ, dpₖ = 2 pₖ dxₖ.
        double[] xs = ps.Select(v => v * v).ToArray();
        double[] ys = Enumerable.Range(0, D).Select(i => Enumerable.Range(0, i + 1).Sum(j => ls[i * D + j] * xs[j])).ToArray();
        var dl = (double[])run.Gradients[0]!;
        var dp = (double[])run.Gradients[1]!;
        for (int i = 0; i < D; i++)
        {
            for (int j = 0; j < D; j++) GradientCheck.AssertClose(j <= i ? ys[i] * xs[j] : 0, dl[i * D + j], 1e-12, 1e-12, $"∂f/∂l[{i},{j}]");
        }
        for (int k = 0; k < D; k++)
        {
            double dx = Enumerable.Range(k, D - k).Sum(i => ls[i * D + k] * ys[i]);
            GradientCheck.AssertClose(2 * ps[k] * dx, dp[k], 1e-12, 1e-12, "∂f/∂p" + k);
        }
    }

    [Fact]
    public void Loop_starting_at_an_enclosing_counter_counts_down_to_that_start()
    {
        // f = Σᵢ xᵢ Sᵢ², Sᵢ = Σ_{j > i} xⱼ (for j = i + 1; j < n): the inner loop's reverse needs _d_S, which the
        // statement after it gives, so it stays a reversed loop. ∂f/∂xₖ = Sₖ² + Σ_{i < k} 2 xᵢ Sᵢ.
        var b = new IrBuilder("Tails");
        Var x = b.Param("x", Vector);
        Var n = b.Param("n", IrType.Int, differentiable: false);
        Var s = b.Local("s", 0.0);
        b.For("i", 0, n, i =>
        {
            Var tail = b.Local("tail", 0.0);
            b.For("j", i + 1, n, j => b.Assign(tail, tail + x[j]));
            b.Assign(s, s + x[i] * tail * tail);
        });
        b.Return(s);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);

        Assert.True(Repeats(program).Any(r => r.Down is { Variable.PreferredName: "j", Floor: var floor } && floor.ReadVariables().Any(v => v.PreferredName == "i")),
            "j counts down to i + 1:\n" + IrPrinter.Print(program));
        Assert.False(StepsBack(program, "j"), IrPrinter.Print(program));

        double[] xs = { 0.7, -1.3, 2.1, 0.4 };
        object?[] args = { xs, xs.Length };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args, program: program);
        GradientCheck.AssertArrayGradient(f, args, 0, (Array)run.Gradients[0]!);
        var dx = (double[])run.Gradients[0]!;
        double Tail(int i) => xs.Skip(i + 1).Sum();
        for (int k = 0; k < xs.Length; k++)
        {
            double exact = Tail(k) * Tail(k) + Enumerable.Range(0, k).Sum(i => 2 * xs[i] * Tail(i));
            GradientCheck.AssertClose(exact, dx[k], 1e-12, 1e-12, "∂f/∂x" + k);
        }
        // n = 1: the inner loop never runs (∂f/∂x₀ = S₀² = 0); n = 0: nothing runs.
        foreach (int m in new[] { 0, 1 })
        {
            GradientRun empty = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { xs, m }, program: program);
            Assert.All((double[])empty.Gradients[0]!, g => Assert.Equal(0.0, g));
        }
    }

    [Fact]
    public void Counter_read_after_the_reversed_loop_gets_its_start_back_and_one_not_read_does_not()
    {
        // j = 2 + t; repeat (t) { j = j - 1; acc += j }; then out = j (read) or not.
        var factory = new IrVariableFactory();
        IrVariable j = factory.Create("j", IrType.Int, IrVariableRole.Local);
        IrVariable t = factory.Create("t", IrType.Int, IrVariableRole.Local);
        IrVariable acc = factory.Create("acc", IrType.Int, IrVariableRole.Local);
        IrVariable output = factory.Create("out", IrType.Int, IrVariableRole.Local);
        IrVariable counter = factory.Create("_iteration", IrType.Int, IrVariableRole.Control);
        IrExpression start = IrConstant.Of(2);
        IrBlock Reverse(bool readAfter)
        {
            var block = new IrBlock();
            block.Add(new IrAssign(j, new IrBinary(IrBinaryOperator.Add, start, new IrVariableReference(t), IrType.Int)));
            block.Add(new IrRepeat(counter, new IrVariableReference(t), new IrBlock(new IrStatement[]
            {
                new IrAssign(j, new IrBinary(IrBinaryOperator.Subtract, new IrVariableReference(j), IrConstant.Of(1), IrType.Int)),
                new IrAssign(acc, new IrBinary(IrBinaryOperator.Add, new IrVariableReference(acc), new IrVariableReference(j), IrType.Int)),
            })));
            if (readAfter) block.Add(new IrAssign(output, new IrVariableReference(j)));
            return block;
        }

        foreach (bool readAfter in new[] { true, false })
        {
            IrBlock reverse = Reverse(readAfter);
            CountedDownLoops.Apply(new IrBlock(), reverse, new[] { acc, output });
            Assert.True(reverse.Statements[0] is IrRepeat { Down: { Variable: var v, Floor: IrConstant { Value: 2 } } } repeat && v == j
                && repeat.Body.Statements.Count == 1, string.Join("\n", reverse.Statements));
            bool restored = reverse.Statements.Count > 1 && reverse.Statements[1] is IrAssign { Target: var target, Value: IrConstant { Value: 2 } } && target == j;
            Assert.True(restored == readAfter, (readAfter ? "j = 2 follows the loop" : "nothing follows the loop") + ":\n" + string.Join("\n", reverse.Statements));
        }

        // The body assigns what the start reads: left as it was.
        IrBlock changing = Reverse(readAfter: false);
        ((IrRepeat)changing.Statements[1]).Body.Add(new IrAssign(t, IrConstant.Of(0)));
        CountedDownLoops.Apply(new IrBlock(), changing, new[] { acc });
        Assert.True(changing.Statements[1] is IrRepeat { Down: null }, string.Join("\n", changing.Statements));
    }
}
