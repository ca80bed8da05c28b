using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using ArrayLayout = AutoDiffGen.Generator.Engine.Ir.ArrayLayout;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Store or recompute, per scratch array: a taped loop whose every iteration rewrites a local array before reading
    /// it (a fill loop <c>for (j = 0; j &lt; len; j++) a[j] = …;</c> first, then updates such as <c>a[l] += …</c>) records
    /// the array once, at the end of each iteration, instead of the old value of every element each write overwrites.
    /// </summary>
    /// <remarks>
    /// <para>Why: the reverse of iteration c reads the array as iteration c left it. Restoring write by write, the reverse
    /// of iteration c + 1 rebuilds that state one element at a time (its fill restore gives back iteration c's values),
    /// so every write of every iteration costs a push and a pop — the GMM's <c>qxc</c> gets d of them for the fill and
    /// d (d − 1) / 2 for the triangular update, per (sample, component). Recording the end state costs <c>len</c> values
    /// per iteration (a block copy each way), never more than the writes (the fill alone writes <c>len</c>), and is what a
    /// hand-written gradient keeps (the GMM's K × d <c>xc</c> and <c>Qxc</c>).</para>
    /// <para>Sound by the reverse sweep's invariant: the reversed iteration starts by taking the array back as the
    /// iteration left it (the pop runs first, LIFO with the push that ran last). Restores inside the iteration are made
    /// as before; those nothing reads any more — the whole-array pop of the next reversed iteration overwrites the array
    /// before anything reads it — are found dead by <see cref="DeadRestores"/> (which treats the pop as a write of the
    /// whole array) and leave with their pushes. A restore the iteration's own reverse still reads (an element read
    /// between two writes) stays.</para>
    /// <para>Only where the array is filled directly in the loop's body (<see cref="FillWrite"/>): an enclosing loop
    /// would record what its inner loop's records already give back. Not in a recomputed loop (its re-run and reverse
    /// are adjacent: nothing to keep) nor, once fused, in the fused loop itself (see
    /// <see cref="TryFuseIterations"/>).</para>
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>Per loop (by reference), its snapshot pushes and pops, for fusion to drop when it fuses that loop.</summary>
        private readonly Dictionary<object, List<IrStatement>> _snapshots = new(ReferenceComparer<object>.Instance);

        /// <summary>
        /// Adds to a taped loop's forward body a record of each scratch array it rewrites every iteration, right before
        /// the counter's step, and to its reverse body the matching pop, first.
        /// </summary>
        private void SnapshotScratchArrays(IrLoop loop, IrBlock bodyForward, IrBlock bodyReverse)
        {
            List<IrVariable>? arrays = null;
            HashSet<IrVariable>? written = null;
            foreach (IrElementWrite write in IrWalker.Deep(loop).OfType<IrElementWrite>())
            {
                IrVariable array = write.Array;
                if (!_needed.Contains(array) || arrays?.Contains(array) == true) continue;
                if (!IsFillWrite(array, loop, write)) continue;
                written ??= new HashSet<IrVariable>(IrWalker.Deep(loop).Select(IrWalker.WriteOf).OfType<IrVariable>());
                if (!IsRewrittenScratch(array, loop, written)) continue;
                (arrays ??= new List<IrVariable>()).Add(array);
            }
            if (arrays is null) return;

            var statements = new List<IrStatement>();
            int stepAt = bodyForward.Statements.Count > 0 && StepOf(loop) is { } step && ReferenceEquals(bodyForward.Statements[bodyForward.Statements.Count - 1], step)
                ? bodyForward.Statements.Count - 1
                : bodyForward.Statements.Count;
            // Pushed in order before the step; popped in reverse order at the top of the reversed iteration.
            for (int a = 0; a < arrays.Count; a++)
            {
                var whole = new IrSpan(new IrVariableReference(arrays[a]), null, null, IrType.ArrayOf(arrays[a].Type.Element!, ArrayLayout.Span));
                var push = new IrTapePushSpan(whole) { Origin = loop.Origin };
                var pop = new IrTapePopSpan(whole) { Origin = loop.Origin };
                bodyForward.Statements.Insert(stepAt + a, push);
                bodyReverse.Statements.Insert(0, pop);
                statements.Add(push);
                statements.Add(pop);
            }
            _snapshots[loop] = statements;
        }
    }
}
