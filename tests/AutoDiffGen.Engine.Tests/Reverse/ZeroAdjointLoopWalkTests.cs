using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// How often <see cref="ZeroAdjoints"/> walks loop bodies (issue 11: the engine linear in a method's size). A checkpointed
/// loop's reverse is a loop over segments holding two loops as long as the method's loop body: the segment run again
/// forward (it writes no adjoint) and the reversed iterations. The fixed point of the segment loop walks both once per
/// walk of its own body, and each of them looked for its own fixed point from scratch every time. Two walks go: a body
/// that changes no fact is walked only to copy it, and a body met again builds its rewrite in its first walk (from the
/// facts the enclosing fixed point has settled it usually confirms its fixed point there). The rewrite is the same
/// either way: building changes no fact. Counted through <see cref="PassTimings"/> (calls; no clock).
/// </summary>
public class ZeroAdjointLoopWalkTests
{
    private readonly IrVariableFactory _variables = new();

    private IrVariable Local(string name, IrType type) => _variables.Create(name, type, IrVariableRole.Local);

    private IrVariable AdjointOf(string name) => _variables.Create("_d_" + name, IrType.Double, IrVariableRole.Adjoint);

    private static IrExpression Read(IrVariable v) => new IrVariableReference(v);

    /// <summary>
    /// <c>repeat n { repeat n { x = x * 2 } ; repeat n { _d_a += _d_b * x } ; _d_b = x }</c>: the segment re-run (no
    /// adjoint written), the reversed iterations (a contribution whose seed is zero on the first pass and maybe zero
    /// after), and a write that moves the outer fixed point.
    /// </summary>
    private (IrBlock Reverse, IrVariable[] ZeroOnEntry) SegmentLoop()
    {
        IrVariable n = Local("n", IrType.Int);
        IrVariable x = Local("x", IrType.Double);
        IrVariable da = AdjointOf("a"), db = AdjointOf("b");
        var rerun = new IrRepeat(Local("k", IrType.Int), Read(n),
            new IrBlock(new IrStatement[] { new IrAssign(x, new IrBinary(IrBinaryOperator.Multiply, Read(x), IrConstant.Real(2, IrType.Double), IrType.Double)) }));
        var reversed = new IrRepeat(Local("k", IrType.Int), Read(n),
            new IrBlock(new IrStatement[] { new IrAccumulate(da, new IrBinary(IrBinaryOperator.Multiply, Read(db), Read(x), IrType.Double)) }));
        var segments = new IrRepeat(Local("s", IrType.Int), Read(n),
            new IrBlock(new IrStatement[] { rerun, reversed, new IrAssign(db, Read(x)) }));
        return (new IrBlock(new IrStatement[] { segments }), new[] { da, db });
    }

    private static (IrBlock Rewritten, int Walks) Apply(IrBlock reverse, IrVariable[] zeroOnEntry)
    {
        IrBlock? rewritten = null;
        long tick = 0;
        var costs = PassTimings.Record(() => rewritten = ZeroAdjoints.Apply(reverse, zeroOnEntry), () => tick++, () => 0);
        return (rewritten!, costs.TryGetValue(ZeroAdjoints.LoopBodyWalks, out var walks) ? walks.Calls : 0);
    }

    [Fact]
    public void A_segment_loop_walks_the_rerun_body_only_to_copy_it_and_builds_a_body_met_again_in_its_first_walk()
    {
        var (reverse, zeroOnEntry) = SegmentLoop();
        var (rewritten, walks) = Apply(reverse, zeroOnEntry);
        // The segment loop: 3 walks (from the facts before it, then twice building: _d_b, then _d_a, become maybe zero).
        // The re-run body: copied in the two building walks, never walked for its fixed point (was 1 + 2 + 2).
        // The reversed body: 1 (first met: the seed is zero, nothing changes), then met again: 2 (built from _d_b maybe
        // zero, _d_a moves; built again), then 1 (built, confirmed) (was 1 + 2 + 2).
        // Total 3 + 2 + 4 = 9; 13 before.
        Assert.Equal(9, walks);

        // The rewrite: the contribution stays, guarded by its seed (maybe zero, and x may be non-finite).
        string printed = IrPrinter.Print(rewritten);
        Assert.Contains("if ((_d_b#3 != 0)) {\n      _d_a#2 += (_d_b#3 * x#1);", printed);
        Assert.Contains("x#1 = (x#1 * 2);", printed);
    }

    [Fact]
    public void A_loop_whose_body_writes_an_adjoint_is_still_walked_to_its_fixed_point()
    {
        // repeat n { _d_a += _d_b * x; _d_b = x }: from _d_b zero, the first walk drops the contribution and makes _d_b
        // non-zero; the fixed point (maybe zero) needs a second walk, which builds the guarded contribution.
        IrVariable n = Local("n", IrType.Int);
        IrVariable x = Local("x", IrType.Double);
        IrVariable da = AdjointOf("a"), db = AdjointOf("b");
        var loop = new IrRepeat(Local("k", IrType.Int), Read(n), new IrBlock(new IrStatement[]
        {
            new IrAccumulate(da, new IrBinary(IrBinaryOperator.Multiply, Read(db), Read(x), IrType.Double)),
            new IrAssign(db, Read(x)),
        }));
        var (rewritten, walks) = Apply(new IrBlock(new IrStatement[] { loop }), new[] { da, db });
        Assert.Equal(3, walks);
        Assert.Contains("if ((_d_b#3 != 0)) {", IrPrinter.Print(rewritten));
    }
}
