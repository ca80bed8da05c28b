using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// Tape reservations: every tape push is a <c>PushReserved</c> (a store, no capacity check), and room for the pushes
    /// is made by <c>Reserve(n)</c> at a few points — the start of each top-level block and the top of each iteration of
    /// a loop that pushes itself.
    /// </summary>
    /// <remarks>
    /// Why: a push that may grow its storage has a call on its slow path, and on x64 every floating-point register is
    /// caller-saved, so the JIT spills the values live across it; when the push sits between the inner loop of a dot
    /// product and the use of its sum (<c>push(h); h = tanh(a)</c>), the sum goes through the stack in every iteration of
    /// the inner loop (the softmax MLP's gradient ran about 1.5 × the hand-written one for that alone). A reservation at
    /// the top of the iteration comes before such values exist.
    /// <para>
    /// How much: the invariant is "free room ≥ the pushes that can run before the next reservation". A reservation
    /// therefore counts the pushes of its own block that are not inside a loop that pushes (such a loop reserves for
    /// itself; branches count both arms), plus the pushes that can follow the block up to the end of each enclosing
    /// block (<see cref="_tapeRest"/>): when the iteration is a loop's last, or a nested loop runs no iteration, no other
    /// reservation runs before them. <c>PushRange</c> keeps the free room it found (Tape.cs).
    /// </para>
    /// </remarks>
    internal sealed partial class CompanionEmitter
    {
        /// <summary>
        /// Per tape (by element type), the pushes that can run after the statement being written, up to the end of the
        /// top-level block, outside loops that push; null between top-level blocks.
        /// </summary>
        private Dictionary<string, (IrType Type, int Count)>? _tapeRest;

        /// <summary>Writes <c>tape.Reserve(n)</c> for the pushes of <paramref name="statements"/> and what follows them, per tape they push to.</summary>
        private void EmitReservations(IEnumerable<IrStatement> statements)
        {
            var counts = new Dictionary<string, (IrType Type, int Count)>();
            CountPushes(statements, counts);
            if (counts.Count == 0) return;
            // What can follow, for the tapes this point pushes to: another tape's free room is untouched by the
            // statements here, so the reservation before them still covers what follows on it.
            if (_tapeRest is not null) Add(counts, _tapeRest.Where(r => counts.ContainsKey(r.Key)).ToDictionary(r => r.Key, r => r.Value));
            foreach (var entry in counts.OrderBy(e => e.Key, System.StringComparer.Ordinal))
            {
                Line(Tape(entry.Value.Type) + ".Reserve(" + entry.Value.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ");");
            }
        }

        /// <summary>
        /// The pushes after each statement of <paramref name="statements"/> that holds blocks (index i: those of statements
        /// i + 1 …, plus <paramref name="rest"/>): what its blocks' reservations count (<see cref="_tapeRest"/>). Null for a
        /// statement without blocks, for which nothing reads them.
        /// </summary>
        /// <remarks>
        /// A new map only where a statement with blocks follows pushes: a map per pushing statement (copying what followed
        /// it) was a fair share of a long method's emission garbage, made for the few statements that read them.
        /// </remarks>
        private static Dictionary<string, (IrType Type, int Count)>?[] PushesAfter(List<IrStatement> statements, Dictionary<string, (IrType Type, int Count)> rest)
        {
            var after = new Dictionary<string, (IrType Type, int Count)>?[statements.Count];
            // The pushes after the statement being looked at are those of `current` and those of `since` (the statements
            // after it counted since `current` was made); the two are joined when a statement with blocks asks for them.
            Dictionary<string, (IrType Type, int Count)> current = rest;
            var since = new Dictionary<string, (IrType Type, int Count)>();
            for (int i = statements.Count - 1; i >= 0; i--)
            {
                if (IrWalker.ChildBlocks(statements[i]).Count > 0)
                {
                    if (since.Count > 0)
                    {
                        Add(since, current);
                        current = since;
                        since = new Dictionary<string, (IrType Type, int Count)>();
                    }
                    after[i] = current;
                }
                CountPushes(statements[i], since);
            }
            return after;
        }

        /// <summary>Counts the pushes of the statements that run before the next reservation: not those in loops that push.</summary>
        private static void CountPushes(IEnumerable<IrStatement> statements, Dictionary<string, (IrType Type, int Count)> counts)
        {
            foreach (IrStatement statement in statements) CountPushes(statement, counts);
        }

        /// <summary><see cref="CountPushes(IEnumerable{IrStatement}, Dictionary{string, ValueTuple{IrType, int}})"/> over a block's list, without an enumerator object per block.</summary>
        private static void CountPushes(List<IrStatement> statements, Dictionary<string, (IrType Type, int Count)> counts)
        {
            for (int i = 0; i < statements.Count; i++) CountPushes(statements[i], counts);
        }

        private static void CountPushes(IrStatement statement, Dictionary<string, (IrType Type, int Count)> counts)
        {
            switch (statement)
            {
                case IrTapePush push:
                    Add(counts, push.Value.Type, 1);
                    break;
                case IrLoop or IrRepeat:
                    // It reserves for itself (and what follows it) when it pushes; otherwise it has nothing to count.
                    break;
                case IrIf branch:
                    CountPushes(branch.Then.Statements, counts);
                    CountPushes(branch.Else.Statements, counts);
                    break;
                default:
                    foreach (IrBlock child in IrWalker.ChildBlocks(statement)) CountPushes(child.Statements, counts);
                    break;
            }
        }

        /// <summary>Whether the loop's own head or body (outside its nested loops) pushes: then it reserves per iteration.</summary>
        private static bool PushesItself(IrStatement loop)
        {
            var counts = new Dictionary<string, (IrType Type, int Count)>();
            foreach (IrBlock child in IrWalker.ChildBlocks(loop)) CountPushes(child.Statements, counts);
            return counts.Count > 0;
        }

        private static void Add(Dictionary<string, (IrType Type, int Count)> counts, Dictionary<string, (IrType Type, int Count)> more)
        {
            foreach (var entry in more) Add(counts, entry.Value.Type, entry.Value.Count);
        }

        private static void Add(Dictionary<string, (IrType Type, int Count)> counts, IrType type, int count)
        {
            counts[type.CSharpName] = counts.TryGetValue(type.CSharpName, out var existing) ? (type, existing.Count + count) : (type, count);
        }
    }
}
