using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    internal static partial class Peepholes
    {
        /// <summary>
        /// <c>dx[i] += a; … dx[i] += b;</c> with nothing in between touching <c>dx</c> or what <c>i</c> and <c>a</c> read
        /// becomes <c>dx[i] += a + b;</c>: one read-modify-write of the element instead of several. Accumulations into
        /// other elements of <c>dx</c> in between commute with it (unless they read <c>dx</c>; and one that reads <c>dx</c> itself
        /// stays where it is).
        /// </summary>
        /// <remarks>
        /// Each accumulation merges into the nearest later one of the same element, if nothing before that blocks it.
        /// Both are found through indexes built once per block: for each accumulation the next of the same element,
        /// for each position the next if, loop or call, for each array the positions that read or write it (other than
        /// commuting accumulations), for each variable the positions that assign it. Scanning forward from each
        /// accumulation instead was quadratic when a block accumulates into many distinct elements (unrolled code
        /// reading <c>x[0]</c> … <c>x[3199]</c>: 1 s and 460 KB per statement at 3 200 statements, four times the per
        /// statement cost of 800). Merged accumulations are dropped when the block is compacted at the end, so the
        /// positions in the indexes hold throughout.
        /// </remarks>
        public static void MergeElementAccumulations(IrBlock block)
        {
            foreach (IrStatement statement in block.Statements)
            {
                foreach (IrBlock child in IrWalker.ChildBlocks(statement)) MergeElementAccumulations(child);
            }
            List<IrStatement> statements = block.Statements;
            if (!statements.Any(s => s is IrElementAccumulate)) return;
            var index = new AccumulationIndex(statements);
            var merged = new bool[statements.Count];
            bool any = false;
            for (int i = 0; i < statements.Count; i++)
            {
                if (statements[i] is not IrElementAccumulate first || index.SameElementAfter[i] is not int j || !index.CanMove(first, i, j)) continue;
                var second = (IrElementAccumulate)statements[j];
                statements[j] = second with { Value = new IrBinary(IrBinaryOperator.Add, first.Value, second.Value, first.Value.Type) };
                merged[i] = true;
                any = true;
            }
            if (!any) return;
            int kept = 0;
            for (int i = 0; i < statements.Count; i++)
            {
                if (!merged[i]) statements[kept++] = statements[i];
            }
            statements.RemoveRange(kept, statements.Count - kept);
        }

        /// <summary>What <see cref="MergeElementAccumulations"/> asks of one block, indexed by position once.</summary>
        private sealed class AccumulationIndex
        {
            /// <summary>For an accumulation, the position of the next accumulation into the same element (null: none).</summary>
            public readonly int?[] SameElementAfter;

            /// <summary>For each position, the first position at or after it holding an if, a loop or a call (Count: none).</summary>
            private readonly int[] _nextBarrier;

            /// <summary>
            /// For each array accumulated into, the positions of the statements that read or write it, other than the
            /// accumulations into it that commute with others (their value and indices do not read it).
            /// </summary>
            private readonly Dictionary<IrVariable, List<int>> _touching = new();

            /// <summary>For each variable assigned in the block (accumulations included), the positions assigning it.</summary>
            private readonly Dictionary<IrVariable, List<int>> _writes = new();

            /// <summary>For an accumulation, whether its value or indices read its own array (it then neither commutes nor moves).</summary>
            private readonly bool[] _readsItsArray;

            public AccumulationIndex(List<IrStatement> statements)
            {
                int count = statements.Count;
                SameElementAfter = new int?[count];
                _readsItsArray = new bool[count];
                _nextBarrier = new int[count + 1];
                _nextBarrier[count] = count;
                var nextOfElement = new Dictionary<(IrVariable Array, string Indices), int>();
                for (int k = count - 1; k >= 0; k--)
                {
                    IrStatement statement = statements[k];
                    _nextBarrier[k] = statement is IrIf or IrLoop or IrRepeat or IrBackwardCall or IrEffect ? k : _nextBarrier[k + 1];
                    if (statement is IrElementAccumulate accumulate)
                    {
                        var element = (accumulate.Array, ElementKey(accumulate.Indices));
                        if (nextOfElement.TryGetValue(element, out int next)) SameElementAfter[k] = next;
                        nextOfElement[element] = k;
                        _touching[accumulate.Array] = new List<int>();
                        _readsItsArray[k] = accumulate.Value.ReadVariables().Contains(accumulate.Array)
                            || accumulate.Indices.Any(e => e.ReadVariables().Contains(accumulate.Array));
                    }
                }
                var reads = new List<IrVariable>();
                for (int k = 0; k < count; k++)
                {
                    IrStatement statement = statements[k];
                    IrVariable? written = IrWalker.WriteOf(statement);
                    if (written is not null) Positions(_writes, written).Add(k);
                    reads.Clear();
                    IrWalker.AddReadsOf(statement, reads);
                    // An accumulation reads its own array (IrWalker counts the read-modify-write); whether it commutes
                    // with the others depends on its value and indices only.
                    IrVariable? commutesOn = statement is IrElementAccumulate own && !_readsItsArray[k] ? own.Array : null;
                    foreach (IrVariable read in reads)
                    {
                        if (read != commutesOn) Touches(read, k);
                    }
                    if (written is not null && written != commutesOn) Touches(written, k);
                }
            }

            /// <summary>
            /// Whether the accumulation at <paramref name="from"/> can be evaluated at <paramref name="to"/> instead (the next
            /// accumulation into the same element): nothing in between branches, loops or calls, touches the array (but
            /// for accumulations into other elements that do not read it), or assigns what the accumulation reads.
            /// </summary>
            public bool CanMove(IrElementAccumulate first, int from, int to)
            {
                // One that reads its own array stays: it would move past the accumulations into the array's other
                // elements, and, merged, make the later one read the array too (which the index would not know).
                if (_nextBarrier[from + 1] < to || _readsItsArray[from]) return false;
                if (FirstAfter(_touching[first.Array], from) < to) return false;
                var reads = new List<IrVariable>();
                foreach (IrExpression index in first.Indices) index.AddReadVariables(reads);
                first.Value.AddReadVariables(reads);
                foreach (IrVariable read in reads)
                {
                    if (_writes.TryGetValue(read, out List<int>? positions) && FirstAfter(positions, from) < to) return false;
                }
                return true;
            }

            /// <summary>Records that the statement at <paramref name="position"/> touches <paramref name="variable"/>, if it is an array accumulated into (once per statement).</summary>
            private void Touches(IrVariable variable, int position)
            {
                if (_touching.TryGetValue(variable, out List<int>? positions) && (positions.Count == 0 || positions[positions.Count - 1] != position)) positions.Add(position);
            }

            /// <summary>The first of the ascending <paramref name="positions"/> after <paramref name="position"/> (int.MaxValue: none).</summary>
            private static int FirstAfter(List<int> positions, int position)
            {
                int found = positions.BinarySearch(position + 1);
                if (found < 0) found = ~found;
                return found < positions.Count ? positions[found] : int.MaxValue;
            }

            private static List<int> Positions(Dictionary<IrVariable, List<int>> index, IrVariable variable)
            {
                if (!index.TryGetValue(variable, out List<int>? positions)) index[variable] = positions = new List<int>();
                return positions;
            }
        }
    }
}
