using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Store or recompute, by memory: a taped loop whose whole recording can be counted before it runs tells the tape so
    /// (<c>tape.Expect(trips · values per iteration)</c>), and the tape rents that once, exactly (Tape.cs), instead of
    /// growing by chunks of 64 values and more, and a directory listing them, around what it records.
    /// </summary>
    /// <remarks>
    /// <para>The expectation goes before a counted taped loop (one the reverse counts itself: Checkpoint.cs's
    /// <c>RecordingPerIteration</c> must count what one iteration pushes before the loop runs) that no recording loop
    /// encloses: either no loop encloses it, or every loop that does is fused (each of its iterations is reversed right
    /// after it runs, ReverseModeTransform.Fusion.cs), so the tape is back where it was at the start of every iteration
    /// and the loop's recording is, each time, the whole of what the tape holds beyond that; and when its count reads
    /// nothing those loops write, so that it is the same in every iteration. The first iteration's expectation rents;
    /// the later ones find the room held and rent nothing.</para>
    /// <para>Not inside a loop that records (a taped, recomputed or checkpointed loop): there the loop's recording is one
    /// of many kept at once, and an expectation per instance would rent a small chunk per instance; the enclosing loop's
    /// growth (or its own expectation) serves it. Not for a loop that is fused itself (it records nothing across its
    /// iterations), recomputed or checkpointed (ForwardWithCheckpoints expects its taped run itself).</para>
    /// <para>Fusion is decided after the sweeps are built, so each expectation is made with the taped loop and settled
    /// once the fused loops are known (<see cref="SettleExpectations"/>): those whose loops do not qualify are removed.
    /// The count is an upper bound (a branch counts both arms); a recording that outgrows it grows the tape as usual.</para>
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>The loops (original, outermost first) around the loop being transformed.</summary>
        private readonly List<IrLoop> _enclosingLoops = new();

        /// <summary>Expectations made before taped loops (by reference), with the loop and the loops around it.</summary>
        private readonly Dictionary<object, (IrLoop Loop, IrLoop[] Enclosing)> _tentativeExpectations = new(ReferenceComparer<object>.Instance);

        /// <summary>
        /// Adds to <paramref name="forward"/> the expectations of the counted taped loop <paramref name="taped"/> (the
        /// forward run of <paramref name="loop"/>), to be settled once fusion is decided.
        /// </summary>
        private void ExpectTapedLoop(IrLoop loop, IrLoop taped, IrExpression tripCount, IrBlock forward)
        {
            foreach (IrStatement expectation in Expectations(loop, taped, tripCount, loop.Origin))
            {
                _tentativeExpectations[expectation] = (loop, _enclosingLoops.ToArray());
                forward.Add(expectation);
            }
        }

        /// <summary>
        /// Removes from both sweeps the expectations whose loop is fused or enclosed by a loop that is not fused
        /// (<paramref name="fusedLoops"/>: every loop fused, nested ones included).
        /// </summary>
        private void SettleExpectations(IrBlock forward, IrBlock reverse, List<IrLoop> fusedLoops)
        {
            if (_tentativeExpectations.Count == 0) return;
            var fused = new HashSet<object>(fusedLoops, ReferenceComparer<object>.Instance);
            var removed = new HashSet<object>(ReferenceComparer<object>.Instance);
            var writtenIn = new Dictionary<object, HashSet<IrVariable>>(ReferenceComparer<object>.Instance);
            HashSet<IrVariable> WrittenIn(IrLoop loop)
            {
                if (!writtenIn.TryGetValue(loop, out HashSet<IrVariable>? written))
                {
                    // Variables given a new value; an array's element writes leave its length (what a count reads) as it was.
                    written = new HashSet<IrVariable>(IrWalker.Deep(loop)
                        .Where(s => s is not (IrElementWrite or IrElementAccumulate or IrSpanStore or IrSimdStore))
                        .Select(IrWalker.WriteOf).OfType<IrVariable>());
                    writtenIn[loop] = written;
                }
                return written;
            }
            foreach (KeyValuePair<object, (IrLoop Loop, IrLoop[] Enclosing)> entry in _tentativeExpectations)
            {
                (IrLoop loop, IrLoop[] enclosing) = entry.Value;
                // The same count in every iteration of the fused loops around it (it reads nothing they write): the
                // first iteration rents, the others find the room held. A count that changes (a loop of i trips in the
                // i-th iteration) would rent a little more each iteration, a small chunk each time: growth serves it.
                bool sameEveryIteration = ((IrTapeExpect)entry.Key).Count.ReadVariables().All(v => !enclosing.Any(e => WrittenIn(e).Contains(v)));
                if (fused.Contains(loop) || !enclosing.All(fused.Contains) || !sameEveryIteration) removed.Add(entry.Key);
            }
            if (removed.Count == 0) return;
            void Remove(IrBlock block)
            {
                block.Statements.RemoveAll(removed.Contains);
                foreach (IrStatement statement in block.Statements)
                {
                    foreach (IrBlock child in IrWalker.ChildBlocks(statement)) Remove(child);
                }
            }
            Remove(forward);
            Remove(reverse);
        }
    }
}
