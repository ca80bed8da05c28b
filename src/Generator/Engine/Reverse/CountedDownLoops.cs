using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// The reverse of a counted loop <c>for (j = j0; j &lt; bound; j++)</c> is built as <c>j = j0 + trips;
    /// for (int _iteration = trips; _iteration &gt; 0; _iteration--) { j = j - 1; … }</c>: the counter stepped back
    /// exactly, nothing recorded (ReverseModeTransform.TransformLoop). Two induction variables, and the one that indexes
    /// arrays is not the loop's own: the JIT neither drops the bounds checks of <c>r[j]</c> nor keeps one register for
    /// both. This rewrites it as <c>for (j = j0 + trips - 1; j &gt;= j0; j--) { … }</c>, the loop a hand-written
    /// gradient would have, whose range the JIT knows (it clones the loop with one check of the start against the
    /// array's length, and the body has no bounds checks). Measured on the Cholesky-factor Gaussian (RESULTS.md, issue 12).
    /// </summary>
    /// <remarks>
    /// <para>Runs last on the finished sweeps (forward too: fused loops reverse there), so no earlier pass sees the new
    /// form. The pattern: an assignment <c>j = j0 + trips</c> right before <c>repeat (trips) { j = j - 1; … }</c> whose
    /// body assigns neither <c>j</c>, <c>trips</c> nor what <c>j0</c> reads, and does not read the repeat's own counter.
    /// <c>j0</c> is integer arithmetic on constants and variables (it is evaluated again at each test).</para>
    /// <para>The repeat left <c>j = j0</c>; the new loop leaves <c>j = j0 - 1</c>. Where <c>j</c> is read afterwards (by
    /// liveness over both sweeps, then what is read after them; a parameter always), <c>j = j0</c> follows the loop.</para>
    /// <para>One value is out of reach: <c>j0 = int.MinValue</c> with no iteration, where <c>j0 + trips - 1</c> wraps. A
    /// forward loop that starts its counter there and never runs is not worth a slower reverse for every other loop.</para>
    /// </remarks>
    internal static class CountedDownLoops
    {
        public static void Apply(IrBlock forward, IrBlock reverse, IEnumerable<IrVariable> readAfter)
        {
            bool inForward = Candidates(forward).Any();
            if (!inForward && !Candidates(reverse).Any()) return;
            // Liveness over the forward sweep followed by the reverse sweep (the same statements, by reference), unless
            // every loop to rewrite is one whose counter nothing reads afterwards (see NotReadAfter). The forward sweep
            // runs first and no loop joins the two: what is live after a reversed loop does not depend on it, so it is
            // analysed only when it has loops to rewrite itself (fused loops reverse there).
            var both = inForward ? new IrBlock(forward.Statements.Concat(reverse.Statements)) : reverse;
            var readAfterSet = new HashSet<IrVariable>(readAfter);
            Dictionary<IrStatement, HashSet<IrVariable>> liveAfter = NotReadAfter(both, readAfterSet) ?? DeadRestores.LiveAfterLoops(both, readAfterSet);
            Rewrite(forward, liveAfter);
            Rewrite(reverse, liveAfter);
        }

        /// <summary>
        /// When every loop of the pattern is at the top level of <paramref name="both"/> and its counter is read by no statement
        /// after it nor after the sweeps: those loops, each with nothing live after it (a top-level statement is in no loop, so
        /// what is live after it is read after it). Otherwise null, and liveness answers. The liveness of a long loop body is
        /// about a twentieth of the engine; the usual reversed loop is at the top level and its counter is not read again.
        /// </summary>
        private static Dictionary<IrStatement, HashSet<IrVariable>>? NotReadAfter(IrBlock both, HashSet<IrVariable> readAfter)
        {
            List<IrStatement> statements = both.Statements;
            var topLevel = new HashSet<IrRepeat>(ReferenceComparer<IrRepeat>.Instance);
            for (int i = 1; i < statements.Count; i++)
            {
                if (statements[i] is IrRepeat repeat && Match(statements[i - 1], repeat) is not null) topLevel.Add(repeat);
            }
            foreach (IrStatement statement in statements)
            {
                // A loop of the pattern nested in another statement (a branch, a loop): liveness it is.
                foreach (IrBlock child in IrWalker.ChildBlocks(statement))
                {
                    if (Candidates(child).Any()) return null;
                }
            }
            // What the statements after each point read, from the end back: one walk.
            var readLater = new HashSet<IrVariable>(readAfter);
            var reads = new List<IrVariable>();
            var decided = new Dictionary<IrStatement, HashSet<IrVariable>>(ReferenceComparer<IrStatement>.Instance);
            for (int i = statements.Count - 1; i >= 0; i--)
            {
                if (statements[i] is IrRepeat repeat && topLevel.Contains(repeat))
                {
                    IrVariable counter = ((IrAssign)repeat.Body.Statements[0]).Target;
                    if (readLater.Contains(counter)) return null;
                    decided[repeat] = new HashSet<IrVariable>();
                }
                foreach (IrStatement nested in IrWalker.Deep(statements[i]))
                {
                    reads.Clear();
                    IrWalker.AddReadsOf(nested, reads);
                    readLater.UnionWith(reads);
                }
            }
            return decided;
        }

        private static IEnumerable<IrRepeat> Candidates(IrBlock block)
        {
            foreach (IrStatement statement in block.Statements)
            {
                if (statement is IrRepeat { Down: null } repeat && repeat.Body.Statements.Count > 0
                    && repeat.Body.Statements[0] is IrAssign { Value: IrBinary { Operator: IrBinaryOperator.Subtract } })
                {
                    yield return repeat;
                }
                foreach (IrBlock child in IrWalker.ChildBlocks(statement))
                {
                    foreach (IrRepeat nested in Candidates(child)) yield return nested;
                }
            }
        }

        private static void Rewrite(IrBlock block, Dictionary<IrStatement, HashSet<IrVariable>> liveAfter)
        {
            List<IrStatement> statements = block.Statements;
            for (int i = 0; i < statements.Count; i++)
            {
                foreach (IrBlock child in IrWalker.ChildBlocks(statements[i])) Rewrite(child, liveAfter);
                if (i == 0 || statements[i] is not IrRepeat repeat || Match(statements[i - 1], repeat) is not { } start) continue;
                IrAssign stepBack = (IrAssign)repeat.Body.Statements[0];
                var body = new IrBlock(repeat.Body.Statements.Skip(1));
                IrVariable counter = stepBack.Target;
                statements[i - 1] = repeat with { Body = body, Down = new IrCountedDown(counter, start) };
                // The loop leaves j0 - 1 where the repeat left j0: set it back if anything reads it.
                bool read = counter.Role == IrVariableRole.Parameter || !liveAfter.TryGetValue(repeat, out HashSet<IrVariable>? live) || live.Contains(counter);
                if (read) statements[i] = new IrAssign(counter, start) { Origin = repeat.Origin };
                else
                {
                    statements.RemoveAt(i);
                    i--;
                }
            }
        }

        /// <summary>The start <c>j0</c> when <paramref name="previous"/> and <paramref name="repeat"/> form the pattern (see the remarks); else null.</summary>
        private static IrExpression? Match(IrStatement previous, IrRepeat repeat)
        {
            if (repeat.Down is not null || repeat.Count is not IrVariableReference { Variable: var trips }) return null;
            // An int counter only: `j = trips - 1` must not need a cast (a long, short or byte counter keeps the repeat).
            if (previous is not IrAssign { Target: var counter, Value: IrBinary { Operator: IrBinaryOperator.Add, Left: var start, Right: IrVariableReference { Variable: var added } } }
                || counter.Type != IrType.Int || added != trips || !IsPure(start))
            {
                return null;
            }
            if (repeat.Body.Statements.Count == 0
                || repeat.Body.Statements[0] is not IrAssign { Target: var stepped, Value: IrBinary { Operator: IrBinaryOperator.Subtract, Left: IrVariableReference { Variable: var from }, Right: IrConstant { Value: 1 } } }
                || stepped != counter || from != counter)
            {
                return null;
            }
            if (repeat.Body.Statements.SelectMany(IrWalker.Deep).Any(CallsSpanPrimitive)) return null;
            var startReads = new HashSet<IrVariable>(start.ReadVariables()) { counter, trips };
            var reads = new List<IrVariable>();
            foreach (IrStatement statement in repeat.Body.Statements.Skip(1).SelectMany(IrWalker.Deep))
            {
                if (IrWalker.WriteOf(statement) is { } written && startReads.Contains(written)) return null;
                reads.Clear();
                IrWalker.AddReadsOf(statement, reads);
                if (reads.Contains(repeat.Counter)) return null;
            }
            return start;
        }

        /// <summary>
        /// A statement of span primitives (TensorPrimitives, SIMD vectors, span buffers and tapes): a loop of them keeps the
        /// repeat. Its body indexes no element the JIT could check once, and measured, the counted-down form made the
        /// TensorPrimitives MLP's reverse loops of MultiplyAdd calls slower: 1.37 × the hand-written gradient against 1.06 ×
        /// (RESULTS.md, "Quiet machine after the third session's merges").
        /// </summary>
        private static bool CallsSpanPrimitive(IrStatement statement) => statement switch
        {
            IrSpanStore or IrSimdStore or IrTapePushSpan or IrTapePopSpan => true,
            IrEffect { Expression: IrSpanCall or IrSimdCall or IrBufferCall } => true,
            IrAssign { Value: IrSpanCall or IrSimdCall or IrBufferCall } => true,
            _ => false,
        };

        /// <summary>Integer arithmetic on constants and variables: evaluated at each test of the loop, it must cost nothing and change nothing.</summary>
        private static bool IsPure(IrExpression e) => e switch
        {
            IrConstant { Value: int } => true,
            IrVariableReference { Variable.Type: var type } => type == IrType.Int,
            IrBinary { Operator: IrBinaryOperator.Add or IrBinaryOperator.Subtract } b => b.Type == IrType.Int && IsPure(b.Left) && IsPure(b.Right),
            _ => false,
        };
    }
}
