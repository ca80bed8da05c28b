using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Analysis;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;
using ArrayLayout = AutoDiffGen.Generator.Engine.Ir.ArrayLayout;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// The Reverse stage: turns a lowered function into a forward sweep (the original statements plus what the reverse
    /// sweep needs recorded) and a reverse sweep (the statements in reverse order, each accumulating its partial
    /// derivatives into the adjoints of its operands) — back-propagation over the function's computational graph.
    /// </summary>
    /// <remarks>
    /// <para>Invariant of the reverse sweep: when a statement is reversed, every variable the reverse sweep reads holds
    /// the value it had right after that statement ran forward. Each assignment that overwrites such a variable restores
    /// it on the way back: by inverting it (<c>i = i + 1</c> → <c>i = i - 1</c>), from a local saved before it (outside
    /// loops), or from the tape (inside loops). Which variables need that is found by iterating to a fixed point, so
    /// nothing is stored that the reverse sweep does not read.</para>
    /// <para>Branches reverse on their (restored) condition; a loop counts its iterations and its reversal runs the
    /// reversed body that many times; a differentiable call becomes a call of its <c>…Backward</c>.</para>
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        private readonly IrFunction _function;
        private readonly ActivityAnalysis _activity;
        private readonly IrVariableFactory _extra;
        private readonly Dictionary<IrVariable, IrVariable> _adjoints = new();
        private readonly Dictionary<IrVariable, int> _assignmentCounts;
        private readonly HashSet<IrVariable> _needed;

        private readonly Dictionary<IrVariable, IrExpression> _recompute;
        private readonly Dictionary<IrStatement, List<(IrVariable Local, IrExpression Value)>> _recomputedLocals;
        private readonly HashSet<IrVariable> _assignedAdjoints;

        /// <summary>
        /// Temporaries whose adjoint receives exactly one contribution, right after the temporary is defined in the
        /// same straight-line block: a temporary defined once and read once, by a later plain assignment or element
        /// write of the same block. Their adjoints are assigned rather than accumulated, and never reset.
        /// </summary>
        private static HashSet<IrVariable> SingleContributionTemporaries(IrFunction function)
        {
            var definitions = new Dictionary<IrVariable, int>();
            var reads = new Dictionary<IrVariable, int>();
            // One list for every statement's reads (both walks).
            var readsOfStatement = new List<IrVariable>();
            foreach (IrStatement statement in IrWalker.AllStatements(function.Body))
            {
                if (statement is IrAssign assign)
                {
                    definitions.TryGetValue(assign.Target, out int count);
                    definitions[assign.Target] = count + 1;
                }
                readsOfStatement.Clear();
                IrWalker.AddReadsOf(statement, readsOfStatement);
                foreach (IrVariable read in readsOfStatement)
                {
                    reads.TryGetValue(read, out int count);
                    reads[read] = count + 1;
                }
            }
            var result = new HashSet<IrVariable>();
            void Visit(IrBlock block)
            {
                var definedHere = new HashSet<IrVariable>();
                foreach (IrStatement statement in block.Statements)
                {
                    if (statement is IrAssign { Value: not IrDifferentiableCall } or IrElementWrite)
                    {
                        readsOfStatement.Clear();
                        IrWalker.AddReadsOf(statement, readsOfStatement);
                        foreach (IrVariable read in readsOfStatement)
                        {
                            if (definedHere.Contains(read) && reads[read] == 1) result.Add(read);
                        }
                    }
                    if (statement is IrAssign { Target: { Role: IrVariableRole.Temporary } target } && definitions[target] == 1)
                    {
                        definedHere.Add(target);
                    }
                    foreach (IrBlock child in IrWalker.ChildBlocks(statement)) Visit(child);
                }
            }
            Visit(function.Body);
            return result;
        }

        /// <summary>Assignments whose restore the reverse sweep never reads (see <see cref="DeadRestores"/>): not restored.</summary>
        private readonly HashSet<object> _unrestored;

        /// <summary>Each restore statement of the reverse sweep → the assignment or element write it undoes (by reference).</summary>
        private readonly Dictionary<object, IrStatement> _restoreOf = new(ReferenceComparer<object>.Instance);

        /// <summary>
        /// What a round of <see cref="Transform(IrFunction, ActivityAnalysis, FunctionAnalyses, HashSet{object}, HashSet{object}, Func{List{IrLoop}, List{IrLoop}, bool}, out List{IrLoop}, out List{IrLoop}, out List{IrLoop})"/>
        /// decides from the function alone: how often each variable is assigned, and which loops are recomputed or
        /// checkpointed. The later rounds (a grown needed set, dropped restores) take them over instead of deciding again:
        /// choosing the loops walks each loop several times (6% of the engine on a long loop body, three times over).
        /// </summary>
        /// <remarks>
        /// The index of each loop (<see cref="FactsOf"/>) is shared too: the function's loops do not change between rounds
        /// (only the sweeps built from them do, and only in the last round). So is the state each checkpointed loop saves
        /// (<see cref="CheckpointState"/>), read from the function alone.
        /// </remarks>
        private sealed record FunctionChoices(Dictionary<IrVariable, int> AssignmentCounts, List<IrLoop> Recomputed, List<IrLoop> Checkpointed,
            Dictionary<object, LoopFacts> LoopFacts, Dictionary<object, (IrAssign? Previous, CheckpointStateSet? State)> CheckpointStates);

        private FunctionChoices Choices => new(_assignmentCounts, _recomputedLoops.Cast<IrLoop>().ToList(), _checkpointedLoops.Cast<IrLoop>().ToList(), _loopFacts,
            _checkpointStates);

        private ReverseModeTransform(IrFunction function, ActivityAnalysis activity, HashSet<IrVariable> needed, RecomputationPlan plan,
            HashSet<IrVariable> assignedAdjoints, HashSet<object> unrestored, HashSet<object> notRecomputed, FunctionChoices? earlierRound)
        {
            _recomputedLocals = plan.LocalsBefore;
            _recomputedCalls = plan.Calls;
            _recompute = plan.Temporaries;
            _unrestored = unrestored;
            _assignedAdjoints = assignedAdjoints;
            _function = function;
            _activity = activity;
            _needed = needed;
            _extra = new IrVariableFactory(firstId: function.Variables.Count);
            if (earlierRound is not null)
            {
                // Read-only after construction: shared with the earlier round.
                _assignmentCounts = earlierRound.AssignmentCounts;
                _loopFacts = earlierRound.LoopFacts;
                _checkpointStates = earlierRound.CheckpointStates;
                _recomputedLoops.UnionWith(earlierRound.Recomputed);
                _checkpointedLoops.UnionWith(earlierRound.Checkpointed);
                return;
            }
            _assignmentCounts = new Dictionary<IrVariable, int>();
            foreach (IrAssign assign in IrWalker.AllStatements(function.Body).OfType<IrAssign>())
            {
                _assignmentCounts.TryGetValue(assign.Target, out int count);
                _assignmentCounts[assign.Target] = count + 1;
            }
            foreach (IrLoop loop in RecomputableLoops(notRecomputed)) _recomputedLoops.Add(loop);
            foreach (IrLoop loop in CheckpointableLoops(notRecomputed)) _checkpointedLoops.Add(loop);
        }

        /// <param name="predictDeadRestores">
        /// Whether a round may leave out the restores the previous round predicts dead (ReverseModeTransform.PredictedRestores.cs).
        /// The program is the same either way; only the number of rounds differs (tests compare the two).
        /// </param>
        public static ReverseProgram Transform(IrFunction function, ActivityAnalysis activity, bool predictDeadRestores = true)
        {
            // A loop whose iterations are recomputed in reverse (ReverseModeTransform.Recompute.cs) or checkpointed, but
            // that fusion then reverses in place, needs neither: transform again without it, so that nothing it read is
            // restored (and a checkpointed loop's forward, which fusion does not rebuild, is plain again). Only a program
            // with no such loop fused is returned. If loops taken out of recomputation are not all fused in the next
            // round (the plan changed), they are recomputed again and not fused. Each round adds a loop to one of the
            // two sets, and a loop leaves notRecomputed only to join notFused, which never shrinks: this ends.
            var notRecomputed = new HashSet<object>(ReferenceComparer<object>.Instance);
            var notFused = new HashSet<object>(ReferenceComparer<object>.Instance);
            var lastRemoved = new List<IrLoop>();
            // What depends only on the function is found once, for every transform below: they differ only in the loops
            // recomputed and fused, which these analyses do not read (each took 5-10% of the engine on a long loop body
            // whose loop is recomputed, then fused, then transformed again).
            var shared = new FunctionAnalyses(function);
            // Nested loops recomputed for an iteration-output array whose enclosing loop was then not fused
            // (IterationOutputs.cs): never recomputed again, so this set only grows and the rounds it adds end too.
            var refusedOutputs = new HashSet<object>(ReferenceComparer<object>.Instance);
            while (true)
            {
                // A transform whose fused loops send the loop below round again is thrown away: its program is not finished.
                ReverseProgram? program = Transform(function, activity, shared, predictDeadRestores, notRecomputed, notFused,
                    (recomputed, fused) => recomputed.Count == 0 && AllFused(lastRemoved, fused), out List<IrLoop> fusedRecomputed, out List<IrLoop> fusedLoops,
                    out List<IrLoop> refused);
                if (refused.Count > 0)
                {
                    refusedOutputs.UnionWith(refused);
                    notRecomputed.UnionWith(refused);
                    continue;
                }
                if (!AllFused(lastRemoved, fusedLoops))
                {
                    notRecomputed.ExceptWith(lastRemoved.Where(l => !refusedOutputs.Contains(l)));
                    notFused.UnionWith(lastRemoved);
                    lastRemoved = new List<IrLoop>();
                    continue;
                }
                if (fusedRecomputed.Count == 0) return program!;
                notRecomputed.UnionWith(fusedRecomputed);
                lastRemoved = fusedRecomputed;
            }
        }

        /// <summary>Whether every loop of <paramref name="loops"/> is among <paramref name="fused"/> (by reference).</summary>
        private static bool AllFused(List<IrLoop> loops, List<IrLoop> fused)
        {
            if (loops.Count == 0) return true;
            var fusedNow = new HashSet<object>(fused, ReferenceComparer<object>.Instance);
            return loops.All(fusedNow.Contains);
        }

        /// <summary>
        /// The analyses of the function alone that every transform of it shares (see <see cref="Transform(IrFunction, ActivityAnalysis)"/>):
        /// read-only once made.
        /// </summary>
        private sealed class FunctionAnalyses
        {
            public FunctionAnalyses(IrFunction function)
            {
                Own = new HashSet<IrVariable>(function.Variables);
                using (PassTimings.Time("Reverse.Recomputation")) Plan = RecomputationAnalysis.AnalyzeAll(function);
                using (PassTimings.Time("Reverse.SingleContribution")) AssignedAdjoints = SingleContributionTemporaries(function);
            }

            /// <summary>The function's own variables.</summary>
            public HashSet<IrVariable> Own { get; }

            public RecomputationPlan Plan { get; }

            /// <summary>See <see cref="SingleContributionTemporaries"/>.</summary>
            public HashSet<IrVariable> AssignedAdjoints { get; }
        }

        /// <param name="finish">
        /// Given the recomputed loops fused and all loops fused, whether the caller keeps this transform's program; when it
        /// does not (it transforms again with other choices), the passes after fusion are skipped and null is returned.
        /// </param>
        /// <param name="refused">Loops to transform again without recomputing them (IterationOutputs.cs); when there are any,
        /// null is returned.</param>
        private static ReverseProgram? Transform(IrFunction function, ActivityAnalysis activity, FunctionAnalyses shared, bool predictDeadRestores, HashSet<object> notRecomputed,
            HashSet<object> notFused, Func<List<IrLoop>, List<IrLoop>, bool> finish, out List<IrLoop> fusedRecomputed, out List<IrLoop> fusedLoops,
            out List<IrLoop> refused)
        {
            fusedRecomputed = new List<IrLoop>();
            fusedLoops = new List<IrLoop>();
            refused = new List<IrLoop>();
            // Iterate: build both sweeps for the current set of needed variables; anything of the function's own that the
            // reverse sweep reads and is not yet restored joins the set. The set only grows, so this ends.
            HashSet<IrVariable> own = shared.Own;
            RecomputationPlan plan = shared.Plan;
            HashSet<IrVariable> assignedAdjoints = shared.AssignedAdjoints;
            var needed = new HashSet<IrVariable>();
            var unrestored = new HashSet<object>(ReferenceComparer<object>.Instance);
            FunctionChoices? choices = null;
            // Elementary values recomputed in reverse by an earlier round stay recomputed (RecomputeCalls.cs).
            var recomputedCalls = new HashSet<object>(ReferenceComparer<object>.Instance);
            // The restores the last round predicts dead, left out of this round's forward sweep (PredictedRestores.cs).
            HashSet<object>? prediction = null;
            while (true)
            {
                ReverseModeTransform transform;
                IrBlock forward, reverse;
                using (PassTimings.Time("Reverse.Sweeps"))
                {
                    transform = new ReverseModeTransform(function, activity, needed, plan, assignedAdjoints, unrestored, notRecomputed, choices)
                        { _notFused = notFused, _recomputedCallsChosen = recomputedCalls, _prediction = prediction,
                        // Anchored only where the prediction is made: in a round that restores what it knows to be read and no less.
                        _anchors = predictDeadRestores && prediction is null && unrestored.Count == 0 ? new(ReferenceComparer<IrStatement>.Instance) : null };
                    prediction = null;
                    choices ??= transform.Choices;
                    (forward, reverse) = transform.TransformBlock(function.Body, inLoop: false);
                }
                IrBlock builtReverse = reverse;
                IrVariable resultAdjoint = transform.Adjoint(function.Result);
                IrBlock outputSeeds = transform.SeedOutputs();
                var seeded = new HashSet<IrVariable>(function.Outputs.Where(o => activity.IsActive(o.Variable)).Select(o => transform.Adjoint(o.Variable))) { resultAdjoint };
                using (PassTimings.Time("Reverse.ZeroAdjoints")) reverse = ZeroAdjoints.Apply(reverse, transform._adjoints.Values.Where(a => !seeded.Contains(a)));

                // First grow the set of restored variables to a fixed point: a restore may look dead while the reverse
                // sweep is incomplete (a branch whose reverse is still empty does not yet re-test its condition, which
                // reads the variable). Only once every read of the reverse sweep is restored is liveness final.
                // (Forward loops and tape pushes in the reverse sweep belong to recomputed iterations: a push reads only for
                // its own restore, a loop's condition what its head has just computed.)
                List<IrVariable> unneeded;
                using (PassTimings.Time("Reverse.Reads")) unneeded = OwnReadsNotIn(reverse, own, needed);
                if (unneeded.Count > 0)
                {
                    needed = new HashSet<IrVariable>(needed);
                    needed.UnionWith(unneeded);
                    // Restores dropped against a smaller set may be read now: decide them again.
                    unrestored.Clear();
                    if (transform._anchors is not null)
                    {
                        using (PassTimings.Time("Reverse.PredictedRestores")) prediction = transform.PredictDeadRestores(builtReverse);
                    }
                    continue;
                }

                // Then the restores nothing reads go, with what they cost forward (a tape push, a saved copy): dropping
                // one only removes reads, so repeating this shrinks the reverse sweep until nothing more is dead.
                HashSet<IrStatement> dead;
                using (PassTimings.Time("Reverse.DeadRestores"))
                {
                    IEnumerable<IrVariable> liveAfter = transform.ReadAfterTheSweeps(transform._adjoints.Values);
                    // The restores still in the reverse sweep (by reference), in the order they were made: a set of the
                    // restores, not of every statement of the sweep.
                    var present = new HashSet<object>(ReferenceComparer<object>.Instance);
                    foreach (IrStatement statement in IrWalker.AllStatements(reverse))
                    {
                        if (transform._restoreOf.ContainsKey(statement)) present.Add(statement);
                    }
                    dead = DeadRestores.Find(reverse, transform._restoreOf.Keys.Where(present.Contains).Cast<IrStatement>().ToList(), liveAfter,
                        transform.WholeArrayFills(reverse));
                }
                // A round with phantoms is kept only if they, and nothing else, are dead, and removing them changes no
                // block's shape; otherwise the next round leaves out what is dead, phantoms included, as without them.
                bool kept;
                using (PassTimings.Time("Reverse.DeadRestores")) kept = transform.MadePhantoms && transform.RemoveVerifiedPhantoms(reverse, dead);
                // Counted (no time of its own), so tests can tell a kept prediction from a refuted one.
                if (transform.MadePhantoms) PassTimings.Time(kept ? "Reverse.PredictionKept" : "Reverse.PredictionRefuted").Dispose();
                if (!kept && dead.Count > 0)
                {
                    foreach (IrStatement restore in dead) unrestored.Add(transform._restoreOf[restore]);
                    continue;
                }
                if (!kept && transform.MadePhantoms) continue;
                bool fused = false;
                // Fusion reverses loops as they run, seeded by the result alone; outputs written in them would be seeded too late.
                (IrBlock Forward, IrBlock Reverse)? fusion;
                using (PassTimings.Time("Reverse.Fusion")) fusion = function.Outputs.IsEmpty ? transform.TryFuseLoops(resultAdjoint, own, needed, out fusedLoops) : null;
                if (fusion is not null)
                {
                    (forward, reverse, fused) = (fusion.Value.Forward, fusion.Value.Reverse, true);
                    fusedRecomputed = fusedLoops.Where(l => transform._recomputedLoops.Contains(l) || transform._checkpointedLoops.Contains(l)).ToList();
                }
                // A nested loop recomputed for an array it leaves per iteration needs the loop around it fused (IterationOutputs.cs).
                refused = transform.IterationOutputsUnfused(fusedLoops);
                if (refused.Count > 0) return null;
                if (!finish(fusedRecomputed, fusedLoops)) return null;
                transform.SettleExpectations(forward, reverse, fusedLoops);
                using (PassTimings.Time("Reverse.Peepholes"))
                {
                    MatrixAdjoints.Flatten(transform._prologue, forward, reverse, transform._epilogue, transform._cleanup, transform._extra);
                    Peepholes.CancelElementResets(forward);
                    Peepholes.CancelElementResets(reverse);
                    Peepholes.MergeElementAccumulations(forward);
                    Peepholes.MergeElementAccumulations(reverse);
                }
                // After both sweeps only the parameters' adjoints, the result and what the epilogue reads matter.
                var readAfter = transform.ReadAfterTheSweeps(
                    transform._adjoints.Where(p => p.Key.Role == IrVariableRole.Parameter || p.Value.Type.Kind == IrTypeKind.Array).Select(p => p.Value)).ToList();
                using (PassTimings.Time("Reverse.ZeroSeedLoops")) ZeroSeedLoops.Guard(reverse, readAfter);
                using (PassTimings.Time("Reverse.DeadAdjointResets")) DeadRestores.RemoveDeadAdjointResets(forward, reverse, readAfter);
                using (PassTimings.Time("Reverse.Peepholes")) Peepholes.MergeAdjacentGuards(reverse);
                // Last: no pass before it needs to know the loop form it makes.
                using (PassTimings.Time("Reverse.CountedDownLoops")) CountedDownLoops.Apply(forward, reverse, readAfter);
                (IrBlock capture, IrBlock release) = transform.CaptureOutputs(reverse);
                return new ReverseProgram(function, activity, forward, reverse, resultAdjoint,
                    new Dictionary<IrVariable, IrVariable>(transform._adjoints), transform._extra.Variables)
                {
                    OutputSeeds = outputSeeds,
                    OutputCapture = capture,
                    OutputRelease = release,
                    Prologue = transform._prologue,
                    Epilogue = transform._epilogue,
                    // The function's own rentals (a closed tangent program's) stay alive until the reverse sweep is done.
                    Cleanup = new IrBlock(function.Cleanup.Statements.Concat(transform._cleanup.Statements)),
                    SeedBeforeForward = fused,
                    FusedLoops = fusedLoops.Count,
                };
            }
        }

        /// <summary>
        /// The function's own variables (<paramref name="own"/>) that statements of the reverse sweep read and that are not
        /// in <paramref name="needed"/>, each once, in the order first read. Tape pushes and the conditions of forward loops
        /// do not count (see the caller). One walk and one list: building a set of every read of the sweep, three rounds
        /// over, was a pass that grew faster than the method (the set's arrays, one entry per statement, are large objects).
        /// </summary>
        private static List<IrVariable> OwnReadsNotIn(IrBlock reverse, HashSet<IrVariable> own, HashSet<IrVariable> needed)
        {
            var missing = new List<IrVariable>();
            var seen = new HashSet<IrVariable>();
            var reads = new List<IrVariable>();
            void Walk(IrBlock block)
            {
                foreach (IrStatement statement in block.Statements)
                {
                    if (statement is not (IrTapePush or IrLoop))
                    {
                        reads.Clear();
                        IrWalker.AddReadsOf(statement, reads);
                        foreach (IrVariable read in reads)
                        {
                            if (!needed.Contains(read) && own.Contains(read) && seen.Add(read)) missing.Add(read);
                        }
                    }
                    foreach (IrBlock child in IrWalker.ChildBlocks(statement)) Walk(child);
                }
            }
            Walk(reverse);
            return missing;
        }

        /// <summary>
        /// What is read once both sweeps are done: the result (returned), the epilogue's and cleanup's operands, and the
        /// given adjoints (those the emitter adds into the caller's gradients, or all of them, to be safe).
        /// </summary>
        private IEnumerable<IrVariable> ReadAfterTheSweeps(IEnumerable<IrVariable> adjoints) =>
            new[] { _function.Result }.Concat(adjoints)
                .Concat(IrWalker.AllStatements(_epilogue).Concat(IrWalker.AllStatements(_cleanup)).SelectMany(IrWalker.ReadsOf));

        private (IrBlock Forward, IrBlock Reverse) TransformBlock(IrBlock block, bool inLoop)
        {
            var forward = new IrBlock();
            var reversed = new List<List<IrStatement>>();
            var pieces = new List<TopLevelPiece>();
            bool topLevel = ReferenceEquals(block, _function.Body);
            for (int i = 0; i < block.Statements.Count; i++)
            {
                int forwardStart = forward.Statements.Count;
                var reverseOfStatement = new List<IrStatement>();
                if (block.Statements[i] is IrLoop loop)
                {
                    TransformLoop(loop, inLoop, forward, reverseOfStatement, i > 0 ? block.Statements[i - 1] as IrAssign : null);
                }
                else
                {
                    TransformStatement(block.Statements[i], inLoop, forward, reverseOfStatement);
                }
                reversed.Add(reverseOfStatement);
                var piece = new TopLevelPiece(block.Statements[i], forward.Statements.GetRange(forwardStart, forward.Statements.Count - forwardStart), reverseOfStatement);
                if (topLevel) _topLevel.Add(piece);
                pieces.Add(piece);
            }
            _piecesOf[block] = pieces;
            // Loop-body locals recomputed rather than restored (RecomputationAnalysis): assigned again just before the
            // reverse of their last reader, if the reverse sweep reads them at all (in the reverse of that reader or of
            // a statement before it, which runs later).
            Dictionary<IrVariable, int>? firstReverseReader = null;
            for (int i = 0; i < block.Statements.Count; i++)
            {
                if (!_recomputedLocals.TryGetValue(block.Statements[i], out var locals)) continue;
                firstReverseReader ??= FirstReaders(reversed, RecomputedLocalsOf(block));
                var recomputed = new List<IrStatement>();
                foreach (var (local, value) in locals)
                {
                    if (!firstReverseReader.TryGetValue(local, out int reader) || reader > i) continue;
                    var recomputation = new IrAssign(local, value) { Origin = block.Statements[i].Origin };
                    recomputed.Add(recomputation);
                    _recomputations.Add(recomputation);
                }
                reversed[i].InsertRange(0, recomputed);
            }
            // Indices advanced by counted loops get their value back by counting, not from the tape (ReverseModeTransform.SteppedIndices.cs).
            if (inLoop) RecountSteppedIndices(block, reversed);
            // Elementary values of loop bodies evaluated again rather than taped (ReverseModeTransform.RecomputeCalls.cs).
            if (inLoop) RecomputeCallsInReverse(block, reversed);
            // Partials that call again what the block keeps in a local (cos θ of sin θ) read the local (ReverseModeTransform.ForwardValues.cs).
            if (!inLoop) ReuseForwardCalls(block, reversed);
            // Where the next round would put each restore, for its prediction (ReverseModeTransform.PredictedRestores.cs).
            if (_anchors is not null) AnchorRestores(block, reversed, inLoop);
            var reverse = new IrBlock();
            // Sized once: growing a long loop body's sweep by doubling copied it about twice over, every round.
            int length = 0;
            foreach (List<IrStatement> piece in reversed) length += piece.Count;
            reverse.Statements.Capacity = length;
            for (int i = reversed.Count - 1; i >= 0; i--)
            {
                reverse.AddRange(reversed[i]);
            }
            return (forward, reverse);
        }

        /// <summary>The locals the statements of <paramref name="block"/> assign again before their reverse (RecomputationAnalysis).</summary>
        private HashSet<IrVariable> RecomputedLocalsOf(IrBlock block)
        {
            var locals = new HashSet<IrVariable>();
            foreach (IrStatement statement in block.Statements)
            {
                if (!_recomputedLocals.TryGetValue(statement, out var list)) continue;
                foreach (var (local, _) in list) locals.Add(local);
            }
            return locals;
        }

        /// <summary>
        /// Each of <paramref name="variables"/> read by the pieces (nested statements included) → the index of the first
        /// piece that reads it. Only the variables asked about: an entry for every variable a long loop body reads cost
        /// a large dictionary per round.
        /// </summary>
        private static Dictionary<IrVariable, int> FirstReaders(List<List<IrStatement>> pieces, HashSet<IrVariable> variables)
        {
            var first = new Dictionary<IrVariable, int>();
            var reads = new List<IrVariable>();
            for (int i = 0; i < pieces.Count; i++)
            {
                foreach (IrStatement statement in IrWalker.AllStatements(pieces[i]))
                {
                    reads.Clear();
                    IrWalker.AddReadsOf(statement, reads);
                    foreach (IrVariable read in reads)
                    {
                        if (variables.Contains(read) && !first.ContainsKey(read)) first[read] = i;
                    }
                }
            }
            return first;
        }

        private void TransformStatement(IrStatement statement, bool inLoop, IrBlock forward, List<IrStatement> reverse)
        {
            switch (statement)
            {
                case IrAssign assign:
                    TransformAssign(assign, inLoop, forward, reverse);
                    break;
                case IrIf branch:
                {
                    (IrBlock thenForward, IrBlock thenReverse) = TransformBlock(branch.Then, inLoop);
                    (IrBlock elseForward, IrBlock elseReverse) = TransformBlock(branch.Else, inLoop);
                    if (thenReverse.IsEmpty && elseReverse.IsEmpty)
                    {
                        forward.Add(branch with { Then = thenForward, Else = elseForward });
                        break;
                    }
                    if (!ConditionReadsWhatTheBranchWrites(branch))
                    {
                        forward.Add(branch with { Then = thenForward, Else = elseForward });
                        reverse.Add(branch with { Condition = Recomputed(branch.Condition), Then = thenReverse, Else = elseReverse });
                        break;
                    }
                    // The reverse sweep re-tests the condition before undoing the branch, when a variable the condition
                    // reads still holds the value the branch gave it (a loop head's <c>if (_proceed) { … _proceed = … }</c>):
                    // test a snapshot instead, recorded after the branch so that, inside a loop, it comes off the tape
                    // before anything the branch recorded.
                    IrVariable taken = _extra.Create("_branch", IrType.Bool, IrVariableRole.Control);
                    forward.Add(new IrAssign(taken, branch.Condition) { Origin = branch.Origin });
                    forward.Add(branch with { Condition = new IrVariableReference(taken), Then = thenForward, Else = elseForward });
                    if (inLoop)
                    {
                        forward.Add(new IrTapePush(new IrVariableReference(taken)) { Origin = branch.Origin });
                        reverse.Add(new IrAssign(taken, new IrTapePop(IrType.Bool)) { Origin = branch.Origin });
                    }
                    reverse.Add(branch with { Condition = new IrVariableReference(taken), Then = thenReverse, Else = elseReverse });
                    break;
                }
                case IrLoop loop:
                    TransformLoop(loop, inLoop, forward, reverse);
                    break;
                case IrElementWrite write:
                    TransformElementWrite(write, inLoop, forward, reverse);
                    break;
                case IrSpanStore store:
                    TransformSpanStore(store, inLoop, forward, reverse);
                    break;
                case IrSimdStore store:
                    TransformSimdStore(store, inLoop, forward, reverse);
                    break;
                default:
                    forward.Add(statement);
                    break;
            }
        }

        /// <remarks>
        /// The condition reads a few variables: each write of the branches is looked up among them (a set of every write,
        /// made for each if of every round, was as large as the branches).
        /// </remarks>
        private static bool ConditionReadsWhatTheBranchWrites(IrIf branch)
        {
            var read = new List<IrVariable>();
            branch.Condition.AddReadVariables(read);
            return read.Count > 0 && (WritesAnyOf(branch.Then, read) || WritesAnyOf(branch.Else, read));
        }

        /// <summary>Whether a statement of <paramref name="block"/>, nested ones included, writes one of <paramref name="variables"/>.</summary>
        private static bool WritesAnyOf(IrBlock block, List<IrVariable> variables)
        {
            foreach (IrStatement statement in block.Statements)
            {
                if (IrWalker.WriteOf(statement) is { } written && variables.Contains(written)) return true;
                if (statement is IrIf or IrLoop or IrRepeat)
                {
                    foreach (IrBlock child in IrWalker.ChildBlocks(statement))
                    {
                        if (WritesAnyOf(child, variables)) return true;
                    }
                }
            }
            return false;
        }

        private void TransformLoop(IrLoop loop, bool inLoop, IrBlock forward, List<IrStatement> reverse, IrAssign? previous = null)
        {
            IrLoop? enclosing = _outermostLoop;
            _outermostLoop ??= loop;
            _enclosingLoops.Add(loop);
            (IrBlock headForward, IrBlock headReverse) = TransformBlock(loop.Head, inLoop: true);
            (IrBlock bodyForward, IrBlock bodyReverse) = TransformBlock(loop.Body, inLoop: true);
            _enclosingLoops.RemoveAt(_enclosingLoops.Count - 1);
            _outermostLoop = enclosing;
            if (headReverse.IsEmpty && bodyReverse.IsEmpty)
            {
                forward.Add(loop with { Head = headForward, Body = bodyForward });
                return;
            }

            // A recomputed loop's re-run and reverse are adjacent: nothing to record across iterations.
            if (!_recomputedLoops.Contains(loop)) SnapshotScratchArrays(loop, bodyForward, bodyReverse);
            IrVariable trips = _extra.Create("_trips", IrType.Int, IrVariableRole.Control);
            CountedLoop? counted = CountedLoop.Match(loop, previous);
            _loopParts[loop] = new LoopParts(headForward, headReverse, bodyForward, bodyReverse, counted);
            CheckpointStateSet? checkpoint = null;
            IrVariable? stride = null, wanted = null;
            if (counted is not null && counted.TripCount is { } tripCount)
            {
                // for (c = c0; c < bound; c++) with no other exit and a bound nothing assigns again: the reverse computes
                // the iteration count, and the counter's final value, instead of counting and recording them.
                if (_recomputedLoops.Contains(loop) && headReverse.IsEmpty)
                {
                    // Nothing recorded forward; the reverse re-runs each iteration (ReverseModeTransform.Recompute.cs).
                    forward.Add(loop);
                    bodyReverse = ReverseWithRecomputation(loop, bodyForward, bodyReverse);
                }
                else if (!inLoop && headReverse.IsEmpty && _checkpointedLoops.Contains(loop) && (checkpoint = CheckpointState(loop, previous)) is not null)
                {
                    // Only the state every k iterations recorded forward; the reverse re-runs each segment
                    // (ReverseModeTransform.Checkpoint.cs).
                    stride = _extra.Create("_stride", IrType.Int, IrVariableRole.Control);
                    wanted = _extra.Create("_checkpointed", IrType.Bool, IrVariableRole.Control);
                    ForwardWithCheckpoints(loop, checkpoint, stride, wanted, loop with { Head = headForward, Body = bodyForward }, forward);
                }
                else
                {
                    // Its recording counted before it runs, for the tape (kept when no recording loop encloses it:
                    // ReverseModeTransform.Expectations.cs).
                    var taped = loop with { Head = headForward, Body = bodyForward };
                    ExpectTapedLoop(loop, taped, tripCount, forward);
                    forward.Add(taped);
                }
                reverse.Add(new IrAssign(trips, tripCount) { Origin = loop.Origin });
            }
            else
            {
                // Count the iterations; the reverse runs the reversed body that many times. A loop nested in another
                // loop runs many times, so its count goes on the tape.
                forward.Add(new IrAssign(trips, IrConstant.Of(0)) { Origin = loop.Origin });
                _loopParts[loop] = _loopParts[loop] with { Trips = trips };
                bodyForward.Statements.Insert(0, new IrAssign(trips, new IrBinary(IrBinaryOperator.Add, new IrVariableReference(trips), IrConstant.Of(1), IrType.Int)) { Origin = loop.Origin });
                forward.Add(loop with { Head = headForward, Body = bodyForward, TripCounter = trips });
                if (inLoop)
                {
                    forward.Add(new IrTapePush(new IrVariableReference(trips)) { Origin = loop.Origin });
                    reverse.Add(new IrAssign(trips, new IrTapePop(IrType.Int)) { Origin = loop.Origin });
                }
            }
            if (counted is not null && _needed.Contains(counted.Counter))
            {
                // The counter after the loop is its start plus one step per iteration: set it so, rather than have the
                // reverse of its initialisation restore it from a recording (that restore then has no reader, DeadRestores).
                reverse.Add(new IrAssign(counted.Counter, counted.FinalValue(trips)) { Origin = loop.Origin });
            }

            reverse.AddRange(headReverse.Statements);
            var repeated = new IrBlock(bodyReverse.Statements.Concat(headReverse.Statements));
            if (checkpoint is not null)
            {
                ReverseWithCheckpoints(loop, checkpoint, stride!, wanted!, trips, bodyForward, repeated, reverse);
                return;
            }
            IrVariable counter = _extra.Create("_iteration", IrType.Int, IrVariableRole.Control);
            reverse.Add(new IrRepeat(counter, new IrVariableReference(trips), repeated) { Origin = loop.Origin });
        }

        /// <summary>
        /// A loop right after <c>c = c0</c> (a constant, or an integer expression over variables the loop does not
        /// change: <c>j = i + 1</c> in a triangular loop) whose only write to the integer <c>c</c> is a final
        /// <c>c = c + step</c> of its body, run every iteration: after n iterations <c>c = c0 + n·step</c>. If moreover
        /// the loop is <c>while (c &lt; bound)</c> (or <c>c &lt;= limit</c>, bound = limit + 1) with no other exit, step 1 and a
        /// bound the loop does not change, its iteration count is <c>max(0, bound − c0)</c>, computable in reverse (the reverse sweep gives every variable it
        /// reads its value at that point of the forward run, so the bound's variables are as they were).
        /// </summary>
        private sealed record CountedLoop(IrVariable Counter, IrExpression Start, int Step, IrExpression? TripCount)
        {
            public IrExpression FinalValue(IrVariable trips) => new IrBinary(IrBinaryOperator.Add, Start,
                Step == 1 ? new IrVariableReference(trips) : new IrBinary(IrBinaryOperator.Multiply, new IrVariableReference(trips), IrConstant.Of(Step), IrType.Int), IrType.Int);

            public static CountedLoop? Match(IrLoop loop, IrAssign? previous)
            {
                if (previous is not { Target: { Type.Kind: IrTypeKind.Integer } counter, Value: var start } || start.Type.Kind != IrTypeKind.Integer
                    || !IsStartExpression(start))
                {
                    return null;
                }
                if (loop.Body.Statements.Count == 0
                    || loop.Body.Statements[loop.Body.Statements.Count - 1] is not IrAssign
                    {
                        Value: IrBinary { Operator: IrBinaryOperator.Add or IrBinaryOperator.Subtract, Left: IrVariableReference { Variable: var stepped }, Right: IrConstant { Value: int step } } update,
                    } last
                    || last.Target != counter || stepped != counter)
                {
                    return null;
                }
                var writtenInLoop = new HashSet<IrVariable>(IrWalker.AllStatements(loop.Head).Concat(IrWalker.AllStatements(loop.Body))
                    .Select(IrWalker.WriteOf).OfType<IrVariable>());
                if (IrWalker.AllStatements(loop.Head).Concat(IrWalker.AllStatements(loop.Body)).Count(s => IrWalker.WriteOf(s) == counter) != 1) return null;
                // The reverse evaluates the start again after the loop: the loop must not change what it reads.
                if (start.ReadVariables().Any(v => v == counter || writtenInLoop.Contains(v))) return null;
                int signedStep = update.Operator == IrBinaryOperator.Add ? step : -step;

                IrExpression? tripCount = null;
                if (signedStep == 1
                    && TestOf(loop) is IrBinary { Operator: IrBinaryOperator.LessThan or IrBinaryOperator.LessThanOrEqual, Left: IrVariableReference { Variable: var tested }, Right: var limit } test
                    && tested == counter && limit.Type.Kind == IrTypeKind.Integer
                    && !limit.ReadVariables().Any(writtenInLoop.Contains)
                    && !ControlWritesIn(loop))
                {
                    // max(0, bound − c0) with bound = limit (c < limit) or limit + 1 (c <= limit), as a conditional.
                    IrExpression bound = test.Operator == IrBinaryOperator.LessThan ? limit : new IrBinary(IrBinaryOperator.Add, limit, IrConstant.Of(1), IrType.Int);
                    IrExpression span = new IrBinary(IrBinaryOperator.Subtract, bound, start, IrType.Int);
                    tripCount = new IrConditional(new IrBinary(IrBinaryOperator.GreaterThan, bound, start, IrType.Bool), span, IrConstant.Of(0), IrType.Int);
                }
                return new CountedLoop(counter, start, signedStep, tripCount);
            }

            /// <summary>Integer arithmetic on constants and variables (the reverse recomputes it).</summary>
            public static bool IsStartExpression(IrExpression e) => e switch
            {
                IrConstant { Value: int } or IrVariableReference => true,
                IrBinary { Operator: IrBinaryOperator.Add or IrBinaryOperator.Subtract or IrBinaryOperator.Multiply } b => IsStartExpression(b.Left) && IsStartExpression(b.Right),
                _ => false,
            };

            /// <summary>
            /// The loop's test as one expression: the condition, with what the head computes for it substituted (a head
            /// of plain assignments, <c>_t = x.Length; _t1 = _t - 1; _proceed = i &lt; _t1</c>); null for any other head.
            /// </summary>
            public static IrExpression? TestOf(IrLoop loop)
            {
                var definitions = new Dictionary<IrVariable, IrExpression>();
                foreach (IrStatement statement in loop.Head.Statements)
                {
                    if (statement is not IrAssign assign || definitions.ContainsKey(assign.Target)) return null;
                    definitions[assign.Target] = IrRewriter.Replace(assign.Value, v => definitions.TryGetValue(v, out IrExpression? e) ? e : null);
                }
                return IrRewriter.Replace(loop.Condition, v => definitions.TryGetValue(v, out IrExpression? e) ? e : null);
            }

            /// <summary>Whether the loop's body may leave early (a jump-state write means break, continue or return).</summary>
            private static bool ControlWritesIn(IrLoop loop) => ControlWritesIn(loop.Body);

            /// <summary>Whether the loop may end other than by its test (break, continue or return inside it).</summary>
            public static bool MayLeaveEarly(IrLoop loop) => ControlWritesIn(loop);

            /// <remarks>A nested loop's head writes its own test variable; that is not an exit of this loop.</remarks>
            private static bool ControlWritesIn(IrBlock block) => block.Statements.Any(s =>
                IrWalker.WriteOf(s) is { Role: IrVariableRole.Control }
                || (s is IrLoop nested ? ControlWritesIn(nested.Body) : IrWalker.ChildBlocks(s).Any(ControlWritesIn)));
        }

        private void TransformAssign(IrAssign assign, bool inLoop, IrBlock forward, List<IrStatement> reverse)
        {
            IrVariable target = assign.Target;
            string? origin = assign.Origin;
            if (target.Type.Kind == IrTypeKind.Array)
            {
                TransformArrayDefinition(assign, inLoop, forward, reverse);
                return;
            }

            // Forward: record the value about to be overwritten if the reverse sweep will need it back (not when the
            // restore is predicted dead: ReverseModeTransform.PredictedRestores.cs).
            Restore restore = RestoreFor(assign, inLoop);
            switch (restore.Kind)
            {
                case RestoreKind.SaveLocal:
                    forward.Add(new IrAssign(restore.Saved!, new IrVariableReference(target)) { Origin = origin });
                    break;
                case RestoreKind.Tape:
                    forward.Add(new IrTapePush(new IrVariableReference(target)) { Origin = origin });
                    break;
            }
            forward.Add(assign);

            // Reverse: propagate the target's adjoint to the operands, clear it, restore the old value.
            if (_activity.IsActive(target))
            {
                IrVariable targetAdjoint = Adjoint(target);
                if (SelfUpdate.Match(assign) is { } update)
                {
                    // v = v ± e: ∂v/∂v_old = 1, so v's adjoint carries over unchanged and only e receives a contribution.
                    AddContribution(update.Other, update.Subtracts ? IrConstant.Real(-1, target.Type) : null, new IrVariableReference(targetAdjoint), target.Type, origin, reverse);
                }
                else if (assign.Value.ReadVariables().Contains(target))
                {
                    throw new InvalidOperationException("Lowering left an active assignment that reads its own target: " + target + ".");
                }
                else
                {
                    AddAdjointPropagation(assign, targetAdjoint, reverse);
                }
                if (SelfUpdate.Match(assign) is null && !_assignedAdjoints.Contains(target) && NeedsAdjointReset(assign, inLoop))
                {
                    reverse.Add(new IrAssign(targetAdjoint, IrConstant.Real(0, target.Type)) { Origin = origin });
                }
            }
            IrAssign? restoring = restore.Kind switch
            {
                RestoreKind.Invert => new IrAssign(target, restore.Inverse!) { Origin = origin },
                RestoreKind.SaveLocal => new IrAssign(target, new IrVariableReference(restore.Saved!)) { Origin = origin },
                RestoreKind.Tape or RestoreKind.Phantom => new IrAssign(target, new IrTapePop(target.Type)) { Origin = origin },
                _ => null,
            };
            if (restoring is not null)
            {
                reverse.Add(restoring);
                _restoreOf[restoring] = assign;
                if (restore.Kind == RestoreKind.Phantom) _phantomPops.Add(restoring.Value);
            }
        }

        /// <summary>
        /// <c>a = new double[n]</c>: an active array gets an adjoint array of the same shape, zeroed, right after it is
        /// allocated (rented from the pool when it is allocated once, outside loops). Inside a loop every iteration's
        /// array and adjoint are kept on the tape, so each reversed iteration sees its own.
        /// </summary>
        private void TransformArrayDefinition(IrAssign assign, bool inLoop, IrBlock forward, List<IrStatement> reverse)
        {
            IrVariable target = assign.Target;
            string? origin = assign.Origin;
            Restore restore = RestoreFor(assign, inLoop);
            bool active = _activity.IsActive(target);
            IrVariable? adjoint = active ? Adjoint(target) : null;

            if (restore.Kind == RestoreKind.SaveLocal) forward.Add(new IrAssign(restore.Saved!, new IrVariableReference(target)) { Origin = origin });
            if (restore.Kind == RestoreKind.Tape) forward.Add(new IrTapePush(new IrVariableReference(target)) { Origin = origin });
            if (adjoint is not null && inLoop) forward.Add(new IrTapePush(new IrVariableReference(adjoint)) { Origin = origin });
            forward.Add(assign);
            if (adjoint is not null)
            {
                if (assign.Value is not (IrNewArray or IrZeroedArray))
                {
                    throw new InvalidOperationException("An active array must be allocated by the method: " + target + ".");
                }
                // Rented when allocated once outside loops: a vector (a stackalloc scratch span's adjoint too), or an array of any
                // shape that a transform rented itself (the tangent copy of a written matrix or jagged input in ḟ).
                bool pooled = !inLoop && _assignmentCounts[target] == 1
                    && (target.Type.Layout is ArrayLayout.Vector or ArrayLayout.Span || assign.Value is IrZeroedArray { IsRental: true });
                forward.Add(new IrAssign(adjoint, IrZeroedArray.Like(target, pooled)) { Origin = origin });
                if (pooled) _cleanup.Add(IrPoolReturn.Of(adjoint));
                if (inLoop) reverse.Add(new IrAssign(adjoint, new IrTapePop(adjoint.Type)) { Origin = origin });
            }
            if (restore.Kind == RestoreKind.SaveLocal) reverse.Add(new IrAssign(target, new IrVariableReference(restore.Saved!)) { Origin = origin });
            if (restore.Kind == RestoreKind.Tape) reverse.Add(new IrAssign(target, new IrTapePop(target.Type)) { Origin = origin });
        }

        /// <summary>
        /// <c>a[i] = v</c>: in reverse, the element's adjoint moves to <c>v</c> and is cleared (the old value's adjoint
        /// starts again from zero), and the old element comes back if the reverse sweep reads the array.
        /// </summary>
        private void TransformElementWrite(IrElementWrite write, bool inLoop, IrBlock forward, List<IrStatement> reverse)
        {
            if (write.Array.Type.Layout == ArrayLayout.Jagged && write.Indices.Length == 1)
            {
                TransformRowWrite(write, inLoop, forward, reverse);
                return;
            }
            IrVariable array = write.Array;
            string? origin = write.Origin;
            IrType element = array.Type.Element!;
            bool restore = _needed.Contains(array) && !_unrestored.Contains(write);
            IrVariable? saved = null;
            if (restore)
            {
                var old = new IrElementRead(new IrVariableReference(array), write.Indices, element);
                if (inLoop)
                {
                    forward.Add(new IrTapePush(old) { Origin = origin });
                }
                else
                {
                    saved = SavedLocalFor(write, element, "_saved_" + array.PreferredName.TrimStart('_') + "_element");
                    forward.Add(new IrAssign(saved, old) { Origin = origin });
                }
            }
            forward.Add(write);

            ImmutableArray<IrExpression> indices = write.Indices.Select(Recomputed).ToImmutableArray();
            if (_activity.IsActive(array))
            {
                IrVariable adjoint = Adjoint(array);
                var elementAdjoint = new IrElementRead(new IrVariableReference(adjoint), indices, element);
                if (write.Value is IrVariableReference { Variable: var value } && _activity.IsActive(value))
                {
                    IrExpression contribution = value.Type.CSharpName == element.CSharpName ? elementAdjoint : new IrConvert(elementAdjoint, value.Type);
                    reverse.Add(_assignedAdjoints.Contains(value)
                        ? new IrAssign(Adjoint(value), contribution) { Origin = origin }
                        : new IrAccumulate(Adjoint(value), contribution) { Origin = origin });
                }
                reverse.Add(new IrElementWrite(adjoint, indices, IrConstant.Real(0, element)) { Origin = origin });
            }
            if (restore)
            {
                IrExpression old = saved is null ? new IrTapePop(element) : new IrVariableReference(saved);
                var restoring = new IrElementWrite(array, indices, old) { Origin = origin };
                reverse.Add(restoring);
                _restoreOf[restoring] = write;
            }
        }

        /// <summary>
        /// <c>t[i] = new double[n]</c> on a local jagged array: the adjoint gets a zeroed row of the same length at the
        /// same time. The row it replaces (of the array, if the reverse sweep reads it, and of the adjoint, which holds
        /// the adjoints of the replaced row's elements) comes back in reverse.
        /// </summary>
        private void TransformRowWrite(IrElementWrite write, bool inLoop, IrBlock forward, List<IrStatement> reverse)
        {
            IrVariable array = write.Array;
            string? origin = write.Origin;
            IrType rowType = write.Value.Type;
            ImmutableArray<IrExpression> indices = write.Indices.Select(Recomputed).ToImmutableArray();
            IrVariable? adjoint = _activity.IsActive(array) ? Adjoint(array) : null;
            bool restore = _needed.Contains(array) && !_unrestored.Contains(write);

            // Forward: record the rows about to be replaced, replace them.
            var recorded = new List<(IrVariable Owner, IrVariable? Saved)>();
            foreach (IrVariable owner in new[] { restore ? array : null, adjoint }.OfType<IrVariable>())
            {
                var old = new IrElementRead(new IrVariableReference(owner), write.Indices, rowType);
                if (inLoop)
                {
                    forward.Add(new IrTapePush(old) { Origin = origin });
                    recorded.Add((owner, null));
                }
                else
                {
                    IrVariable saved = SavedLocalFor(owner == array ? write : (IrStatement)new IrComment("adjoint row of " + array.PreferredName) { Origin = origin },
                        rowType, "_saved_" + owner.PreferredName.TrimStart('_') + "_row");
                    forward.Add(new IrAssign(saved, old) { Origin = origin });
                    recorded.Add((owner, saved));
                }
            }
            forward.Add(write);
            if (adjoint is not null)
            {
                forward.Add(new IrElementWrite(adjoint, write.Indices, write.Value) { Origin = origin });
            }

            // Reverse: the replaced rows come back (last recorded, first restored).
            for (int k = recorded.Count - 1; k >= 0; k--)
            {
                var (owner, saved) = recorded[k];
                var restoring = new IrElementWrite(owner, indices, saved is null ? new IrTapePop(rowType) : new IrVariableReference(saved)) { Origin = origin };
                reverse.Add(restoring);
                _restoreOf[restoring] = write;
            }
        }

        /// <summary>One partial derivative and one multiply-add per edge of the computational graph.</summary>
        private void AddAdjointPropagation(IrAssign assign, IrVariable targetAdjoint, List<IrStatement> reverse)
        {
            IrExpression seed = new IrVariableReference(targetAdjoint);
            IrExpression result = new IrVariableReference(assign.Target);
            IrType type = assign.Target.Type;
            string? origin = assign.Origin;

            void Contribute(IrExpression operand, IrExpression? partial) => AddContribution(operand, partial, seed, type, origin, reverse);

            switch (assign.Value)
            {
                case IrVariableReference:
                case IrConvert:
                    Contribute(assign.Value is IrConvert c ? c.Operand : assign.Value, null);
                    break;
                case IrUnary unary when RuleTable.Of(unary.Operator).CarriesDerivative:
                    Contribute(unary.Operand, RuleTable.Of(unary.Operator).Partials(ImmutableArray.Create(unary.Operand), result)[0]);
                    break;
                case IrBinary binary:
                {
                    // Comparisons and logic carry no derivative (their results are bools).
                    OperatorRule rule = RuleTable.Of(binary.Operator);
                    if (!rule.CarriesDerivative) break;
                    ImmutableArray<IrExpression?> partials = rule.Partials(ImmutableArray.Create(binary.Left, binary.Right), result);
                    ContributeMerged(new[] { (binary.Left, partials[0]), (binary.Right, partials[1]) }, seed, type, origin, reverse);
                    break;
                }
                case IrElementRead read:
                    if (read.Array is IrVariableReference { Variable: var array } && _activity.IsActive(array))
                    {
                        reverse.Add(new IrElementAccumulate(Adjoint(array), read.Indices.Select(Recomputed).ToImmutableArray(), seed) { Origin = origin });
                    }
                    break;
                case IrMathCall call:
                {
                    ImmutableArray<IrExpression> partials = RuleTable.Of(call.Function).Partials(call.Arguments, result);
                    ContributeMerged(call.Arguments.Select((argument, i) => (argument, (IrExpression?)partials[i])).ToList(), seed, type, origin, reverse);
                    break;
                }
                case IrSimdCall call:
                    AddSimdPropagation(call, seed, result, type, origin, reverse);
                    break;
                case IrSpanCall call when RuleTable.Of(call.Function).Kind == SpanRuleKind.Reduction:
                    reverse.AddRange(SpanAdjoint((IrSpanCall)Recomputed(call), seed, result, origin));
                    break;
                case IrDifferentiableCall call:
                {
                    var adjoints = ImmutableArray.CreateBuilder<IrVariable?>();
                    for (int i = 0; i < call.Arguments.Length; i++)
                    {
                        if (!call.Target.ParameterIsDifferentiable[i]) continue;
                        // A slice or row passed whole: the same window of the storage's adjoint (the emitter takes it).
                        IrExpression argument = call.Arguments[i] is IrArrayView view ? view.Array : call.Arguments[i];
                        adjoints.Add(argument is IrVariableReference { Variable: var v } && _activity.IsActive(v) ? Adjoint(v) : null);
                    }
                    reverse.Add(new IrBackwardCall((IrDifferentiableCall)Recomputed(call), seed, adjoints.ToImmutable()) { Origin = origin });
                    break;
                }
                default:
                    // Lowering produces no other active value; if it ever does, fail loudly (ADG0999) rather than drop
                    // a gradient contribution silently.
                    if (assign.Value.ReadVariables().Any(_activity.IsActive))
                    {
                        throw new InvalidOperationException("No adjoint propagation for " + assign.Value.GetType().Name + " assigned to " + assign.Target + ".");
                    }
                    break;
            }
        }

        /// <summary>
        /// One contribution per operand variable: an operand read twice by one statement (<c>v - v</c>, <c>v * v</c>,
        /// <c>Pow(v, v)</c>) gets the sum of its partials, multiplied by the seed once. Two accumulations of seed · p₁ and
        /// seed · p₂ would lose the adjoint's other contributions to rounding when the seed is huge and p₁ = −p₂
        /// ((1 + s) − s = 0); the summed constant partials of <c>v - v</c> are 0, so it contributes nothing at all. A zero
        /// partial (CopySign's sign, an int argument) contributes nothing either.
        /// </summary>
        private void ContributeMerged(IReadOnlyList<(IrExpression Operand, IrExpression? Partial)> terms, IrExpression seed, IrType type, string? origin, List<IrStatement> reverse)
        {
            var merged = new List<(IrExpression Operand, IrExpression? Partial)>();
            foreach (var (operand, partial) in terms)
            {
                int same = operand is IrVariableReference { Variable: var v } ? IndexOfVariable(merged, v) : -1;
                if (same < 0)
                {
                    merged.Add((operand, partial));
                    continue;
                }
                merged[same] = (operand, SumOfPartials(merged[same].Partial, partial, operand.Type));
            }
            foreach (var (operand, partial) in merged)
            {
                if (partial is not null && IrConstant.IsRealZero(partial)) continue;
                AddContribution(operand, partial, seed, type, origin, reverse);
            }
        }

        /// <summary>The index of the term whose operand reads <paramref name="variable"/> itself, or -1 (a loop: no closure per operand).</summary>
        private static int IndexOfVariable(List<(IrExpression Operand, IrExpression? Partial)> terms, IrVariable variable)
        {
            for (int i = 0; i < terms.Count; i++)
            {
                if (terms[i].Operand is IrVariableReference { Variable: var w } && w == variable) return i;
            }
            return -1;
        }

        /// <summary>p₁ + p₂, where null stands for 1; constants are folded (1 + (−1) is 0).</summary>
        private static IrExpression SumOfPartials(IrExpression? first, IrExpression? second, IrType type)
        {
            IrExpression a = first ?? IrConstant.Real(1, type), b = second ?? IrConstant.Real(1, type);
            if (a is IrConstant { Value: double x } && b is IrConstant { Value: double y }) return IrConstant.Real(x + y, type);
            if (a is IrConstant { Value: float xf } && b is IrConstant { Value: float yf }) return IrConstant.Real(xf + yf, type);
            return new IrBinary(IrBinaryOperator.Add, a, b, type);
        }

        /// <summary>Reads of recomputable temporaries replaced by their definitions (see <see cref="RecomputationAnalysis"/>).</summary>
        /// <remarks>
        /// An expression that reads none of them is returned as it is: rebuilding it node by node gave an equal copy, for
        /// every partial of every round (expressions are immutable and compared by value, never by reference).
        /// </remarks>
        private IrExpression Recomputed(IrExpression expression) =>
            _recompute.Count == 0 || !ReadsAnyOf(expression, _recompute) ? expression
                : IrRewriter.Replace(expression, _recomputedDefinition ??= v => _recompute.TryGetValue(v, out IrExpression? e) ? e : null);

        /// <summary>Whether <paramref name="e"/> reads a key of <paramref name="variables"/> (no list of its reads is made).</summary>
        private static bool ReadsAnyOf(IrExpression e, Dictionary<IrVariable, IrExpression> variables)
        {
            switch (e)
            {
                case IrVariableReference reference:
                    return variables.ContainsKey(reference.Variable);
                case IrConstant:
                    return false;
                case IrBinary binary:
                    return ReadsAnyOf(binary.Left, variables) || ReadsAnyOf(binary.Right, variables);
                case IrUnary unary:
                    return ReadsAnyOf(unary.Operand, variables);
                case IrConvert convert:
                    return ReadsAnyOf(convert.Operand, variables);
                default:
                    foreach (IrExpression child in e.Children)
                    {
                        if (ReadsAnyOf(child, variables)) return true;
                    }
                    return false;
            }
        }

        /// <summary>The replacement <see cref="Recomputed"/> makes, one delegate for the transform (it runs for every partial).</summary>
        private Func<IrVariable, IrExpression?>? _recomputedDefinition;

        /// <summary>
        /// <c>d(operand) += seed · partial</c>, or <c>d(operand) = …</c> when that is the only contribution the operand's
        /// adjoint ever receives (see <see cref="SingleContributionTemporaries"/>): assign instead of zero-then-add.
        /// </summary>
        private void AddContribution(IrExpression operand, IrExpression? partial, IrExpression seed, IrType type, string? origin, List<IrStatement> reverse)
        {
            if (operand is not IrVariableReference { Variable: var variable } || !_activity.IsActive(variable)) return;
            IrExpression contribution;
            if (SimdTypes.Involved(seed.Type, partial?.Type, variable.Type))
            {
                // Lane-wise: multiply in the vector type, then reduce into a scalar operand or broadcast into a vector one.
                contribution = SimdTypes.Adapt(Multiply(seed, partial is null ? null : Recomputed(partial), SimdProductType(seed, partial, type)), variable.Type);
            }
            else
            {
                contribution = Multiply(seed, partial is null ? null : Recomputed(partial), type);
                if (variable.Type.CSharpName != type.CSharpName)
                {
                    contribution = new IrConvert(contribution, variable.Type);
                }
            }
            reverse.Add(_assignedAdjoints.Contains(variable)
                ? new IrAssign(Adjoint(variable), contribution) { Origin = origin }
                : new IrAccumulate(Adjoint(variable), contribution) { Origin = origin });
        }

        /// <summary>The type of seed × partial: a vector when either is one, else the statement's type.</summary>
        private static IrType SimdProductType(IrExpression seed, IrExpression? partial, IrType type) =>
            seed.Type.IsSimdVector ? seed.Type : partial?.Type.IsSimdVector == true ? partial.Type : type;

        private static IrExpression Multiply(IrExpression seed, IrExpression? partial, IrType type) => partial switch
        {
            null => seed,
            IrConstant { Value: double d } when d == -1 => new IrUnary(IrUnaryOperator.Negate, seed, type),
            IrConstant { Value: float f } when f == -1 => new IrUnary(IrUnaryOperator.Negate, seed, type),
            // seed · (1 / b) is seed / b: one division instead of two operations.
            IrBinary { Operator: IrBinaryOperator.Divide, Left: IrConstant { Value: var one } } reciprocal when IsOne(one)
                => new IrBinary(IrBinaryOperator.Divide, seed, reciprocal.Right, type),
            _ => SimdTypes.Multiply(seed, partial, type),
        };

        private static bool IsOne(object? value) => value is double d ? d == 1 : value is float f && f == 1;

        /// <summary>
        /// After reversing an assignment its target's adjoint belongs to the previous value and must restart at zero,
        /// unless no earlier assignment (or parameter entry) can give the variable a previous value.
        /// </summary>
        private bool NeedsAdjointReset(IrAssign assign, bool inLoop) => HasPreviousValue(assign, inLoop);

        /// <summary>Whether the variable can hold a value the reverse sweep still cares about before this assignment.</summary>
        /// <remarks>
        /// The result is assigned once per run (a return ends the run), and it must keep its value for the final
        /// <c>return</c> after the reverse sweep, so it is never restored.
        /// </remarks>
        private bool HasPreviousValue(IrAssign assign, bool inLoop) =>
            assign.Target.Role != IrVariableRole.Result && (inLoop || assign.Target.Role == IrVariableRole.Parameter || (!assign.IsDeclaration && _assignmentCounts[assign.Target] > 1));

        private Restore RestoreFor(IrAssign assign, bool inLoop)
        {
            if (!_needed.Contains(assign.Target) || _unrestored.Contains(assign)) return Restore.None;
            return RestoreKindOf(assign, inLoop) switch
            {
                // A stored value predicted dead: the pop only, no push, no saved local (ReverseModeTransform.PredictedRestores.cs).
                RestoreKind.SaveLocal or RestoreKind.Tape when PredictedDead(assign) => Restore.Phantom,
                RestoreKind.Invert => new Restore(RestoreKind.Invert, null, Inverse(assign)),
                // Runs at most once: a local keeps the old value.
                RestoreKind.SaveLocal => new Restore(RestoreKind.SaveLocal, SavedLocalFor(assign), null),
                RestoreKind.Tape => Restore.Tape,
                _ => Restore.None,
            };
        }

        /// <summary>How <paramref name="assign"/> is undone if the reverse sweep reads its target.</summary>
        private RestoreKind RestoreKindOf(IrAssign assign, bool inLoop)
        {
            if (!HasPreviousValue(assign, inLoop)) return RestoreKind.None;
            // Integer updates by a constant are inverted exactly; no storage (a for loop's counter runs backwards).
            if (Inverse(assign) is not null) return RestoreKind.Invert;
            return inLoop ? RestoreKind.Tape : RestoreKind.SaveLocal;
        }

        /// <summary>For <c>v = v ± c</c> (an integer, c constant), <c>v ∓ c</c>; otherwise null.</summary>
        private static IrExpression? Inverse(IrAssign assign)
        {
            IrVariable target = assign.Target;
            if (target.Type.Kind != IrTypeKind.Integer || assign.Value is not IrBinary { Left: IrVariableReference { Variable: var left }, Right: IrConstant or IrSimdLaneCount } update
                || left != target || update.Operator is not (IrBinaryOperator.Add or IrBinaryOperator.Subtract))
            {
                return null;
            }
            var inverseOperator = update.Operator == IrBinaryOperator.Add ? IrBinaryOperator.Subtract : IrBinaryOperator.Add;
            return new IrBinary(inverseOperator, new IrVariableReference(target), update.Right, target.Type);
        }

        private readonly Dictionary<object, IrVariable> _savedLocals = new(ReferenceComparer<object>.Instance);

        private IrVariable SavedLocalFor(IrAssign assign) =>
            SavedLocalFor(assign, assign.Target.Type, "_saved_" + assign.Target.PreferredName.TrimStart('_'));

        private IrVariable SavedLocalFor(IrStatement statement, IrType type, string name)
        {
            if (!_savedLocals.TryGetValue(statement, out IrVariable? saved))
            {
                saved = _extra.Create(name, type, IrVariableRole.Saved);
                _savedLocals[statement] = saved;
            }
            return saved;
        }

        /// <summary>
        /// <c>_d_y = dy</c> for each active <c>out</c> scalar output, run where the reverse sweep starts (beside the result's
        /// seed); <c>dy</c> is the caller's seed (an extra variable standing for the <c>MBackward</c> parameter). An
        /// <c>[Output]</c> buffer's seed is copied into its adjoint in the prologue instead (<see cref="Adjoint"/>).
        /// </summary>
        private IrBlock SeedOutputs()
        {
            var seeds = new IrBlock();
            foreach (IrOutput output in _function.Outputs)
            {
                if (!_activity.IsActive(output.Variable))
                {
                    continue;
                }
                IrVariable adjoint = Adjoint(output.Variable);
                if (output.IsBuffer) continue;
                IrVariable seed = _extra.Create("d" + output.Parameter.PreferredName.TrimStart('@'), output.Variable.Type, IrVariableRole.Adjoint);
                seed.GradientParameterOf = output.Parameter;
                seeds.Add(new IrAssign(adjoint, new IrVariableReference(seed)));
            }
            return seeds;
        }

        /// <summary>
        /// What runs between the sweeps, and after the reverse one, so the caller gets the outputs as the method left them:
        /// each <c>out</c> parameter receives its local's final value before the reverse sweep restores anything; an
        /// <c>[Output]</c> buffer the reverse sweep writes old elements back into (to read them) is copied to a rented
        /// buffer first, and copied back after the reverse sweep. So is an input array or span the method writes into
        /// (api.md: the companions modify inputs only as the method does): a loop recomputed in reverse that reads it
        /// needs its old elements back, and the caller must still get the elements the method left.
        /// </summary>
        private (IrBlock Capture, IrBlock Release) CaptureOutputs(IrBlock reverse)
        {
            var capture = new IrBlock();
            var release = new IrBlock();
            foreach (IrOutput output in _function.Outputs)
            {
                if (!output.IsBuffer)
                {
                    capture.Add(new IrAssign(output.Parameter, new IrVariableReference(output.Variable)));
                    continue;
                }
                CaptureBuffer(output.Parameter, reverse, capture, release);
            }
            foreach (IrVariable parameter in _function.Parameters)
            {
                if (parameter.Type is { Kind: IrTypeKind.Array, Layout: ArrayLayout.Vector or ArrayLayout.Span } && !StructArrayLeaves.IsLeafArray(parameter)
                    && !_function.Outputs.Any(o => o.Parameter == parameter))
                {
                    CaptureBuffer(parameter, reverse, capture, release);
                }
            }
            return (capture, release);
        }

        /// <summary>A copy of <paramref name="buffer"/> as the forward sweep left it, written back after the reverse sweep, when the reverse sweep writes into it.</summary>
        private void CaptureBuffer(IrVariable buffer, IrBlock reverse, IrBlock capture, IrBlock release)
        {
            if (!IrWalker.AllStatements(reverse).Any(st => WritesBackInto(st, buffer))) return;
            IrType element = buffer.Type.Element!;
            IrVariable copy = _extra.Create("_final_" + LeafArrayName(buffer), IrType.ArrayOf(element, ArrayLayout.Vector), IrVariableRole.Saved);
            if (StructArrayLeaves.IsLeafArray(buffer))
            {
                // One field of an [Output] array of structs: copied out and back element by element (_final_r_X[k] = r[k].X).
                capture.Add(new IrAssign(copy, IrZeroedArray.Like(buffer, pooled: true)));
                capture.Add(StructArrayLeaves.ElementWise(_extra, buffer, copy, buffer, accumulate: false));
                release.Add(StructArrayLeaves.ElementWise(_extra, buffer, buffer, copy, accumulate: false));
                _cleanup.Add(IrPoolReturn.Of(copy));
                return;
            }
            capture.Add(new IrAssign(copy, IrBufferCall.RentCopy(copy.Type, new IrVariableReference(buffer))));
            release.Add(IrBufferCall.Effect(BufferOperation.CopyPrefixTo, new IrVariableReference(copy), new IrVariableReference(buffer)));
            _cleanup.Add(IrBufferCall.Effect(BufferOperation.Return, new IrVariableReference(copy)));
        }

        /// <summary>Whether a reverse-sweep statement writes old elements back into <paramref name="buffer"/>: an element restore, or a view's.</summary>
        private static bool WritesBackInto(IrStatement statement, IrVariable buffer) => statement switch
        {
            IrElementWrite write => write.Array == buffer,
            IrTapePopSpan pop => pop.Target.Variable == buffer,
            IrEffect { Expression: IrBufferCall { Operation: BufferOperation.CopySpan, Arguments: var arguments } } => arguments.Length == 2 && arguments[1] is IrSpan { Variable: var target } && target == buffer,
            _ => false,
        };

        /// <summary>
        /// The adjoint of a variable. A parameter array's adjoint is the caller's gradient buffer itself, unless the
        /// method writes into the array: then a local adjoint (rented, zeroed) is added into the buffer at the end,
        /// since the reverse of a write clears the element's adjoint.
        /// </summary>
        private IrVariable Adjoint(IrVariable primal)
        {
            if (_adjoints.TryGetValue(primal, out IrVariable? adjoint))
            {
                return adjoint;
            }
            if (primal.Role == IrVariableRole.Parameter && primal.Type.Kind == IrTypeKind.Array && _function.Outputs.Any(o => o.Parameter == primal))
            {
                // An [Output] buffer: a rented adjoint that starts as the caller's seed (read-only) when the reverse sweep starts;
                // nothing touches adjoints in the forward sweep (no fusion with outputs), so the prologue can copy it.
                // A leaf of an [Output] array of structs reads its seed's field (dr[k].X), element by element.
                IrVariable seed = _extra.Create("d" + primal.PreferredName.TrimStart('@'), IrType.ArrayOf(primal.Type.Element!, ArrayLayout.ReadOnlySpan), IrVariableRole.Adjoint);
                seed.GradientParameterOf = primal;
                adjoint = _extra.Create("_d_" + primal.PreferredName.TrimStart('_', '@'), IrType.ArrayOf(primal.Type.Element!, ArrayLayout.Vector), IrVariableRole.Adjoint);
                adjoint.Primal = primal;
                _adjoints[primal] = adjoint;
                _prologue.Add(new IrAssign(adjoint, IrZeroedArray.Like(primal, pooled: true)));
                _prologue.Add(StructArrayLeaves.IsLeafArray(primal)
                    ? StructArrayLeaves.ElementWise(_extra, primal, adjoint, seed, accumulate: false) // _d_r_X[k] = dr[k].X
                    : IrBufferCall.Effect(BufferOperation.CopyTo, new IrVariableReference(seed), new IrVariableReference(adjoint)));
                _cleanup.Add(IrPoolReturn.Of(adjoint));
                return adjoint;
            }
            if (primal.Role == IrVariableRole.Parameter && primal.Type.Kind == IrTypeKind.Array)
            {
                var gradientType = primal.Type.Layout is ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.ReadOnlySpan
                    ? IrType.ArrayOf(primal.Type.Element!, ArrayLayout.Span)
                    : primal.Type;
                IrVariable gradient = _extra.Create("d" + primal.PreferredName.TrimStart('@'), gradientType, IrVariableRole.Adjoint);
                gradient.GradientParameterOf = primal;
                if (!IsWritten(primal))
                {
                    gradient.Primal = primal;
                    _adjoints[primal] = gradient;
                    return gradient;
                }
                bool isVector = primal.Type.Layout is ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.ReadOnlySpan;
                adjoint = _extra.Create("_d_" + primal.PreferredName.TrimStart('_', '@'), isVector ? IrType.ArrayOf(primal.Type.Element!, ArrayLayout.Vector) : primal.Type, IrVariableRole.Adjoint);
                adjoint.Primal = primal;
                _adjoints[primal] = adjoint;
                _prologue.Add(new IrAssign(adjoint, IrZeroedArray.Like(primal, pooled: true)));
                _epilogue.Add(StructArrayLeaves.IsLeafArray(primal)
                    // dp[k].X += _d_p[k], over dp's length (checked equal to p's on entry): reading p.Length would make p's
                    // leaf live after the sweeps, and keep restores that leave a written p at its entry values.
                    ? StructArrayLeaves.ElementWise(_extra, gradient, gradient, adjoint, accumulate: true)
                    : IrBufferCall.Effect(BufferOperation.AddTo, new IrVariableReference(adjoint), new IrVariableReference(gradient)));
                _cleanup.Add(IrPoolReturn.Of(adjoint)); // a matrix or jagged adjoint too: it is rented from the shaped scratch
                return adjoint;
            }
            // A local span (a stackalloc'd scratch span) gets a pooled array as its adjoint.
            IrType adjointType = primal.Type.Layout == ArrayLayout.Span ? IrType.ArrayOf(primal.Type.Element!, ArrayLayout.Vector) : primal.Type;
            adjoint = _extra.Create("_d_" + primal.PreferredName.TrimStart('_', '@'), adjointType, IrVariableRole.Adjoint);
            adjoint.Primal = primal;
            _adjoints[primal] = adjoint;
            return adjoint;
        }

        /// <summary>An array's name for the locals derived from it: <c>r</c>, or <c>r_X</c> for one leaf of an array of structs.</summary>
        private static string LeafArrayName(IrVariable array) =>
            array.PreferredName.TrimStart('_', '@') + (StructArrayLeaves.IsLeafArray(array) ? array.StructLeaf!.Path.Replace('.', '_') : "");

        private bool IsWritten(IrVariable array) => IrWalker.AllStatements(_function.Body).Any(s => s is IrElementWrite w && w.Array == array || s is IrSpanStore store && store.DestinationArray == array
            || s is IrSimdStore simd && simd.DestinationArray == array);

        private readonly IrBlock _prologue = new();
        private readonly IrBlock _epilogue = new();
        private readonly IrBlock _cleanup = new();

        private enum RestoreKind
        {
            None,
            Invert,
            SaveLocal,
            Tape,

            /// <summary>A saved or taped value predicted dead: its pop in reverse, nothing forward (ReverseModeTransform.PredictedRestores.cs).</summary>
            Phantom,
        }

        private sealed record Restore(RestoreKind Kind, IrVariable? Saved, IrExpression? Inverse)
        {
            public static readonly Restore None = new(RestoreKind.None, null, null);
            public static readonly Restore Tape = new(RestoreKind.Tape, null, null);
            public static readonly Restore Phantom = new(RestoreKind.Phantom, null, null);
        }
    }

    /// <summary>The result of the reverse transform: both sweeps and the variables they introduced.</summary>
    internal sealed class ReverseProgram
    {
        public ReverseProgram(IrFunction function, ActivityAnalysis activity, IrBlock forward, IrBlock reverse, IrVariable resultAdjoint,
            IReadOnlyDictionary<IrVariable, IrVariable> adjoints, IReadOnlyList<IrVariable> extraVariables)
        {
            Function = function;
            Activity = activity;
            Forward = forward;
            Reverse = reverse;
            ResultAdjoint = resultAdjoint;
            Adjoints = adjoints;
            ExtraVariables = extraVariables;
        }

        public IrFunction Function { get; }

        public ActivityAnalysis Activity { get; }

        /// <summary>The original computation plus the recording the reverse sweep needs.</summary>
        public IrBlock Forward { get; }

        /// <summary>The adjoint computation; starts with the result's adjoint equal to the seed.</summary>
        public IrBlock Reverse { get; }

        public IrVariable ResultAdjoint { get; }

        /// <summary>Primal variable → its adjoint, for the active variables.</summary>
        public IReadOnlyDictionary<IrVariable, IrVariable> Adjoints { get; }

        /// <summary>Adjoints, saved values and loop counters made by the transform.</summary>
        public IReadOnlyList<IrVariable> ExtraVariables { get; }

        /// <summary>Runs where the reverse sweep starts, beside the result's seed: the seeds of <c>out</c> scalar outputs.</summary>
        public IrBlock OutputSeeds { get; init; } = new();

        /// <summary>Runs between the sweeps: the outputs as the method computed them, kept from the reverse sweep's restores.</summary>
        public IrBlock OutputCapture { get; init; } = new();

        /// <summary>Runs after the reverse sweep: output buffers the reverse sweep restored get their final values back.</summary>
        public IrBlock OutputRelease { get; init; } = new();

        /// <summary>Runs before the forward sweep: local adjoints of parameter arrays the method writes.</summary>
        public IrBlock Prologue { get; init; } = new();

        /// <summary>Runs after the reverse sweep: those local adjoints added into the caller's buffers.</summary>
        public IrBlock Epilogue { get; init; } = new();

        /// <summary>Runs on every exit (in <c>finally</c>): rented adjoint arrays go back to the pool.</summary>
        public IrBlock Cleanup { get; init; } = new();

        /// <summary>
        /// Whether the forward sweep already propagates adjoints (a fused loop, see <c>TryFuseLoops</c>): then the
        /// result's adjoint receives the seed before it.
        /// </summary>
        public bool SeedBeforeForward { get; init; }

        /// <summary>
        /// How many loops reverse each iteration right after it: top-level ones (ReverseModeTransform.FusionPlan.cs) and
        /// those nested in their iterations (ReverseModeTransform.NestedFusion.cs).
        /// </summary>
        public int FusedLoops { get; init; }
    }
}
