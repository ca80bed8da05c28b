using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Which top-level loops are fused (ReverseModeTransform.Fusion.cs builds one), and where the rest of the reverse
    /// sweep goes around them.
    /// </summary>
    /// <remarks>
    /// <para>The reverse sweep is a sequence of units, one per top-level statement, run last statement first. Fusing the
    /// loop of statement k moves its unit into the forward sweep, at the loop. The adjoints that unit reads (the loop's
    /// accumulators', <c>_d_total</c>) must then be final before the loop runs: the units of later statements that give
    /// them — the backward slice of those adjoints, <c>_d_t37 = _d_result; _d_total = _d_t37</c> for
    /// <c>return total - … + prior</c> — are hoisted to just before the loop, in their own order. Every other unit keeps its
    /// place in the reverse sweep (the reverse of a later loop over the prior's parameters, of <c>LogSumExp(alphas)</c>).</para>
    /// <para>The precise condition, checked on the whole plan (every fused loop and hoisted unit at once), conservative
    /// by design — anything it cannot show safe is not fused:</para>
    /// <list type="number">
    /// <item>A hoisted unit is straight-line code (no loop, nothing taken off the tape) that writes adjoints only, and
    /// reads no variable that the forward sweep writes from the fused loop on: it sees the values the original reverse
    /// sweep saw. A unit that reads what the loop computes (<c>return total * total</c>, <c>Math.Log(total)</c>: the
    /// seed of <c>total</c> needs <c>total</c>) or what the loop or a later statement overwrote cannot be hoisted, so the
    /// loop is not fused.</item>
    /// <item>Every pair of units whose order changes (a moved unit — fused or hoisted — against any other) commutes: neither
    /// writes what the other reads, and a variable both write is only ever accumulated into by both (<c>+=</c>, a
    /// <c>…Backward</c> call, a vector added into an adjoint window), which does not depend on order.</item>
    /// <item>A unit left in the reverse sweep reads nothing a fused loop leaves other than the original reverse sweep
    /// would have: before the loop's statement, nothing the loop writes (the fused loop restores nothing); after it,
    /// nothing its iterations' reverse writes (the restores kept inside nested loops).</item>
    /// </list>
    /// <para>Loops are tried from the last to the first; one that would break the plan is left as it was.</para>
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>What a unit of the reverse sweep reads and writes, for the ordering checks.</summary>
        private sealed class UnitEffects
        {
            public HashSet<IrVariable> Reads { get; } = new();
            public HashSet<IrVariable> Writes { get; } = new();

            /// <summary>Variables written other than by accumulation (assigned, reset, restored).</summary>
            public HashSet<IrVariable> Overwrites { get; } = new();

            /// <summary>A statement whose effects are not known (a call run for its effect): commutes with nothing.</summary>
            public bool Opaque { get; set; }

            public bool HasLoop { get; set; }
            public bool PopsTape { get; set; }

            public static UnitEffects Of(IReadOnlyList<IrStatement> statements)
            {
                var effects = new UnitEffects();
                // One list of reads and one of writes for every statement of the unit (a unit may be a whole loop's reverse).
                var reads = new List<IrVariable>();
                var writes = new List<(IrVariable Variable, bool Accumulates)>();
                foreach (IrStatement statement in IrWalker.AllStatements(statements))
                {
                    reads.Clear();
                    AddValueReads(statement, reads);
                    foreach (IrVariable read in reads) effects.Reads.Add(read);
                    writes.Clear();
                    AddWritesOf(statement, writes);
                    foreach ((IrVariable variable, bool accumulates) in writes)
                    {
                        effects.Writes.Add(variable);
                        if (!accumulates) effects.Overwrites.Add(variable);
                    }
                    // A SpanBuffers call (copy, clear, return of a pooled buffer) reads and writes what it names; any
                    // other effect is unknown.
                    effects.Opaque |= statement is IrThrow || (statement is IrEffect effect && !IsSpanBufferCall(effect));
                    if (statement is IrEffect buffers && IsSpanBufferCall(buffers))
                    {
                        foreach (IrVariable named in buffers.Expression.ReadVariables())
                        {
                            effects.Writes.Add(named);
                            effects.Overwrites.Add(named);
                        }
                    }
                    effects.HasLoop |= statement is IrLoop or IrRepeat;
                    effects.PopsTape |= statement is IrTapePopSpan || (statement is IrAssign a && a.Value is IrTapePop);
                }
                return effects;
            }

            /// <summary>
            /// The adjoint part: what a fused loop's reverse needs to commute with other units. The primal values it reads
            /// are its own iteration's, right where it runs; what it restores is checked apart (remarks, condition 3).
            /// </summary>
            public UnitEffects AdjointsOnly()
            {
                var effects = new UnitEffects { Opaque = Opaque, HasLoop = HasLoop, PopsTape = PopsTape };
                effects.Reads.UnionWith(Reads.Where(v => v.Role == IrVariableRole.Adjoint));
                effects.Writes.UnionWith(Writes.Where(v => v.Role == IrVariableRole.Adjoint));
                effects.Overwrites.UnionWith(Overwrites.Where(v => v.Role == IrVariableRole.Adjoint));
                return effects;
            }

            /// <summary>Whether running the two units in either order gives the same state.</summary>
            public bool CommutesWith(UnitEffects other) =>
                !Opaque && !other.Opaque
                && !Writes.Overlaps(other.Reads) && !other.Writes.Overlaps(Reads)
                && !Overwrites.Overlaps(other.Writes) && !other.Overwrites.Overlaps(Writes);
        }

        /// <summary>Each variable a statement itself writes, and whether it only accumulates into it.</summary>
        private static IEnumerable<(IrVariable Variable, bool Accumulates)> WritesOf(IrStatement statement)
        {
            var writes = new List<(IrVariable Variable, bool Accumulates)>();
            AddWritesOf(statement, writes);
            return writes;
        }

        /// <summary>Adds what <see cref="WritesOf"/> returns to <paramref name="writes"/> (one list for a whole walk).</summary>
        private static void AddWritesOf(IrStatement statement, List<(IrVariable Variable, bool Accumulates)> writes)
        {
            switch (statement)
            {
                case IrAccumulate s: writes.Add((s.Target, true)); break;
                case IrElementAccumulate s: writes.Add((s.Array, true)); break;
                case IrSimdStore s: writes.Add((s.DestinationArray, s.Accumulate)); break;
                case IrSpanStore s: writes.Add((s.DestinationArray, IsAccumulatingSpanStore(s))); break;
                case IrBackwardCall s:
                    foreach (IrVariable? adjoint in s.Adjoints)
                    {
                        if (adjoint is not null) writes.Add((adjoint, true));
                    }
                    break;
                case IrRepeat s: writes.Add((s.Counter, false)); break;
                case IrLoop { TripCounter: { } trips }: writes.Add((trips, false)); break;
                case IrTangentCall s:
                    if (s.Target is not null) writes.Add((s.Target, false));
                    writes.Add((s.ResultTangent, false));
                    break;
                default:
                    if (IrWalker.WriteOf(statement) is { } written) writes.Add((written, false));
                    break;
            }
        }

        /// <summary>
        /// The fused sweeps with every top-level loop that can be fused fused, or null when none can (see the remarks
        /// above for the conditions). <paramref name="fusedLoops"/> lists the loops fused.
        /// </summary>
        private (IrBlock Forward, IrBlock Reverse)? TryFuseLoops(IrVariable resultAdjoint, HashSet<IrVariable> own, HashSet<IrVariable> needed, out List<IrLoop> fusedLoops)
        {
            fusedLoops = new List<IrLoop>();
            // SIMD stores write Count elements at once: the per-element reasoning of the restores does not cover them.
            // (SIMD loads are fine: their reverse adds into an adjoint window. Span primitives: see TryFuseIterations.)
            if (IrWalker.AllStatements(_function.Body).Any(s => s is IrSimdStore)) return null;

            // Straight-line methods (most of the long ones) have nothing to fuse: nothing below runs for them.
            if (!_topLevel.Any(p => p.Statement is IrLoop)) return null;
            int count = _topLevel.Count;
            var units = _topLevel.Select(p => UnitEffects.Of(p.Reverse)).ToArray();
            // What the forward sweep writes from statement k on, for the loops' k only (one walk each).
            var written = new Dictionary<int, HashSet<IrVariable>>();
            HashSet<IrVariable> WrittenFrom(int k)
            {
                if (!written.TryGetValue(k, out HashSet<IrVariable>? set))
                {
                    written[k] = set = new HashSet<IrVariable>(_topLevel.Skip(k).SelectMany(p => p.Forward).SelectMany(IrWalker.Deep).SelectMany(WritesOf).Select(w => w.Variable));
                }
                return set;
            }

            var fused = new Dictionary<int, (FusedIterations Loop, UnitEffects Effects)>();
            var hoistedBefore = new Dictionary<int, int>();
            var candidates = new Dictionary<int, FusedIterations?>();
            // Last loop first; again while a pass fuses one more (fusing a loop can free an earlier one, whose unit it no
            // longer has to run after: a SIMD loop and its scalar tail share their counter).
            for (bool grown = true; grown;)
            {
                grown = false;
                for (int k = count - 1; k >= 0; k--)
                {
                    if (fused.ContainsKey(k)) continue;
                    if (!candidates.TryGetValue(k, out FusedIterations? candidate)) candidates[k] = candidate = TryFuseIterations(k);
                    if (candidate is null) continue;
                    var candidateEffects = UnitEffects.Of(candidate.Reverse.Statements);
                    var withCandidate = new Dictionary<int, (FusedIterations Loop, UnitEffects Effects)>(fused) { [k] = (candidate, candidateEffects) };
                    if (AdjointSlice(k, candidateEffects, units, withCandidate) is not { } slice) continue;
                    var hoisted = new Dictionary<int, int>(hoistedBefore);
                    foreach (int j in slice)
                    {
                        // A unit another fused loop hoisted already runs before the earlier of the two loops.
                        hoisted[j] = hoisted.TryGetValue(j, out int before) ? System.Math.Min(before, k) : k;
                    }
                    if (!IsSafeOrder(units, withCandidate, hoisted, WrittenFrom)) continue;
                    fused = withCandidate;
                    hoistedBefore = hoisted;
                    grown = true;
                }
            }
            if (fused.Count == 0) return null;

            var forward = new IrBlock();
            for (int i = 0; i < count; i++)
            {
                if (!fused.TryGetValue(i, out var loop))
                {
                    forward.AddRange(_topLevel[i].Forward);
                    continue;
                }
                var before = hoistedBefore.Where(h => h.Value == i).Select(h => h.Key).OrderByDescending(j => j).ToList();
                if (before.Count > 0)
                {
                    forward.Add(new IrComment("Adjoints of what the loop below computes, known before it runs:"));
                    foreach (int j in before) forward.AddRange(_topLevel[j].Reverse);
                }
                forward.AddRange(loop.Loop.Forward);
            }
            var reverse = new IrBlock();
            for (int i = count - 1; i >= 0; i--)
            {
                if (!fused.ContainsKey(i) && !hoistedBefore.ContainsKey(i)) reverse.AddRange(_topLevel[i].Reverse);
            }

            // The zero-adjoint pass over both sweeps; adjoints the forward sweep writes are not known zero in reverse.
            var adjoints = _adjoints.Values.Where(a => a != resultAdjoint).ToList();
            IrBlock fusedForward = ZeroAdjoints.Apply(forward, adjoints);
            var writtenForward = new HashSet<IrVariable>(IrWalker.AllStatements(fusedForward).SelectMany(AdjointWrites));
            IrBlock fusedReverse = ZeroAdjoints.Apply(reverse, adjoints.Where(a => !writtenForward.Contains(a)));

            // What the reverse sweep reads is restored by it (it is a part of the original one, so this holds; kept as a guard).
            if (!IrWalker.AllStatements(fusedReverse).SelectMany(IrWalker.ReadsOf).Where(own.Contains).All(needed.Contains)) return null;
            // The nested loops fused inside them count too: a recomputed one must be transformed again without its re-run.
            fusedLoops.AddRange(fused.OrderBy(f => f.Key).SelectMany(f => new[] { f.Value.Loop.Loop }.Concat(f.Value.Loop.Nested)));
            return (fusedForward, fusedReverse);
        }

        /// <summary>
        /// The statements after loop <paramref name="k"/> whose units give the adjoints its iterations' reverse reads
        /// (and, transitively, the adjoints those units read): hoisted before the loop. Null when one of them cannot be
        /// hoisted (a loop, or a unit the remarks' first condition rules out).
        /// </summary>
        private HashSet<int>? AdjointSlice(int k, UnitEffects loop, UnitEffects[] units, Dictionary<int, (FusedIterations Loop, UnitEffects Effects)> fused)
        {
            var wanted = new HashSet<IrVariable>(loop.Reads.Where(v => v.Role == IrVariableRole.Adjoint));
            var slice = new HashSet<int>();
            for (bool grown = true; grown;)
            {
                grown = false;
                for (int j = units.Length - 1; j > k; j--)
                {
                    if (slice.Contains(j)) continue;
                    UnitEffects unit = fused.TryGetValue(j, out var other) ? other.Effects : units[j];
                    if (!unit.Writes.Overlaps(wanted)) continue;
                    // A later fused loop's reverse runs after this loop: it cannot give this loop its seeds.
                    if (fused.ContainsKey(j) || unit.HasLoop || unit.PopsTape || unit.Opaque) return null;
                    slice.Add(j);
                    wanted.UnionWith(unit.Reads.Where(v => v.Role == IrVariableRole.Adjoint));
                    grown = true;
                }
            }
            return slice;
        }

        /// <summary>Whether the plan keeps every value the units read as it was (the three conditions of the remarks).</summary>
        private bool IsSafeOrder(UnitEffects[] units, Dictionary<int, (FusedIterations Loop, UnitEffects Effects)> fused, Dictionary<int, int> hoistedBefore,
            System.Func<int, HashSet<IrVariable>> writtenFrom)
        {
            int count = units.Length;
            UnitEffects EffectsOf(int i) => fused.TryGetValue(i, out var f) ? f.Effects.AdjointsOnly() : units[i];

            // 1. Hoisted units: adjoints only, straight line, nothing read that the forward sweep changes from the loop on.
            foreach (KeyValuePair<int, int> hoisted in hoistedBefore)
            {
                UnitEffects unit = units[hoisted.Key];
                int k = hoisted.Value;
                if (unit.HasLoop || unit.PopsTape || unit.Opaque || unit.Writes.Any(v => v.Role != IrVariableRole.Adjoint)
                    || unit.Reads.Any(v => v.Role != IrVariableRole.Adjoint && writtenFrom(k).Contains(v)))
                {
                    return false;
                }
            }

            // 2. The new order: per fused loop, its hoisted units (last statement first) then the loop, in forward order;
            // then the remaining units, last statement first. The original order is last statement first throughout.
            var position = new int[count];
            int next = 0;
            for (int i = 0; i < count; i++)
            {
                if (!fused.ContainsKey(i)) continue;
                foreach (int j in hoistedBefore.Where(h => h.Value == i).Select(h => h.Key).OrderByDescending(j => j)) position[j] = next++;
                position[i] = next++;
            }
            for (int i = count - 1; i >= 0; i--)
            {
                if (!fused.ContainsKey(i) && !hoistedBefore.ContainsKey(i)) position[i] = next++;
            }
            foreach (int moved in fused.Keys.Concat(hoistedBefore.Keys))
            {
                for (int other = 0; other < count; other++)
                {
                    if (other == moved) continue;
                    (int later, int earlier) = moved > other ? (moved, other) : (other, moved);
                    // Originally the later statement's unit ran first; it now runs after: they must commute.
                    if (position[later] > position[earlier] && !EffectsOf(later).CommutesWith(EffectsOf(earlier))) return false;
                }
            }

            // 3. What a fused loop no longer restores.
            foreach (KeyValuePair<int, (FusedIterations Loop, UnitEffects Effects)> entry in fused)
            {
                (int k, var loop) = (entry.Key, entry.Value);
                var loopWrites = new HashSet<IrVariable>(IrWalker.AllStatements(loop.Loop.Forward).SelectMany(WritesOf).Select(w => w.Variable)
                    .Where(v => v.Role != IrVariableRole.Adjoint));
                var iterationWrites = new HashSet<IrVariable>(loop.Effects.Writes.Where(v => v.Role != IrVariableRole.Adjoint));
                for (int m = 0; m < count; m++)
                {
                    // The forward sweep after the loop must not read what its iterations' reverse restored either.
                    if (m > k && IrWalker.AllStatements(_topLevel[m].Forward).SelectMany(IrWalker.ReadsOf).Any(iterationWrites.Contains)) return false;
                    if (fused.ContainsKey(m) || hoistedBefore.ContainsKey(m)) continue;
                    if (units[m].Reads.Overlaps(m < k ? loopWrites : iterationWrites)) return false;
                }
            }
            return true;
        }
    }
}
