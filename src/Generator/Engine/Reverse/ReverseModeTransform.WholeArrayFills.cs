using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Analysis;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Fill loops in the reverse sweep: <c>for (j = 0; j &lt; len; j++) { … a[j] = v; … }</c> over a local vector
    /// allocated once as <c>new T[len]</c>, which writes every element of it and reads none. <see cref="DeadRestores"/>
    /// takes such a loop as a write of the whole array: what the array held before the loop is dead there.
    /// </summary>
    /// <remarks>
    /// <para>Why: a recomputed iteration (ReverseModeTransform.Recompute.cs) starts by running its fill loops again, so
    /// the restores of the previous reversed iteration's element writes to that array (the old value of each <c>xc[j]</c>
    /// and <c>qxc[l]</c> the GMM's component loop overwrites) give back values nothing reads: they are dropped with
    /// their tape pushes and pops. Element writes alone cannot show this: liveness does not tell elements apart.</para>
    /// <para>Sound when every element is written on every run of the loop before anything reads the array: the counter
    /// starts at 0, steps by 1 up to the array's length (the same expression as its allocation's, over locals assigned
    /// once and parameters never assigned, so it has the same value), the loop has no other exit, the write is a top-level statement of
    /// its body indexed by the counter, and nothing else in the loop touches the array (a tape push of the old element,
    /// which reads it only for its own restore, aside: liveness ignores those pushes).</para>
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>The fill loops of <paramref name="block"/>, nested ones included (by reference), each with the array it fills.</summary>
        private Dictionary<IrStatement, IrVariable> WholeArrayFills(IrBlock block)
        {
            var fills = new Dictionary<IrStatement, IrVariable>(ReferenceComparer<IrStatement>.Instance);
            void Visit(IrBlock current)
            {
                for (int i = 0; i < current.Statements.Count; i++)
                {
                    IrStatement statement = current.Statements[i];
                    if (statement is IrLoop loop && FilledArray(loop, i > 0 ? current.Statements[i - 1] as IrAssign : null) is { } array) fills[loop] = array;
                    foreach (IrBlock child in IrWalker.ChildBlocks(statement)) Visit(child);
                }
            }
            Visit(block);
            return fills;
        }

        /// <summary>The array <paramref name="loop"/> writes whole (see the type's remarks), or null.</summary>
        private IrVariable? FilledArray(IrLoop loop, IrAssign? previous)
        {
            // Cheap test first (this runs on every loop of the reverse sweep, every round): a top-level element write at all.
            if (previous is null || !loop.Body.Statements.Any(s => s is IrElementWrite { Indices.Length: 1 })) return null;
            if (CountedLoop.Match(loop, previous) is not { Step: 1, Start: IrConstant { Value: 0 }, TripCount: not null } counted || CountedLoop.MayLeaveEarly(loop)) return null;
            if (CountedLoop.TestOf(loop) is not IrBinary { Operator: IrBinaryOperator.LessThan, Right: var bound }) return null;
            string length = Peepholes.Key(bound);
            foreach (IrStatement statement in loop.Body.Statements)
            {
                if (statement is not IrElementWrite { Indices.Length: 1 } write || write.Indices[0] is not IrVariableReference { Variable: var index }
                    || index != counted.Counter)
                {
                    continue;
                }
                IrVariable array = write.Array;
                if (write.Value.ReadVariables().Contains(array) || SingleVectorAllocation(array) is not { } found) continue;
                // The length the loop counts to is the allocation's: the same expression, over variables that hold one value.
                if (Peepholes.Key(found.Created.Lengths[0]) != length || !LengthHoldsItsValue(found.Created.Lengths[0]))
                {
                    continue;
                }
                bool onlyTheWrite = IrWalker.Deep(loop).All(s => ReferenceEquals(s, write) || s is IrTapePush or IrTapePushSpan || !Touches(s, array))
                    && !loop.Head.Statements.Any(s => IrWalker.Deep(s).Any(x => Touches(x, array)));
                if (onlyTheWrite) return array;
            }
            return null;
        }
    }
}
