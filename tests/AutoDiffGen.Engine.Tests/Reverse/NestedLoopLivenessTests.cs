using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// The liveness under <see cref="DeadRestores"/> in nested loops (issue 11: the engine linear in a method's size). A
/// loop's fixed point is found from its body's Gen (DeadRestores.Transfers.cs) instead of by iterating, so each loop body
/// is walked twice per analysis however deeply it is nested (iterating walked the innermost body twice per walk of each
/// enclosing loop: 2^depth). The restores it finds are those of the fixed point: one live only through the outermost
/// loop's back edge is kept, one that the next inner iteration overwrites first is dropped.
/// </summary>
public class NestedLoopLivenessTests
{
    private readonly IrVariableFactory _variables = new();

    private IrVariable Local(string name, IrType type) => _variables.Create(name, type, IrVariableRole.Local);

    private static IrExpression Read(IrVariable v) => new IrVariableReference(v);

    private static IrAssign Pop(IrVariable v) => new(v, new IrTapePop(v.Type));

    private static IrAssign AddInto(IrVariable sum, IrVariable v) => new(sum, new IrBinary(IrBinaryOperator.Add, Read(sum), Read(v), IrType.Double));

    private IrRepeat Repeat(IrVariable count, params IrStatement[] body) => new(Local("i", IrType.Int), Read(count), new IrBlock(body));

    /// <summary>
    /// <paramref name="depth"/> nested loops whose innermost body is <c>a = pop (restore 1); u += a; a = pop (restore 2)</c>;
    /// with <paramref name="readInOuter"/>, the outermost body reads a first (<c>u += a</c>, before its nested loop), so
    /// that restore 2's value is read only by the next outer iteration (the inner loops may run zero times); without it,
    /// restore 2 is overwritten by the next inner iteration's restore 1 before anything reads it, or read by nothing.
    /// Restore 1 is always read by the statement after it.
    /// </summary>
    private (IrBlock Reverse, IrAssign Restore1, IrAssign Restore2, IrVariable U) Program(int depth, bool readInOuter)
    {
        IrVariable n = Local("n", IrType.Int);
        IrVariable a = Local("a", IrType.Double);
        IrVariable u = Local("u", IrType.Double);
        IrAssign restore1 = Pop(a), restore2 = Pop(a);
        IrStatement loop = Repeat(n, restore1, AddInto(u, a), restore2);
        for (int level = 1; level < depth - 1; level++) loop = Repeat(n, loop);
        // The outermost loop reads a before its nested loops, so restore 2 is live only through its back edge.
        IrStatement outer = readInOuter ? Repeat(n, AddInto(u, a), loop) : Repeat(n, loop);
        return (new IrBlock(new[] { outer }), restore1, restore2, u);
    }

    private static (HashSet<IrStatement> Dead, int Walks) Find(IrBlock reverse, IEnumerable<IrStatement> restores, IrVariable u)
    {
        HashSet<IrStatement>? dead = null;
        long tick = 0;
        var costs = PassTimings.Record(() => dead = DeadRestores.Find(reverse, restores.ToList(), new[] { u }), () => tick++, () => 0);
        return (dead!, costs.TryGetValue(DeadRestores.LoopBodyWalks, out var walks) ? walks.Calls : 0);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void A_restore_read_only_through_the_outer_loops_back_edge_is_kept(int depth)
    {
        var (reverse, restore1, restore2, u) = Program(depth, readInOuter: true);
        var (dead, _) = Find(reverse, new[] { restore1, restore2 }, u);
        Assert.Empty(dead);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void A_restore_nothing_reads_before_the_next_overwrite_is_dropped(int depth)
    {
        // Without the outer loop's read, restore 2 is overwritten by restore 1 of the next inner iteration, or by nothing
        // when the loops end: dead; restore 1 is read right after it.
        var (reverse, restore1, restore2, u) = Program(depth, readInOuter: false);
        var (dead, _) = Find(reverse, new[] { restore1, restore2 }, u);
        Assert.Equal(new IrStatement[] { restore2 }, dead.ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Each_loop_body_is_walked_twice_however_deeply_nested(int depth)
    {
        // Once to find its Gen, once from its fixed point to record: 2 per loop (iterating walked the innermost body
        // 2^depth times, 62 walks in all at depth 5).
        var (reverse, restore1, restore2, u) = Program(depth, readInOuter: true);
        var (_, walks) = Find(reverse, new[] { restore1, restore2 }, u);
        Assert.Equal(2 * depth, walks);
    }
}
