using System.Collections.Generic;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Restores predicted dead, so that a long loop body is transformed twice rather than three times (issue 11). The
    /// rounds of <c>Transform</c> were: the first finds what the reverse sweep reads; the second restores it and finds most
    /// of those restores dead (the reverse recomputes the value before reading it: 454 of 606 restores at 200 statements
    /// of a branchy loop body); a third rebuilds both sweeps without them. Now the first round also predicts which
    /// restores will be dead, and the second leaves out the forward half of each of those (the tape push, or the saved
    /// local) and keeps only the reverse half, the pop, as a <em>phantom</em>. Its reverse sweep is then the one the
    /// second round always built, so DeadRestores judges every restore, phantoms included, exactly as before.
    /// </summary>
    /// <remarks>
    /// <para><b>The prediction.</b> In the first round nothing is restored (nothing is known to be read yet). Each
    /// assignment a stored restore could undo is anchored where the second round would put that restore: after the last
    /// statement of its reverse piece (or of the first non-empty piece before it in reverse order). Liveness over the
    /// first round's sweep, before ZeroAdjoints (whose rewriting would lose the anchors, and which only removes reads),
    /// with each anchor assigning its variable, gives the restores whose variable is not live after them.</para>
    /// <para><b>When the second round is kept</b>, its phantoms removed: only when that is the program a third round would
    /// build, to the character (tested over the random programs):</para>
    /// <list type="bullet">
    /// <item>every phantom in the reverse sweep is dead, and no other restore is. Otherwise the next round leaves out
    /// every dead restore, phantoms included, as the third round always did, and a live phantom is a real restore
    /// again;</item>
    /// <item>removing the phantoms empties no block. A branch or loop whose reverse held only a dead restore is not
    /// reversed at all by the third round: its condition is not tested again, its trips not counted. The third round is
    /// built then.</item>
    /// </list>
    /// <para><b>Why removing them is sound.</b> A dead restore's variable is not live after it, and a pop reads nothing,
    /// so taking it away changes what is live nowhere. Every decision the round made from liveness comes out the same
    /// without it (slicing a recomputed iteration). Choices made from what the reverse sweep reads see a pop as they see
    /// a real restore (RecomputeCalls' "read anyway"). The forward sweep never held the pushes, so the recordings are
    /// counted without them, and no saved local was made, so the extra variables are numbered as in a third round.</para>
    /// <para>A wrong prediction costs the third round, nothing else: a prediction that is too cautious leaves dead
    /// restores real (and the third round leaves them out); one that is wrong is refuted by DeadRestores.</para>
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>The assignments (by reference) whose stored restore the previous round predicts dead, or null.</summary>
        private HashSet<object>? _prediction;

        /// <summary>
        /// Where this round would put each stored restore (taped or saved), were its variable read in reverse: the reverse
        /// statement it would follow → the restores there, in the order they would run. Null when nothing is predicted.
        /// </summary>
        private Dictionary<IrStatement, List<(IrVariable Variable, object Assignment)>>? _anchors;

        /// <summary>The pop of each phantom restore this round made (by reference: statements copied with <c>with</c> keep it).</summary>
        private readonly HashSet<object> _phantomPops = new(ReferenceComparer<object>.Instance);

        /// <summary>Whether this round made phantom restores (so its result must be verified before it is kept).</summary>
        private bool MadePhantoms => _phantomPops.Count > 0;

        /// <summary>Whether the stored restore of <paramref name="assign"/> is predicted dead: made as a phantom (pop only).</summary>
        private bool PredictedDead(IrAssign assign) => _prediction?.Contains(assign) == true;

        /// <summary>
        /// Anchors the stored restore each assignment of <paramref name="block"/> would get (taped in a loop, saved outside):
        /// at the end of its reverse piece, that is after the last statement of the first non-empty piece from its own on
        /// (the pieces run last first). An assignment with no such piece (the block's reverse starts after it) is not
        /// predicted: its restore stays real.
        /// </summary>
        private void AnchorRestores(IrBlock block, List<List<IrStatement>> reversed, bool inLoop)
        {
            IrStatement? after = null;
            List<(IrVariable Variable, object Assignment)>? restores = null;
            for (int i = reversed.Count - 1; i >= 0; i--)
            {
                if (reversed[i].Count > 0)
                {
                    after = reversed[i][reversed[i].Count - 1];
                    restores = null;
                }
                if (after is null || block.Statements[i] is not IrAssign assign || assign.Target.Type.Kind == IrTypeKind.Array
                    || RestoreKindOf(assign, inLoop) is not (RestoreKind.Tape or RestoreKind.SaveLocal))
                {
                    continue;
                }
                if (restores is null && !_anchors!.TryGetValue(after, out restores)) _anchors[after] = restores = new();
                restores!.Add((assign.Target, assign));
            }
        }

        /// <summary>The next round's prediction: the anchored restores not live in this round's reverse sweep (before ZeroAdjoints).</summary>
        private HashSet<object> PredictDeadRestores(IrBlock builtReverse) =>
            DeadRestores.PredictDead(builtReverse, _anchors!, ReadAfterTheSweeps(_adjoints.Values), WholeArrayFills(builtReverse));

        /// <summary>
        /// When every phantom of <paramref name="reverse"/> is among <paramref name="dead"/>, nothing else is, and taking the
        /// phantoms out empties no block: takes them out of the sweep and of the pieces fusion reads, and returns true.
        /// Otherwise returns false (the round is thrown away, so what was taken out does not matter).
        /// </summary>
        private bool RemoveVerifiedPhantoms(IrBlock reverse, HashSet<IrStatement> dead)
        {
            foreach (IrStatement statement in dead)
            {
                if (!IsPhantom(statement)) return false;
            }
            if (!RemovePhantoms(reverse.Statements, dead)) return false;
            foreach (List<TopLevelPiece> pieces in _piecesOf.Values)
            {
                foreach (TopLevelPiece piece in pieces)
                {
                    if (!RemovePhantoms(piece.Reverse, dead, isBlock: false)) return false;
                }
            }
            foreach (LoopParts parts in _loopParts.Values)
            {
                if (!RemovePhantoms(parts.HeadReverse.Statements, dead) || !RemovePhantoms(parts.BodyReverse.Statements, dead)) return false;
            }
            foreach (IrStatement statement in dead) _restoreOf.Remove(statement);
            return true;
        }

        private bool IsPhantom(IrStatement statement) => statement is IrAssign { Value: IrTapePop pop } && _phantomPops.Contains(pop);

        /// <summary>
        /// Removes the phantoms from <paramref name="statements"/> and the blocks nested in them; false when one is not
        /// dead, or when a block (<paramref name="isBlock"/>; a piece's list is not one) held phantoms and nothing else.
        /// </summary>
        private bool RemovePhantoms(List<IrStatement> statements, HashSet<IrStatement> dead, bool isBlock = true)
        {
            int before = statements.Count;
            bool verified = true;
            statements.RemoveAll(statement =>
            {
                if (!IsPhantom(statement)) return false;
                verified &= dead.Contains(statement);
                return true;
            });
            if (!verified || (isBlock && statements.Count < before && statements.Count == 0)) return false;
            foreach (IrStatement statement in statements)
            {
                if (statement is not (IrIf or IrLoop or IrRepeat)) continue;
                foreach (IrBlock child in IrWalker.ChildBlocks(statement))
                {
                    if (!RemovePhantoms(child.Statements, dead)) return false;
                }
            }
            return true;
        }
    }
}
