using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Store or recompute, for elementary functions in loops: <c>_t = Math.Sin(x)</c> in a loop body is evaluated again
    /// in the iteration's reverse, where the reverse first reads <c>_t</c>, instead of being taped every iteration —
    /// when the operands still hold the values they had at the definition there, and the cost model says recomputing is
    /// worth the tape slot (<c>RecomputationAnalysis.RecomputeBudget</c>). The recurrence
    /// <c>x = x + h·(α sin x − β x + γ)</c> then tapes x alone (popped anyway) and calls sin again from it, as a
    /// hand-written gradient does, instead of taping x and sin x.
    /// </summary>
    /// <remarks>
    /// <para>Sound by the reverse sweep's invariant: when the reverse of statement <c>j</c> runs, every variable holds its
    /// value from right after statement <c>j</c> ran forward. If nothing from the definition <c>k</c> up to <c>j</c>
    /// writes an operand, evaluating the definition again there gives the value it had. The definition is its
    /// variable's only assignment and every reader follows it in the same block, so the reverse reads it only in the
    /// pieces <c>k … j</c>, which run after the recomputation; the restore the reverse of the definition would make is
    /// then read by nothing (the previous iteration recomputes before reading) and is dropped with its tape push
    /// (<c>DeadRestores</c>).</para>
    /// <para>The cost model counts each value on its own, its operands available: a chain of elementary values
    /// (<c>sin(exp(x))</c> over two temporaries) is recomputed link by link, one call per tape slot saved.</para>
    /// <para>In a fused iteration the value is still live when the reverse runs: the recomputation is dropped there with
    /// the other per-iteration restores (ReverseModeTransform.Fusion.cs, <c>_recomputations</c>).</para>
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>Definition → the value to assign again in reverse (RecomputationAnalysis).</summary>
        private readonly Dictionary<IrStatement, IrExpression> _recomputedCalls;

        /// <summary>
        /// The recomputations placed here (by reference). A recomputed loop's re-run of the iteration gives the values of
        /// its own statements right before their reverse: those at the top of its body go (ReverseWithRecomputation).
        /// </summary>
        private readonly HashSet<object> _callRecomputations = new(ReferenceComparer<object>.Instance);

        /// <summary>
        /// The definitions (by reference) a round of the transform recomputed in reverse, shared by the later rounds of the
        /// same transform, which recompute them again whether or not their operands still look <see cref="Available"/>.
        /// </summary>
        /// <remarks>
        /// Availability is a cost question that depends on the round's reverse sweep, and the rounds change that sweep:
        /// an operand read anyway in one round (x0 in <c>if (w &lt; x0)</c>, a branch re-tested in reverse) may be read
        /// no more in the next, once the restores that branch served were dropped as dead. But the restore of the value
        /// itself was dropped in the earlier round because the recomputation made it dead: deciding again then leaves the
        /// value neither taped nor recomputed, and its reverse reads the last iteration's value in every iteration (IR seed
        /// 784654003, PropertyRegressionTests). Keeping the choice is sound (the recomputation reads its operands, so
        /// liveness keeps their restores) and at worst tapes an operand the recomputation alone needs.
        /// </remarks>
        private HashSet<object> _recomputedCallsChosen = new(ReferenceComparer<object>.Instance);

        /// <summary>The outermost loop around the block being transformed; null outside loops.</summary>
        private IrLoop? _outermostLoop;

        /// <summary>Variables written in <see cref="_outermostLoop"/> (nested statements included), by loop.</summary>
        private readonly Dictionary<IrLoop, HashSet<IrVariable>> _writtenInLoop = new(ReferenceComparer<object>.Instance);

        /// <summary>
        /// In the reverse pieces of <paramref name="block"/> (a loop body, or a block in one), the elementary values the
        /// analysis chose are assigned again at the start of the first piece that runs in reverse and reads them, when the
        /// statements up to that piece leave their operands alone. Rewrites the pieces in place. The block's reads and
        /// writes are indexed once (a long loop body has many candidates: a scan per candidate would be quadratic).
        /// </summary>
        private void RecomputeCallsInReverse(IrBlock block, List<List<IrStatement>> reversed)
        {
            List<IrStatement> statements = block.Statements;
            // The indexes below are asked only about the recomputed values and their operands: only those are indexed
            // (indexing every variable of a long loop body cost a dictionary entry and a list per statement, each round).
            HashSet<IrVariable>? asked = null;
            foreach (IrStatement statement in statements)
            {
                if (!_recomputedCalls.TryGetValue(statement, out IrExpression? value)) continue;
                asked ??= new HashSet<IrVariable>();
                asked.Add(((IrAssign)statement).Target);
                asked.UnionWith(value.ReadVariables());
            }
            if (asked is null) return;
            // Inside a recomputed loop the tape holds one iteration at a time (its re-run records, its reverse pops): the
            // memory the recomputation buys back (RecomputationAnalysis.RecomputeBudget) no longer grows with the trip
            // count, and by the same cost model a push and a pop (about 3 units) cost less than an elementary call (16).
            // The GMM's exp(icf[c, j]) is then called twice per component and sample (forward, re-run), not three times.
            if (InRecomputedIteration(statements[0])) return;
            // The reverse runs the pieces last first: the last piece (in forward order) that reads a variable reads it first.
            var lastReader = new Dictionary<IrVariable, int>();
            // What the reverse reads apart from recomputations: restored or live there whatever this pass decides.
            var readAnyway = new HashSet<IrVariable>();
            var reads = new List<IrVariable>();
            // One delegate for every statement (the piece's index is read from `piece`), not a closure per piece.
            int piece = 0;
            System.Action<IrStatement> visitReverse = nested =>
            {
                reads.Clear();
                IrWalker.AddReadsOf(nested, reads);
                bool recomputation = _recomputations.Contains(nested);
                foreach (IrVariable read in reads)
                {
                    if (!asked.Contains(read)) continue;
                    lastReader[read] = piece;
                    if (!recomputation) readAnyway.Add(read);
                }
            };
            for (piece = 0; piece < reversed.Count; piece++)
            {
                foreach (IrStatement statement in reversed[piece]) VisitDeep(statement, visitReverse);
            }
            // The forward statements that write each variable, and those that may change anything (an effect, a helper's
            // call, which may write through an array it is passed; three-address form gives a call a statement of its
            // own), by index, ascending.
            var writers = new Dictionary<IrVariable, List<int>>();
            var opaque = new List<int>();
            int index = 0;
            System.Action<IrStatement> visitForward = nested =>
            {
                if (IrWalker.WriteOf(nested) is { } written && asked.Contains(written))
                {
                    if (!writers.TryGetValue(written, out List<int>? list)) writers[written] = list = new List<int>();
                    if (list.Count == 0 || list[list.Count - 1] != index) list.Add(index);
                }
                if (nested is IrEffect or IrAssign { Value: IrDifferentiableCall } && (opaque.Count == 0 || opaque[opaque.Count - 1] != index)) opaque.Add(index);
            };
            for (index = 0; index < statements.Count; index++) VisitDeep(statements[index], visitForward);

            // Last definition first: a value recomputed from another recomputed value (exp(x) of sin(exp(x))) puts its
            // recomputation into a piece that reads the other, which is then recomputed before it, in the same piece or an
            // earlier one in reverse.
            for (int k = statements.Count - 1; k >= 0; k--)
            {
                if (!_recomputedCalls.TryGetValue(statements[k], out IrExpression? value)) continue;
                IrVariable target = ((IrAssign)statements[k]).Target;
                if (!lastReader.TryGetValue(target, out int first) || first < k) continue;
                var operands = value.ReadVariables().Distinct().ToList();
                if (AnyIn(opaque, k, first) || operands.Any(v => writers.TryGetValue(v, out List<int>? list) && AnyIn(list, k, first))) continue;
                if (!_recomputedCallsChosen.Contains(statements[k]) && !operands.All(v => Available(v, readAnyway))) continue;
                _recomputedCallsChosen.Add(statements[k]);
                var recomputation = new IrAssign(target, value) { Origin = statements[k].Origin };
                reversed[first].Insert(0, recomputation);
                _recomputations.Add(recomputation);
                _callRecomputations.Add(recomputation);
                foreach (IrVariable operand in operands)
                {
                    if (!lastReader.TryGetValue(operand, out int last) || last < first) lastReader[operand] = first;
                }
            }
        }

        /// <summary>Whether <paramref name="statement"/> is inside a loop whose iterations the reverse recomputes.</summary>
        private bool InRecomputedIteration(IrStatement statement)
        {
            foreach (object loop in _recomputedLoops)
            {
                if (IrWalker.Deep((IrLoop)loop).Any(s => ReferenceEquals(s, statement))) return true;
            }
            return false;
        }

        /// <summary>The statement, then every statement nested in it, without building a sequence of them.</summary>
        private static void VisitDeep(IrStatement statement, System.Action<IrStatement> visit)
        {
            visit(statement);
            if (statement is not (IrIf or IrLoop or IrRepeat)) return;
            foreach (IrBlock child in IrWalker.ChildBlocks(statement))
            {
                foreach (IrStatement nested in child.Statements) VisitDeep(nested, visit);
            }
        }

        /// <summary>Whether the ascending list holds an index in (<paramref name="after"/>, <paramref name="last"/>].</summary>
        private static bool AnyIn(List<int> ascending, int after, int last)
        {
            int lo = 0, hi = ascending.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (ascending[mid] <= after) lo = mid + 1; else hi = mid;
            }
            return lo < ascending.Count && ascending[lo] <= last;
        }

        /// <summary>
        /// Whether the reverse can read an operand without restoring it for the recomputation alone (which would tape it
        /// instead of the value: no saving): the loop does not change it, or — a scalar — the reverse of the block reads it
        /// anyway (it is restored or live there already: the recurrence's x, a loop counter).
        /// </summary>
        /// <remarks>
        /// An array the loop writes does not count as available, even when its elements are restored anyway: measured on
        /// the LSTM (tanh of the cell state, two of fourteen values per element and layer), recomputing cost 1.42-1.49 ×
        /// the hand-written gradient's time against 1.14-1.33 taped, and saved no memory at 256 characters (the tape's
        /// power-of-two capacity did not change). The hand-written gradient stores those values too.
        /// </remarks>
        private bool Available(IrVariable operand, HashSet<IrVariable> readAnyway)
        {
            if (_outermostLoop is null) return IsStable(operand) || operand.Type.Kind != IrTypeKind.Array && readAnyway.Contains(operand);
            if (!_writtenInLoop.TryGetValue(_outermostLoop, out HashSet<IrVariable>? written))
            {
                written = new HashSet<IrVariable>(IrWalker.Deep(_outermostLoop).Select(IrWalker.WriteOf).OfType<IrVariable>());
                _writtenInLoop[_outermostLoop] = written;
            }
            return !written.Contains(operand) || operand.Type.Kind != IrTypeKind.Array && readAnyway.Contains(operand);
        }
    }
}
