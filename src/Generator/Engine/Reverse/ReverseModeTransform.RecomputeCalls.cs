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
        private readonly HashSet<object> _callRecomputations = new(ReferenceEqualityComparer.Instance);

        /// <summary>The outermost loop around the block being transformed; null outside loops.</summary>
        private IrLoop? _outermostLoop;

        /// <summary>Variables written in <see cref="_outermostLoop"/> (nested statements included), by loop.</summary>
        private readonly Dictionary<IrLoop, HashSet<IrVariable>> _writtenInLoop = new(ReferenceEqualityComparer.Instance);

        /// <summary>
        /// In the reverse pieces of <paramref name="block"/> (a loop body, or a block in one), the elementary values the
        /// analysis chose are assigned again at the start of the first piece that runs in reverse and reads them, when the
        /// statements up to that piece leave their operands alone. Rewrites the pieces in place.
        /// </summary>
        private void RecomputeCallsInReverse(IrBlock block, List<List<IrStatement>> reversed)
        {
            // Last definition first: a value recomputed from another recomputed value (exp(x) of sin(exp(x))) puts its
            // recomputation into a piece that reads the other, which is then recomputed before it, in the same piece or an
            // earlier one in reverse.
            for (int k = block.Statements.Count - 1; k >= 0; k--)
            {
                if (!_recomputedCalls.TryGetValue(block.Statements[k], out IrExpression? value)) continue;
                IrVariable target = ((IrAssign)block.Statements[k]).Target;
                // The reverse runs the pieces last first: the last one (in forward order) that reads the value reads it first.
                int first = -1;
                for (int j = reversed.Count - 1; j >= k && first < 0; j--)
                {
                    if (reversed[j].SelectMany(IrWalker.Deep).Any(s => IrWalker.ReadsOf(s).Contains(target))) first = j;
                }
                if (first < 0) continue;
                var operands = new HashSet<IrVariable>(value.ReadVariables());
                if (block.Statements.Skip(k + 1).Take(first - k).SelectMany(IrWalker.Deep).Any(s => MayChange(s, operands))) continue;
                if (!operands.All(v => Available(v, reversed))) continue;
                var recomputation = new IrAssign(target, value) { Origin = block.Statements[k].Origin };
                reversed[first].Insert(0, recomputation);
                _recomputations.Add(recomputation);
                _callRecomputations.Add(recomputation);
            }
        }

        /// <summary>
        /// Whether the reverse can read an operand without restoring it for the recomputation alone (which would tape it
        /// instead of the value: no saving): the loop does not change it, or the reverse of the block reads it anyway (it is
        /// restored or live there already: the recurrence's x, a loop counter; an array whose writes are all restored
        /// once the reverse reads any element).
        /// </summary>
        private bool Available(IrVariable operand, List<List<IrStatement>> reversed)
        {
            if (_outermostLoop is null) return IsStable(operand);
            if (!_writtenInLoop.TryGetValue(_outermostLoop, out HashSet<IrVariable>? written))
            {
                written = new HashSet<IrVariable>(IrWalker.Deep(_outermostLoop).Select(IrWalker.WriteOf).OfType<IrVariable>());
                _writtenInLoop[_outermostLoop] = written;
            }
            if (!written.Contains(operand)) return true;
            return reversed.SelectMany(piece => piece).SelectMany(IrWalker.Deep).Any(s => !_recomputations.Contains(s) && IrWalker.ReadsOf(s).Contains(operand));
        }

        /// <summary>
        /// Whether a forward statement may change one of the variables (an array's elements included): it writes one, or
        /// it has an effect or calls a helper, which may write through an array it is passed.
        /// </summary>
        private static bool MayChange(IrStatement statement, HashSet<IrVariable> variables) =>
            statement is IrEffect
            || IrWalker.WriteOf(statement) is { } written && variables.Contains(written)
            || IrWalker.ExpressionsOf(statement).SelectMany(IrWalker.Subexpressions).Any(e => e is IrDifferentiableCall);
    }
}
