using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Nested fusion: inside the iteration of a loop being fused, a loop of its body whose own iterations are independent
    /// is fused too — each of its iterations reversed right after it, inside the enclosing iteration's forward part — so
    /// nothing of it is recorded per inner trip (the per-row <c>y</c> of a triangular product <c>y += L[i, j] · r[j]</c>
    /// inside a per-sample loop), the way a hand-written gradient is written.
    /// </summary>
    /// <remarks>
    /// <para>The enclosing iteration is a block of statements (pieces) 0 … m − 1, each with its forward part F and its
    /// reverse part R; it runs F₀ … Fₘ₋₁ then Rₘ₋₁ … R₀. Fusing the loop of piece k (by the same rules as a top-level loop,
    /// <see cref="TryFuseIterations(IrLoop, List{IrStatement})"/>, its own nested loops first) moves Rₖ into Fₖ, ahead of
    /// Fₖ₊₁ … and Rₖ₊₁ …. Unlike a top-level loop no later unit is hoisted: the adjoints Rₖ reads must already be final
    /// when the enclosing iteration runs (the enclosing fusion hoists what gives them). The conditions, conservative:</para>
    /// <list type="number">
    /// <item>Rₖ's adjoint effects commute with every piece after k, forward and reverse parts alike (neither writes what the
    /// other reads, a variable both write only accumulated into), and with the reverse of every other fused loop of the
    /// block (their order swaps).</item>
    /// <item>Nothing after k reads what Rₖ's iterations restore (restores kept inside loops nested in it): it now runs
    /// before them.</item>
    /// <item>No reverse part before k reads what Fₖ writes or Rₖ restores: Fₖ's values are no longer restored.</item>
    /// </list>
    /// <para>The loops whose iterations are not independent (the inner product <c>for (j …) y += …</c> itself, whose
    /// reverse reads <c>_d_y</c>, given by the later <c>quadratic += y * y</c>) stay in the enclosing iteration's reverse,
    /// as before. Triangular bounds (<c>j = i + 1</c>) need nothing special: a fused loop's iteration count is never
    /// recorded, and a loop left in the reverse computes its count from its bounds (<see cref="CountedLoop"/>).</para>
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>Each block transformed (by reference) → its statements' forward and reverse pieces, in order.</summary>
        private readonly Dictionary<object, List<TopLevelPiece>> _piecesOf = new(ReferenceComparer<object>.Instance);

        /// <summary>
        /// A loop body with its fused nested loops: the forward part (each such loop replaced by its fused form), the
        /// reverse part (without their reverses), what those reverses do per iteration (for the enclosing loop's checks),
        /// and the loops fused (nested ones at any depth included).
        /// </summary>
        private sealed record NestedFusion(IrBlock BodyForward, IrBlock BodyReverse, List<IrStatement> Reverse, List<IrLoop> Loops);

        /// <summary>The body of <paramref name="loop"/> with every nested loop that can be fused inside its iterations fused.</summary>
        private NestedFusion FuseNestedLoops(IrLoop loop, LoopParts parts)
        {
            var none = new NestedFusion(parts.BodyForward, parts.BodyReverse, new List<IrStatement>(), new List<IrLoop>());
            if (!_piecesOf.TryGetValue(loop.Body, out List<TopLevelPiece>? pieces) || !pieces.Any(p => p.Statement is IrLoop && p.Reverse.Count > 0))
            {
                return none;
            }
            var forwardEffects = pieces.Select(p => UnitEffects.Of(p.Forward)).ToArray();
            var reverseEffects = pieces.Select(p => UnitEffects.Of(p.Reverse)).ToArray();
            var fused = new Dictionary<int, (FusedIterations Loop, UnitEffects Effects)>();
            // Last loop first, as at the top level; a candidate is checked against those already fused (all after it).
            for (int k = pieces.Count - 1; k >= 0; k--)
            {
                if (pieces[k].Statement is not IrLoop inner || pieces[k].Reverse.Count == 0) continue;
                if (TryFuseIterations(inner, pieces[k].Forward) is not { } candidate) continue;
                var effects = UnitEffects.Of(candidate.Reverse.Statements);
                if (!IsSafeInTheIteration(k, candidate, effects, forwardEffects, reverseEffects, fused)) continue;
                fused[k] = (candidate, effects);
            }
            if (fused.Count == 0) return none;

            // The fused loop's forward statements take the place of its piece's; its reverse piece leaves.
            var replacements = new Dictionary<object, List<IrStatement>>(ReferenceComparer<object>.Instance);
            var removed = new HashSet<object>(ReferenceComparer<object>.Instance);
            foreach (KeyValuePair<int, (FusedIterations Loop, UnitEffects Effects)> entry in fused)
            {
                TopLevelPiece piece = pieces[entry.Key];
                replacements[piece.Forward[0]] = entry.Value.Loop.Forward;
                removed.UnionWith(piece.Forward.Skip(1));
                removed.UnionWith(piece.Reverse);
            }
            var bodyForward = new IrBlock();
            foreach (IrStatement statement in parts.BodyForward.Statements)
            {
                if (replacements.TryGetValue(statement, out List<IrStatement>? with)) bodyForward.AddRange(with);
                else if (!removed.Contains(statement)) bodyForward.Add(statement);
            }
            var bodyReverse = new IrBlock(parts.BodyReverse.Statements.Where(s => !removed.Contains(s)));
            var ordered = fused.OrderBy(f => f.Key).Select(f => f.Value.Loop).ToList();
            return new NestedFusion(bodyForward, bodyReverse, ordered.SelectMany(l => l.Reverse.Statements).ToList(),
                ordered.SelectMany(l => new[] { l.Loop }.Concat(l.Nested)).ToList());
        }

        /// <summary>Whether piece <paramref name="k"/>'s loop may run its reverse inside the enclosing iteration's forward part (the remarks' conditions).</summary>
        private static bool IsSafeInTheIteration(int k, FusedIterations candidate, UnitEffects effects, UnitEffects[] forwardEffects, UnitEffects[] reverseEffects,
            Dictionary<int, (FusedIterations Loop, UnitEffects Effects)> fused)
        {
            UnitEffects moved = effects.AdjointsOnly();
            // An induction index the reverse steps back is given back its forward value (TryFuseIterations): no change seen.
            var restored = new HashSet<IrVariable>(effects.Writes.Where(v => v.Role != IrVariableRole.Adjoint).Except(candidate.Inductions));
            var forwardWrites = new HashSet<IrVariable>(IrWalker.AllStatements(candidate.Forward).SelectMany(WritesOf).Select(w => w.Variable)
                .Where(v => v.Role != IrVariableRole.Adjoint));
            for (int j = 0; j < forwardEffects.Length; j++)
            {
                if (j == k) continue;
                if (fused.TryGetValue(j, out var other))
                {
                    // Both fused (j > k): their reverses swap order, and j's forward part runs after k's reverse.
                    if (!moved.CommutesWith(other.Effects.AdjointsOnly())) return false;
                    if (IrWalker.AllStatements(other.Loop.Forward).SelectMany(IrWalker.ReadsOf).Any(restored.Contains)) return false;
                    continue;
                }
                if (j > k)
                {
                    if (!moved.CommutesWith(forwardEffects[j]) || !moved.CommutesWith(reverseEffects[j])) return false;
                    if (forwardEffects[j].Reads.Overlaps(restored) || reverseEffects[j].Reads.Overlaps(restored)) return false;
                }
                else if (reverseEffects[j].Reads.Overlaps(forwardWrites) || reverseEffects[j].Reads.Overlaps(restored))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
