using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Finds restores in the reverse sweep whose value nothing reads: liveness, computed backwards over the reverse
    /// sweep. A variable is restored when the reverse of a later statement needs its earlier value; but a restore that
    /// another restore overwrites before anything reads the variable is wasted work — and inside a loop, a tape push
    /// and pop per iteration. The classic case is an accumulator: <c>z = b; for (…) z += w[j] * x[i, j];</c> restores
    /// <c>z</c> after every reversed inner iteration, yet the reversed inner body never reads <c>z</c>, and the reverse of
    /// <c>z = b</c> brings back the only value that is read (the previous outer iteration's).
    /// </summary>
    internal static partial class DeadRestores
    {
        /// <param name="reverse">The reverse sweep.</param>
        /// <param name="restores">Restore statements of the reverse sweep (by reference).</param>
        /// <param name="liveAfter">What is read after the reverse sweep (the result, adjoints, the epilogue's reads).</param>
        /// <param name="fills">
        /// Loops of the reverse sweep (by reference) that write every element of an array before anything reads it
        /// (ReverseModeTransform.WholeArrayFills.cs): what the array held before such a loop is dead.
        /// </param>
        /// <returns>The restores whose value is never read.</returns>
        public static HashSet<IrStatement> Find(IrBlock reverse, IReadOnlyCollection<IrStatement> restores, IEnumerable<IrVariable> liveAfter,
            IReadOnlyDictionary<IrStatement, IrVariable>? fills = null)
        {
            HashSet<IrStatement> used = Analyze(reverse, liveAfter, restores, ignorePushes: true, fills: fills).Used;
            var dead = new HashSet<IrStatement>(restores.Where(r => !used.Contains(r)), ReferenceComparer<IrStatement>.Instance);
            return dead;
        }

        /// <summary>
        /// Which of the restores a later round would make are dead, predicted on a sweep without them: each restore stands
        /// as an anchor, a variable assigned right after a statement of <paramref name="reverse"/> (ReverseModeTransform.PredictedRestores.cs).
        /// Returns the assignments (the anchors' keys) whose variable is not live after their anchor. A prediction only:
        /// the round built from it verifies it (anchors in loops are not part of the loops' Kill, so this errs towards live).
        /// </summary>
        /// <param name="anchors">Statement → the restores right after it, in the order they would run.</param>
        public static HashSet<object> PredictDead(IrBlock reverse, Dictionary<IrStatement, List<(IrVariable Variable, object Assignment)>> anchors,
            IEnumerable<IrVariable> liveAfter, IReadOnlyDictionary<IrStatement, IrVariable>? fills = null)
        {
            Liveness state = Analyze(reverse, liveAfter, System.Array.Empty<IrStatement>(), ignorePushes: true, fills: fills, anchors: anchors);
            var dead = new HashSet<object>(ReferenceComparer<object>.Instance);
            foreach (List<(IrVariable Variable, object Assignment)> list in anchors.Values)
            {
                foreach (var (_, assignment) in list)
                {
                    if (!state.LiveAnchors!.Contains(assignment)) dead.Add(assignment);
                }
            }
            return dead;
        }

        /// <summary>
        /// Removes resets of scalar adjoints (<c>_d_t = 0;</c>) that nothing reads before the next assignment: after the
        /// zero-adjoint pass turns accumulations into assignments, a reset is often followed by an assignment in the
        /// next iteration, or by nothing. <paramref name="liveAfter"/>: what is read after both sweeps.
        /// </summary>
        public static void RemoveDeadAdjointResets(IrBlock forward, IrBlock reverse, IEnumerable<IrVariable> liveAfter)
        {
            static bool IsReset(IrStatement s) => s is IrAssign { Target.IsScalarAdjoint: true } reset && IrConstant.IsRealZero(reset.Value);
            var resets = new HashSet<IrStatement>(IrWalker.AllStatements(reverse).Where(IsReset), ReferenceComparer<IrStatement>.Instance);
            // The forward sweep runs before the reverse one and no loop joins them: what is live after a statement of the
            // reverse sweep does not depend on the forward one. It is analysed too only when it holds resets (fused
            // loops reverse there): a long loop's forward body is otherwise walked for nothing.
            int inReverse = resets.Count;
            resets.UnionWith(IrWalker.AllStatements(forward).Where(IsReset));
            if (resets.Count == 0) return;
            IrBlock analysed = resets.Count == inReverse ? reverse : new IrBlock(forward.Statements.Concat(reverse.Statements));
            resets.ExceptWith(Analyze(analysed, liveAfter, resets).Used);
            if (resets.Count == 0) return;
            Remove(forward, resets);
            Remove(reverse, resets);
        }

        private static void Remove(IrBlock block, HashSet<IrStatement> statements)
        {
            block.Statements.RemoveAll(statements.Contains);
            foreach (IrStatement statement in block.Statements)
            {
                foreach (IrBlock child in IrWalker.ChildBlocks(statement)) Remove(child, statements);
            }
        }

        /// <summary>
        /// For each reversed loop (by reference), the variables live right after it: read later in the reverse sweep
        /// before anything assigns them.
        /// </summary>
        public static Dictionary<IrStatement, HashSet<IrVariable>> LiveAfterLoops(IrBlock reverse, IEnumerable<IrVariable> liveAfter) =>
            Analyze(reverse, liveAfter, Enumerable.Empty<IrStatement>(), collectLoops: true).LoopsLiveOut!;

        /// <summary>Liveness backwards over <paramref name="block"/>, from what is read after it.</summary>
        /// <param name="watched">Assignments (restores, resets) whose target is checked for being live right after them.</param>
        /// <param name="ignorePushes">
        /// Tape pushes in the reverse sweep record values for a recomputed iteration's own reverse
        /// (ReverseModeTransform.Recompute.cs): such a push reads its variable only for the restore that pops it, so it
        /// does not make a restore before it live (the restore it serves is analysed in its own right).
        /// </param>
        private static Liveness Analyze(IrBlock block, IEnumerable<IrVariable> liveAfter, IEnumerable<IrStatement> watched, bool collectLoops = false, bool ignorePushes = false,
            IReadOnlyDictionary<IrStatement, IrVariable>? fills = null, Dictionary<IrStatement, List<(IrVariable Variable, object Assignment)>>? anchors = null)
        {
            // An array variable the block never reassigns always refers to the same array: writing one of its elements
            // does not read what it holds, so it does not make the array live. (One that is reassigned, a local array
            // allocated in a loop, counts as read: its reference must be right for the write.)
            var reassigned = new HashSet<IrVariable>();
            AddAssignedVariables(block, reassigned);
            var state = new Liveness(new LiveSet(liveAfter), new HashSet<IrStatement>(watched, ReferenceComparer<IrStatement>.Instance),
                new HashSet<IrStatement>(ReferenceComparer<IrStatement>.Instance), reassigned)
            {
                LoopsLiveOut = collectLoops ? new Dictionary<IrStatement, HashSet<IrVariable>>(ReferenceComparer<IrStatement>.Instance) : null,
                IgnorePushes = ignorePushes,
                Fills = fills,
                Anchors = anchors,
                LiveAnchors = anchors is null ? null : new HashSet<object>(ReferenceComparer<object>.Instance),
            };
            LiveBefore(block, state);
            return state;
        }

        /// <summary>
        /// Adds the variable of every whole-variable assignment in <paramref name="block"/>, nested ones included, that can
        /// hold an array (the set is asked only of the arrays of element writes; a scalar never is one, and the scalars
        /// are most of a long sweep's assignments).
        /// </summary>
        private static void AddAssignedVariables(IrBlock block, HashSet<IrVariable> assigned)
        {
            foreach (IrStatement statement in block.Statements)
            {
                if (statement is IrAssign { Target.Type.Kind: not (IrTypeKind.Double or IrTypeKind.Float or IrTypeKind.Bool or IrTypeKind.Integer or IrTypeKind.GenericReal) } assign)
                {
                    assigned.Add(assign.Target);
                }
                foreach (IrBlock child in IrWalker.ChildBlocks(statement)) AddAssignedVariables(child, assigned);
            }
        }

        /// <param name="Restores">The watched statements (restores or resets).</param>
        /// <param name="Used">Those of them whose target is live right after them on some path or iteration.</param>
        private sealed record Liveness(LiveSet Live, HashSet<IrStatement> Restores, HashSet<IrStatement> Used, HashSet<IrVariable> Reassigned)
        {
            /// <summary>When set, collects what is live after each reversed loop (the union over the fixed-point passes).</summary>
            public Dictionary<IrStatement, HashSet<IrVariable>>? LoopsLiveOut { get; init; }

            public bool IgnorePushes { get; init; }

            /// <summary>Loops that write a whole array before reading it (see <see cref="Find"/>), or null.</summary>
            public IReadOnlyDictionary<IrStatement, IrVariable>? Fills { get; init; }

            /// <summary>Each loop block's Gen, found once per analysis (DeadRestores.Transfers.cs); shared by <see cref="With"/>.</summary>
            public Dictionary<IrBlock, HashSet<IrVariable>> Gens { get; init; } = new(ReferenceComparer<IrBlock>.Instance);

            /// <summary>Each head-tested loop's head and body's Kill, found once per analysis (DeadRestores.Transfers.cs).</summary>
            public Dictionary<IrBlock, HashSet<IrVariable>> Kills { get; init; } = new(ReferenceComparer<IrBlock>.Instance);

            /// <summary>
            /// A walk that finds a block's Gen: its loops take their fixed point from their Gen and Kill without walking
            /// their bodies (a later walk, from the enclosing loop's fixed point, records what is live in them).
            /// </summary>
            public bool FindingGen { get; init; }

            /// <summary>Restores predicted, not yet made: see <see cref="PredictDead"/>; null otherwise.</summary>
            public Dictionary<IrStatement, List<(IrVariable Variable, object Assignment)>>? Anchors { get; init; }

            /// <summary>The anchors' assignments whose variable is live after the anchor on some path or iteration.</summary>
            public HashSet<object>? LiveAnchors { get; init; }

            public Liveness With(LiveSet live) => this with { Live = live };
        }

        /// <summary>
        /// The live variables at one point, changed in place, every change logged: an if analyses one branch, undoes it,
        /// analyses the other and adds back what the first made live, at the cost of what its branches change. (Copying
        /// the set at each if made the analysis quadratic on branchy code: the reverse sweep reads the forward sweep's
        /// values, so the set holds about one variable per statement.)
        /// </summary>
        private sealed class LiveSet
        {
            private readonly HashSet<IrVariable> _set;
            private readonly List<(IrVariable Variable, bool Added)> _log = new();

            /// <summary>
            /// How many marks are open (ifs being analysed). Changes are logged only then: outside every if nothing reads
            /// the log, and logging each change of a whole loop body's analysis made a list as long as the body, per pass.
            /// </summary>
            private int _openMarks;

            public LiveSet(IEnumerable<IrVariable> variables) => _set = new HashSet<IrVariable>(variables);

            public HashSet<IrVariable> Variables => _set;

            /// <summary>Opens a mark: changes from here on are logged until the matching <see cref="CloseMark"/>.</summary>
            public int OpenMark()
            {
                _openMarks++;
                return _log.Count;
            }

            /// <summary>Closes the innermost mark; once none is open, the log is dropped (nothing can read it any more).</summary>
            public void CloseMark()
            {
                if (--_openMarks == 0) _log.Clear();
            }

            public bool Contains(IrVariable variable) => _set.Contains(variable);

            public void Add(IrVariable variable)
            {
                if (_set.Add(variable) && _openMarks > 0) _log.Add((variable, true));
            }

            public void Remove(IrVariable variable)
            {
                if (_set.Remove(variable) && _openMarks > 0) _log.Add((variable, false));
            }

            public void UnionWith(IEnumerable<IrVariable> variables)
            {
                foreach (IrVariable variable in variables) Add(variable);
            }

            /// <summary>Adds what <paramref name="expression"/> reads, through a reused list (one per statement of every pass otherwise).</summary>
            public void AddReadsOf(IrExpression expression)
            {
                _reads.Clear();
                expression.AddReadVariables(_reads);
                foreach (IrVariable variable in _reads) Add(variable);
            }

            /// <summary>Adds what <paramref name="statement"/> itself reads (<see cref="IrWalker.ReadsOf"/>), through the reused list.</summary>
            public void AddReadsOf(IrStatement statement)
            {
                _reads.Clear();
                IrWalker.AddReadsOf(statement, _reads);
                foreach (IrVariable variable in _reads) Add(variable);
            }

            /// <summary>Adds what the indices, then the value, of an element write or accumulation read.</summary>
            public void AddReadsOf(System.Collections.Immutable.ImmutableArray<IrExpression> indices, IrExpression value)
            {
                _reads.Clear();
                foreach (IrExpression index in indices) index.AddReadVariables(_reads);
                value.AddReadVariables(_reads);
                foreach (IrVariable variable in _reads) Add(variable);
            }

            private readonly List<IrVariable> _reads = new();

            /// <summary>
            /// Scratch of <see cref="ChangesSince"/> (asked twice per if). Clearing costs its capacity, so one grown by a
            /// large if is replaced rather than cleared for every small if after it.
            /// </summary>
            private HashSet<IrVariable> _seen = new();

            /// <summary>
            /// The variables added and removed since <paramref name="mark"/> (net: in or out of the set now, not then), in
            /// collections of this set's that the caller gives back with <see cref="Release"/> when it is done with them
            /// (an if holds its Then branch's changes while its Else branch is analysed, nested ifs included): two new
            /// collections per if per pass were a tenth of the analysis's allocation on branchy code.
            /// </summary>
            public (List<IrVariable> Added, HashSet<IrVariable> Removed) ChangesSince(int mark)
            {
                List<IrVariable> added = _freeLists.Count > 0 ? _freeLists.Pop() : new List<IrVariable>();
                HashSet<IrVariable> removed = _freeSets.Count > 0 ? _freeSets.Pop() : new HashSet<IrVariable>();
                if (_seen.Count > 256) _seen = new HashSet<IrVariable>();
                else _seen.Clear();
                HashSet<IrVariable> seen = _seen;
                for (int i = mark; i < _log.Count; i++)
                {
                    var (variable, wasAdded) = _log[i];
                    // The first change of a variable says whether it was in the set at the mark.
                    if (!seen.Add(variable)) continue;
                    if (wasAdded && _set.Contains(variable)) added.Add(variable);
                    else if (!wasAdded && !_set.Contains(variable)) removed.Add(variable);
                }
                return (added, removed);
            }

            /// <summary>Gives back what <see cref="ChangesSince"/> returned (emptied; a large one is dropped, as clearing it costs its capacity).</summary>
            public void Release((List<IrVariable> Added, HashSet<IrVariable> Removed) changes)
            {
                if (changes.Added.Count <= 256)
                {
                    changes.Added.Clear();
                    _freeLists.Push(changes.Added);
                }
                if (changes.Removed.Count <= 256)
                {
                    changes.Removed.Clear();
                    _freeSets.Push(changes.Removed);
                }
            }

            private readonly Stack<List<IrVariable>> _freeLists = new();
            private readonly Stack<HashSet<IrVariable>> _freeSets = new();

            public void UndoTo(int mark)
            {
                for (int i = _log.Count - 1; i >= mark; i--)
                {
                    var (variable, added) = _log[i];
                    if (added) _set.Remove(variable);
                    else _set.Add(variable);
                }
                _log.RemoveRange(mark, _log.Count - mark);
            }

            /// <summary>Replaces the contents, unlogged, with no mark open: a new start for the next pass over a loop body.</summary>
            public void ResetTo(HashSet<IrVariable> variables)
            {
                _set.Clear();
                _set.UnionWith(variables);
                _log.Clear();
                _openMarks = 0;
            }

            /// <summary>Replaces the contents (a loop's fixed point), logged like any other change.</summary>
            public void SetTo(HashSet<IrVariable> variables)
            {
                foreach (IrVariable variable in _set.Where(v => !variables.Contains(v)).ToList()) Remove(variable);
                UnionWith(variables);
            }
        }

        /// <summary>
        /// Updates the state's live set from the variables live after <paramref name="block"/> to those live before it,
        /// recording every watched statement that is live in at least one pass (loops are iterated to a fixed point, so
        /// one live on any path or iteration is recorded).
        /// </summary>
        private static void LiveBefore(IrBlock block, Liveness state)
        {
            for (int i = block.Statements.Count - 1; i >= 0; i--)
            {
                LiveBefore(block.Statements[i], state);
            }
        }

        private static void LiveBefore(IrStatement statement, Liveness state)
        {
            LiveSet live = state.Live;
            if (state.Anchors is { } anchors && anchors.TryGetValue(statement, out var restores))
            {
                // The restores after the statement, last first: each is live if its variable is, and assigns it.
                for (int k = restores.Count - 1; k >= 0; k--)
                {
                    var (variable, assignment) = restores[k];
                    if (live.Contains(variable)) state.LiveAnchors!.Add(assignment);
                    live.Remove(variable);
                }
            }
            switch (statement)
            {
                case IrAssign assign:
                    if (state.Restores.Contains(assign) && live.Contains(assign.Target)) state.Used.Add(assign);
                    live.Remove(assign.Target);
                    live.AddReadsOf(assign.Value);
                    break;
                case IrIf branch:
                {
                    // Live before = live before Then ∪ live before Else, both from the same live set after the if.
                    int mark = live.OpenMark();
                    LiveBefore(branch.Then, state);
                    var thenChanges = live.ChangesSince(mark);
                    live.UndoTo(mark);
                    LiveBefore(branch.Else, state);
                    // What Else removed stays live if Then did not remove it; what Then added is live too.
                    var elseChanges = live.ChangesSince(mark);
                    foreach (IrVariable removed in elseChanges.Removed)
                    {
                        if (!thenChanges.Removed.Contains(removed)) live.Add(removed);
                    }
                    live.UnionWith(thenChanges.Added);
                    live.Release(elseChanges);
                    live.Release(thenChanges);
                    live.AddReadsOf(branch.Condition);
                    live.CloseMark();
                    break;
                }
                case IrRepeat repeat:
                    if (state.LoopsLiveOut is { } loops)
                    {
                        if (!loops.TryGetValue(repeat, out var seen)) loops[repeat] = seen = new HashSet<IrVariable>();
                        seen.UnionWith(live.Variables);
                    }
                    // The body runs zero or more times: live before = live after ∪ live before the body, to a fixed point.
                    LoopLiveBefore(repeat.Body, state);
                    live.UnionWith(repeat.Count.ReadVariables());
                    break;
                case IrLoop loop:
                {
                    // while (true) { Head; if (!Condition) break; Body; }: the head runs at least once and the condition
                    // reads what it computes, so live at entry = live before the head, whose out is the condition's
                    // reads, what is live after the loop and live before the body (whose out is live at entry).
                    var after = new HashSet<IrVariable>(live.Variables);
                    // Started at the fixed point (DeadRestores.Transfers.cs), the first walk confirms it and records what
                    // is live in the loop's last iteration; a walk finding an enclosing block's Gen needs only the point.
                    HashSet<IrVariable> entry = LoopEntry(loop, after, state);
                    while (!state.FindingGen)
                    {
                        var body = new LiveSet(entry);
                        var head = new LiveSet(after);
                        using (PassTimings.Time(LoopBodyWalks))
                        {
                            LiveBefore(loop.Body, state.With(body));
                            head.UnionWith(body.Variables);
                            head.UnionWith(loop.Condition.ReadVariables());
                            LiveBefore(loop.Head, state.With(head));
                        }
                        int before = entry.Count;
                        entry.UnionWith(head.Variables);
                        if (entry.Count == before) break;
                    }
                    // A fill loop writes every element before reading any: the array's earlier contents are dead before it.
                    // (Not for an array variable the block reassigns: its reference must be right for the writes.)
                    if (FilledWhole(loop, state) is { } filled) entry.Remove(filled);
                    live.SetTo(entry);
                    break;
                }
                case IrElementWrite write:
                    // An element restore is wasted if nothing reads the array afterwards (elements are not told apart).
                    if (state.Restores.Contains(write) && live.Contains(write.Array)) state.Used.Add(write);
                    live.AddReadsOf(write.Indices, write.Value);
                    if (state.Reassigned.Contains(write.Array)) live.Add(write.Array);
                    break;
                case IrSimdStore simd:
                    // Count lanes of an array: like an element write (or, accumulating, an element accumulation).
                    if (state.Restores.Contains(simd) && live.Contains(simd.DestinationArray)) state.Used.Add(simd);
                    live.UnionWith(simd.Destination.Children.Skip(1).SelectMany(e => e.ReadVariables()).Concat(simd.Value.ReadVariables()));
                    if (state.Reassigned.Contains(simd.DestinationArray)) live.Add(simd.DestinationArray);
                    break;
                case IrTapePopSpan { Target: { Start: null, Length: null, Variable: { } whole } } wholePop:
                    // A whole array taken back from the tape (a scratch array's snapshot, ReverseModeTransform.Snapshots.cs,
                    // or a whole destination's old contents): every element is overwritten, so what it held before is dead.
                    if (state.Restores.Contains(wholePop) && live.Contains(whole)) state.Used.Add(wholePop);
                    if (state.Reassigned.Contains(whole)) live.Add(whole);
                    else live.Remove(whole);
                    break;
                case IrTapePopSpan pop:
                    // A view's old contents back from the tape: like an element write, over part of the array.
                    if (state.Restores.Contains(pop) && pop.Target.Variable is { } restored && live.Contains(restored)) state.Used.Add(pop);
                    live.UnionWith(pop.Target.Children.Skip(1).SelectMany(e => e.ReadVariables()));
                    if (pop.Target.Variable is { } target && state.Reassigned.Contains(target)) live.Add(target);
                    break;
                case IrTapePush or IrTapePushSpan when state.IgnorePushes:
                    break;
                case IrElementAccumulate accumulate:
                    live.AddReadsOf(accumulate.Indices, accumulate.Value);
                    if (state.Reassigned.Contains(accumulate.Array)) live.Add(accumulate.Array);
                    break;
                default:
                    // Statements that do not assign a whole variable kill nothing (an accumulation reads its target).
                    foreach (IrBlock child in IrWalker.ChildBlocks(statement))
                    {
                        LoopLiveBefore(child, state);
                    }
                    live.AddReadsOf(statement);
                    if (statement is IrBackwardCall call)
                    {
                        live.UnionWith(call.Adjoints.OfType<IrVariable>());
                    }
                    break;
            }
        }

        /// <summary>A body that runs zero or more times: live before it = live after it ∪ live before the body, to a fixed point.</summary>
        private static void LoopLiveBefore(IrBlock body, Liveness state)
        {
            LiveSet live = state.Live;
            // Started at the fixed point, live after ∪ Gen(body) (DeadRestores.Transfers.cs): the first walk confirms it
            // and records what is live in the body's last iteration; a walk finding an enclosing block's Gen needs only the
            // point (and no copy of what is live after the body).
            if (state.FindingGen)
            {
                live.UnionWith(GenOf(body, state));
                return;
            }
            var after = new HashSet<IrVariable>(live.Variables);
            live.UnionWith(GenOf(body, state));
            LiveSet? iteration = null;
            while (true)
            {
                // One set for every pass, refilled: a copy per pass of a set as large as the loop body's reads was a large
                // object each time (and large objects bring full collections).
                if (iteration is null) iteration = new LiveSet(live.Variables);
                else iteration.ResetTo(live.Variables);
                using (PassTimings.Time(LoopBodyWalks)) LiveBefore(body, state.With(iteration));
                iteration.UnionWith(after);
                if (iteration.Variables.SetEquals(live.Variables)) return;
                live.SetTo(iteration.Variables);
            }
        }
    }
}
