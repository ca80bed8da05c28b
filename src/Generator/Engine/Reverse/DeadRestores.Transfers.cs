using System.Collections.Generic;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Where a loop's liveness fixed point is, found without iterating: the liveness walk then visits each loop body
    /// once to find it and once to record, however deeply the loops nest.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Every statement's liveness is a "gen/kill" function: live before = Gen ∪ (live after − Kill), Gen and Kill not
    /// depending on what is live after (an assignment kills its target and reads its value; an if joins its branches:
    /// Gen = condition ∪ Gen(then) ∪ Gen(else), Kill = Kill(then) ∩ Kill(else); a loop body that may run zero times kills
    /// nothing). Such functions compose into one of the same form, so a block has a Gen (what is live before it when
    /// nothing is live after it: one walk from the empty set) and a Kill (what every path through it assigns whole).
    /// A body that runs zero or more times from X has its fixed point at X ∪ Gen(body); a head-tested loop (head, exit
    /// test, body) at Gen(H) ∪ ((X ∪ cond ∪ Gen(B) ∪ (Gen(H) − Kill(B))) − Kill(H)).
    /// </para>
    /// <para>
    /// Iterating up from what is live after a loop walked its body twice (once to grow, once to confirm) at each visit,
    /// a head-tested loop three times, and a loop nested in another that many times per walk of the outer one: a
    /// checkpointed loop's reverse (segments re-run forward, then reversed, inside a loop over segments) walked loop
    /// bodies, most of them long, 68 times over the five analyses of a transform (dead restores in two rounds, dead
    /// adjoint resets, ZeroSeedLoops, CountedDownLoops); now 52, each body twice per analysis however deep. Started at the fixed
    /// point, the same iteration's first walk confirms it, and it records what the iteration's last walk recorded
    /// (liveness only grows from walk to walk, so the last walk records all the earlier ones did). Were a Gen here ever
    /// smaller than the walk's, the iteration would go on from there to the same fixed point.
    /// </para>
    /// </remarks>
    internal static partial class DeadRestores
    {
        /// <summary>
        /// The <see cref="PassTimings"/> name under which each walk of a loop's body (or head and body) is counted: the
        /// test of this file's bound (each body walked twice per analysis, however deeply nested) counts them.
        /// </summary>
        internal const string LoopBodyWalks = "Reverse.Liveness.LoopBodyWalks";

        /// <summary>
        /// What is live before <paramref name="block"/> when nothing is live after it: one walk from the empty set, in which
        /// nested loops take their fixed point from their own Gen without walking again (<see cref="Liveness.FindingGen"/>).
        /// Found once per block per analysis (a block does not change during one).
        /// </summary>
        private static HashSet<IrVariable> GenOf(IrBlock block, Liveness state)
        {
            if (state.Gens.TryGetValue(block, out HashSet<IrVariable>? known)) return known;
            var live = new LiveSet(System.Linq.Enumerable.Empty<IrVariable>());
            using (PassTimings.Time(LoopBodyWalks)) LiveBefore(block, state.With(live) with { FindingGen = true });
            state.Gens[block] = live.Variables;
            return live.Variables;
        }

        /// <summary>The variables every path through <paramref name="block"/> assigns whole before the block ends (its Kill).</summary>
        private static HashSet<IrVariable> KillOf(IrBlock block, Liveness state)
        {
            if (state.Kills.TryGetValue(block, out HashSet<IrVariable>? known)) return known;
            var kill = new HashSet<IrVariable>();
            AddKills(block, kill, state);
            state.Kills[block] = kill;
            return kill;
        }

        /// <summary>Adds <paramref name="block"/>'s Kill to <paramref name="kill"/>: the cases of <see cref="LiveBefore(IrStatement, Liveness)"/> that remove from the live set.</summary>
        private static void AddKills(IrBlock block, HashSet<IrVariable> kill, Liveness state)
        {
            foreach (IrStatement statement in block.Statements)
            {
                switch (statement)
                {
                    case IrAssign assign:
                        kill.Add(assign.Target);
                        break;
                    case IrIf branch:
                    {
                        // Killed by the if only when both branches kill it.
                        var then = new HashSet<IrVariable>();
                        AddKills(branch.Then, then, state);
                        if (then.Count == 0) break;
                        var otherwise = new HashSet<IrVariable>();
                        AddKills(branch.Else, otherwise, state);
                        foreach (IrVariable variable in then)
                        {
                            if (otherwise.Contains(variable)) kill.Add(variable);
                        }
                        break;
                    }
                    case IrLoop loop:
                        // The head runs at least once; the body may not run. A fill loop makes its array's contents dead.
                        AddKills(loop.Head, kill, state);
                        if (FilledWhole(loop, state) is { } filled) kill.Add(filled);
                        break;
                    case IrTapePopSpan { Target: { Start: null, Length: null, Variable: { } whole } }:
                        if (!state.Reassigned.Contains(whole)) kill.Add(whole);
                        break;
                    // A repeat may run zero times; nothing else removes from the live set.
                }
            }
        }

        /// <summary>The array a fill loop writes whole, when that makes its earlier contents dead (see <see cref="Find"/>); else null.</summary>
        private static IrVariable? FilledWhole(IrLoop loop, Liveness state) =>
            state.Fills is { } fills && fills.TryGetValue(loop, out IrVariable? filled) && !state.Reassigned.Contains(filled) ? filled : null;

        /// <summary>
        /// Live at a head-tested loop's entry at its fixed point, <paramref name="after"/> live after it (before the fill
        /// rule, which the caller applies): Gen(H) ∪ ((after ∪ cond ∪ Gen(B) ∪ (Gen(H) − Kill(B))) − Kill(H)).
        /// </summary>
        private static HashSet<IrVariable> LoopEntry(IrLoop loop, IEnumerable<IrVariable> after, Liveness state)
        {
            HashSet<IrVariable> headGen = GenOf(loop.Head, state), bodyKill = KillOf(loop.Body, state);
            var entry = new HashSet<IrVariable>(after);
            entry.UnionWith(loop.Condition.ReadVariables());
            entry.UnionWith(GenOf(loop.Body, state));
            foreach (IrVariable variable in headGen)
            {
                if (!bodyKill.Contains(variable)) entry.Add(variable);
            }
            entry.ExceptWith(KillOf(loop.Head, state));
            entry.UnionWith(headGen);
            return entry;
        }
    }
}
