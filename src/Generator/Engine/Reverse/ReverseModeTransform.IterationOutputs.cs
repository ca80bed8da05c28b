using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Store or recompute, for a loop that also leaves one result per iteration in a local array: <c>main[c] = e</c> at
    /// the top of the body of <c>for (c = …; …; c++)</c>, read only after the loop (the GMM's component loop, whose
    /// <c>main</c> a <c>LogSumExp(main)</c> reads, and whose scratch vectors <c>xc</c> and <c>qxc</c> were therefore
    /// copied to the tape once per (sample, component)). Such a loop's iterations are recomputed like any other
    /// (<see cref="IterationsRecomputable"/>): nothing recorded forward, each iteration run again right before its reverse.
    /// </summary>
    /// <remarks>
    /// <para>Why it is sound. The loop runs forward as written, so every reader after it sees what the method computes. A
    /// re-run does not read the array (the loop's one use of it is the write, whose value does not read it), so what the
    /// array holds in the reverse sweep does not change the recomputation; and what a re-run writes into it is what the
    /// forward wrote (the same inputs), or nothing when the slice leaves the write out. What is left is every other reader
    /// in the reverse sweep: it must see the array as the loop left it, yet a recomputed loop records nothing of it. So:</para>
    /// <list type="bullet">
    /// <item>the array is a local allocated once (<c>new T[len]</c>: the caller never sees it), never aliased
    /// (<c>b = main</c>);</item>
    /// <item>outside the loop it is only read, and only by statements after the loop in the loop's own block (nothing
    /// before the loop reads what it held, so nothing needs its older contents; nothing after it writes it);</item>
    /// <item>when the loop is nested, the loop around it is fused (each of its iterations reversed right after it runs:
    /// <see cref="TryFuseLoops"/>), which is checked once the sweeps are built (<see cref="IterationOutputsUnfused"/>):
    /// otherwise the reverse of the readers of one outer iteration would run after the next outer iteration had written
    /// the array again, and the loop is transformed again without recomputation.</item>
    /// </list>
    /// <para>Not for a write under a branch or in a nested loop (each iteration must write its own element, the counter's),
    /// nor for an array the loop also reads. And only for a loop that also rewrites a scratch array each iteration: the
    /// re-run then replaces records as long as that array's fill (a copy per iteration), at about the fill's cost. A loop
    /// whose iterations record a few scalars of a long computation (a softmax MLP's hidden unit: a dot product over the
    /// inputs, then tanh, recorded once) is cheaper taped: re-running it cost one dot product per value saved. This is a
    /// stand-in for a cost comparison per iteration, which the engine cannot make before it knows the inner trip
    /// counts.</para>
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>Whether <paramref name="array"/> is an iteration output of <paramref name="loop"/> (see the type's remarks).</summary>
        private bool IsIterationOutput(IrVariable array, IrLoop loop, IrVariable counter)
        {
            // Only a loop that no loop encloses. Nested, it could only be recomputed inside a loop whose iterations are
            // reversed as they run (see the remarks), where the tape holds one outer iteration at a time: re-running the
            // loop's body buys back memory that does not grow with the data, and costs a second forward of that body.
            // Measured on the GMM's component loop (quiet machine, --interleaved GaussianMixture): 2.62-2.69 → 3.11-3.19 ×
            // plain and 1.07-1.08 → 1.29-1.30 × hand-written, for 1 024 B of peak memory. By the cost model's own terms
            // (RecomputeCalls.cs: memory held per iteration is not worth a recomputation) it stays taped.
            if (EnclosingLoop(loop) is not null) return false;
            if (SingleVectorAllocation(array) is not { } found) return false;
            if (loop.Head.Statements.Any(s => IrWalker.Deep(s).Any(x => Touches(x, array)))) return false;
            var uses = IrWalker.Deep(loop).Where(s => Touches(s, array)).ToList();
            if (uses.Count != 1 || uses[0] is not IrElementWrite { Indices.Length: 1 } write || !loop.Body.Statements.Contains(write)
                || write.Indices[0] is not IrVariableReference { Variable: var index } || index != counter || write.Value.ReadVariables().Contains(array))
            {
                return false;
            }
            if (BlockOf(loop) is not { } block) return false;
            int at = block.Statements.FindIndex(s => ReferenceEquals(s, loop));
            var after = new HashSet<object>(block.Statements.Skip(at + 1).SelectMany(IrWalker.Deep), ReferenceComparer<object>.Instance);
            var inside = new HashSet<object>(IrWalker.Deep(loop), ReferenceComparer<object>.Instance);
            foreach (IrStatement statement in IrWalker.AllStatements(_function.Body))
            {
                if (inside.Contains(statement) || ReferenceEquals(statement, found.Allocation)) continue;
                if (IrWalker.WriteOf(statement) == array) return false;
                if (!IrWalker.ReadsOf(statement).Contains(array)) continue;
                // An alias would let the array be changed, or be seen, under another name.
                if (statement is IrAssign { Value: IrVariableReference }) return false;
                if (!after.Contains(statement)) return false;
            }
            return true;
        }

        /// <summary>
        /// The recomputed loops that have an iteration-output array (<see cref="IsIterationOutput"/>) and a loop around them
        /// that was not fused (<paramref name="fused"/>): the caller transforms again without recomputing them.
        /// </summary>
        private List<IrLoop> IterationOutputsUnfused(List<IrLoop> fused)
        {
            // (While IsIterationOutput refuses nested loops, every loop it accepts has no loop around it and this finds none:
            // it is the guard a cost model that recomputes nested iteration outputs again will need.)
            var refused = new List<IrLoop>();
            var fusedSet = new HashSet<object>(fused, ReferenceComparer<object>.Instance);
            foreach (IrLoop loop in _recomputedLoops.Cast<IrLoop>())
            {
                if (EnclosingLoop(loop) is not { } around || fusedSet.Contains(around)) continue;
                if (BlockOf(loop) is not { } block) continue;
                int at = block.Statements.FindIndex(s => ReferenceEquals(s, loop));
                IrVariable? counter = CountedLoop.Match(loop, at > 0 ? block.Statements[at - 1] as IrAssign : null)?.Counter;
                if (counter is null) continue;
                if (IrWalker.Deep(loop).OfType<IrElementWrite>().Select(w => w.Array).Distinct().Any(a => IsIterationOutput(a, loop, counter)))
                {
                    refused.Add(loop);
                }
            }
            return refused;
        }

        /// <summary>The block whose statement <paramref name="statement"/> is (the function's body or one nested in it), or null.</summary>
        private IrBlock? BlockOf(IrStatement statement)
        {
            if (_function.Body.Statements.Any(s => ReferenceEquals(s, statement))) return _function.Body;
            foreach (IrStatement candidate in IrWalker.AllStatements(_function.Body))
            {
                foreach (IrBlock block in IrWalker.ChildBlocks(candidate))
                {
                    if (block.Statements.Any(s => ReferenceEquals(s, statement))) return block;
                }
            }
            return null;
        }

        /// <summary>The innermost loop of the function whose head or body holds <paramref name="statement"/>, or null.</summary>
        private IrLoop? EnclosingLoop(IrStatement statement)
        {
            IrLoop? innermost = null;
            foreach (IrLoop candidate in IrWalker.AllStatements(_function.Body).OfType<IrLoop>())
            {
                if (ReferenceEquals(candidate, statement) || !IrWalker.Deep(candidate).Any(s => ReferenceEquals(s, statement))) continue;
                // Deeper loops come later in a pre-order walk.
                innermost = candidate;
            }
            return innermost;
        }
    }
}
