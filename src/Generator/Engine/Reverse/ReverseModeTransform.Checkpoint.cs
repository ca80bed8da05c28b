using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;
using ArrayLayout = AutoDiffGen.Generator.Engine.Ir.ArrayLayout;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Store or recompute, per segment of a loop with real loop-carried state (time stepping, recurrences, an LSTM over
    /// a sequence): checkpointing. The forward sweep runs the loop plainly, recording nothing per iteration but the
    /// loop's state every k ≈ √n iterations (a checkpoint); the reverse, for each segment last first, restores its
    /// checkpoint, runs the segment forward again recording as usual, and reverses it. The tape then holds √n
    /// checkpoints and one segment's recording — O(state · √n) — instead of every iteration's, O(recording · n), for
    /// one more forward pass over the loop (Griewank and Walther's fixed-stride checkpointing; design.md, "Store or
    /// recompute").
    /// </summary>
    /// <remarks>
    /// <para>Whether a run of such a loop is checkpointed is decided at run time, before it starts: when its whole recording
    /// (trip count times the values one iteration pushes) would exceed <see cref="TapeBudget"/>; below that the loop is
    /// taped as before, which costs memory and no time (see <see cref="TapeBudget"/> for why).</para>
    /// <para>A loop is checkpointable when it is not inside another loop, its iterations are not recomputable one by one
    /// (ReverseModeTransform.Recompute.cs: that needs no checkpoint at all), it is counted (<c>for (c = c0; c &lt; bound;
    /// c++)</c>: the reverse computes its trip count), it cannot leave early, throw, run an effect or allocate, and its
    /// state can be snapshot:</para>
    /// <list type="bullet">
    /// <item>the state is every scalar the loop writes that can carry a value from one iteration to the next (all but
    /// the counter, loop tests, temporaries and locals declared in the loop), accumulators included, and every array it
    /// writes;</item>
    /// <item>an array written in the loop must be a local vector allocated once before the loop (<c>new T[len]</c>) whose
    /// length reads nothing the trip count reads (an array as long as the loop — a trajectory, a prefix sum — would make
    /// every checkpoint O(n), and √n of them cost more than the tape they save); a parameter array, a jagged or
    /// multi-dimensional local, an array allocated in the loop: the loop is taped as before.</item>
    /// </list>
    /// <para>Sound by the reverse sweep's invariant: when the loop's reverse starts, every variable the re-run reads
    /// and the loop does not write holds its value from before the loop (the re-run's reads make those variables
    /// restored by the reverse of what follows), and a checkpoint gives every variable the loop writes its value at
    /// the start of its segment; the segment's re-run therefore computes what the forward sweep computed, records what
    /// its reverse pops, and the reverse of its first iteration leaves the restored variables as they were at the
    /// segment's start, which is what the previous segment's reverse expects after its own re-run.</para>
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>Loops (by reference) checkpointed rather than taped per iteration.</summary>
        private readonly HashSet<object> _checkpointedLoops = new(ReferenceComparer<object>.Instance);

        /// <summary>The loops to checkpoint: outside every loop (those inside are the re-run's business), not excluded, not
        /// recomputed, with snapshot-able state.</summary>
        private List<IrLoop> CheckpointableLoops(HashSet<object> excluded) =>
            ChooseLoops(excluded, (loop, previous) => !_recomputedLoops.Contains(loop) && CheckpointState(loop, previous) is not null, searchInsideLoops: false);

        /// <summary>What a checkpoint of the loop holds, or null when the loop is not checkpointed (see the remarks).</summary>
        private CheckpointStateSet? CheckpointState(IrLoop loop, IrAssign? previous)
        {
            // Found once for all rounds (FunctionChoices): it depends on the function only, and walks the whole loop.
            if (_checkpointStates.TryGetValue(loop, out var known) && ReferenceEquals(known.Previous, previous)) return known.State;
            CheckpointStateSet? state = FindCheckpointState(loop, previous);
            _checkpointStates[loop] = (previous, state);
            return state;
        }

        /// <summary>The answers of <see cref="CheckpointState"/>, by loop (reference), with the statement before it they were
        /// found for; shared with later rounds.</summary>
        private readonly Dictionary<object, (IrAssign? Previous, CheckpointStateSet? State)> _checkpointStates = new(ReferenceComparer<object>.Instance);

        private CheckpointStateSet? FindCheckpointState(IrLoop loop, IrAssign? previous)
        {
            if (CountedLoop.Match(loop, previous) is not { TripCount: { } tripCount } counted || CountedLoop.MayLeaveEarly(loop)) return null;
            var statements = IrWalker.Deep(loop).ToList();
            if (statements.Any(s => s is IrThrow or IrEffect or IrSpanStore or IrSimdStore or IrAssign { Value: IrNewArray or IrSpanCall or IrDifferentiableCall { Type.Kind: IrTypeKind.Array } }))
            {
                return null;
            }
            // The re-run repeats the body only (the trip count is known): the body must not read what the head computes.
            var headWrites = new HashSet<IrVariable>(IrWalker.AllStatements(loop.Head).Select(IrWalker.WriteOf).OfType<IrVariable>());
            if (IrWalker.AllStatements(loop.Body).SelectMany(IrWalker.ReadsOf).Any(headWrites.Contains)) return null;
            var tripReads = new HashSet<IrVariable>(tripCount.ReadVariables());
            var scalars = new List<IrVariable>();
            var arrays = new List<IrVariable>();
            foreach (IrVariable variable in statements.Select(IrWalker.WriteOf).OfType<IrVariable>().Distinct())
            {
                if (variable == counted.Counter) continue;
                if (variable.Type.Kind == IrTypeKind.Array)
                {
                    if (!IsSnapshotArray(variable, loop, tripReads)) return null;
                    arrays.Add(variable);
                    continue;
                }
                // Per-iteration values, and loop tests (every head computes its own before reading it; a loop that
                // writes any other control variable — break, continue, return — was refused above).
                if (BelongsToOneIteration(variable, loop) || variable.Role == IrVariableRole.Control) continue;
                scalars.Add(variable);
            }
            // Only accumulators and the counter carried: nothing a checkpoint would save (the loop is recomputed, fused
            // or records only per-iteration values).
            if (arrays.Count == 0 && scalars.All(v => IsAccumulator(v, statements))) return null;
            return new CheckpointStateSet(counted, tripCount, scalars, arrays);
        }

        /// <summary>A local vector allocated once, before the loop, by <c>new T[len]</c> with a length independent of the trip count.</summary>
        private bool IsSnapshotArray(IrVariable array, IrLoop loop, HashSet<IrVariable> tripReads)
        {
            if (SingleVectorAllocation(array) is not { } found) return false;
            var (allocation, created) = found;
            if (IrWalker.Deep(loop).Any(s => ReferenceEquals(s, allocation))) return false;
            return !created.Lengths[0].ReadVariables().Any(tripReads.Contains);
        }

        /// <summary>The state a checkpoint saves, and the loop's counting.</summary>
        private sealed record CheckpointStateSet(CountedLoop Counted, IrExpression TripCount, List<IrVariable> Scalars, List<IrVariable> Arrays);

        /// <summary>
        /// Below this many iterations a loop is taped as before: its recording is small, and checkpointing would cost a
        /// forward pass over the loop to save little. The choice is made at run time, on the trip count.
        /// </summary>
        private const int CheckpointMinimumTrips = 64;

        /// <summary>
        /// Store or recompute, by memory: a loop whose whole recording (its values per iteration times its trip count)
        /// fits in this many tape values — 8 MiB of doubles — is taped, not checkpointed. Taping costs that memory and
        /// nothing else; checkpointing costs one more forward pass over the loop (its segments run again in reverse) to
        /// bring the memory down to O(state · √n). Below the budget the time is worth more than the memory: a hand-written
        /// back-propagation through time keeps about as much per step (the LSTM's keeps 8 b values per layer and step where
        /// the tape keeps 9 b), and the re-run alone made the LSTM's gradient 1.5 × slower. Above it the memory would grow
        /// with the data without bound, so the loop is checkpointed. The recording per iteration is counted on the taped
        /// loop (<see cref="RecordingPerIteration"/>); when it cannot be (an inner loop whose trip count changes from one
        /// iteration to the next), the loop is checkpointed from <see cref="CheckpointMinimumTrips"/> iterations on, as
        /// before.
        /// </summary>
        internal const int TapeBudget = 1 << 20;

        /// <summary>
        /// <c>trips ≥ CheckpointMinimumTrips &amp; trips · perIteration &gt; TapeBudget</c> (the second test only when the
        /// recording per iteration is known): whether this run of the loop is checkpointed. In doubles, which cannot
        /// overflow.
        /// </summary>
        private static IrExpression CheckpointsWanted(IrExpression trips, IrExpression? perIteration)
        {
            IrExpression longRun = new IrBinary(IrBinaryOperator.GreaterThanOrEqual, trips, IrConstant.Of(CheckpointMinimumTrips), IrType.Bool);
            if (perIteration is null) return longRun;
            IrExpression recording = Times(new IrConvert(trips, IrType.Double), perIteration);
            IrExpression overBudget = new IrBinary(IrBinaryOperator.GreaterThan, recording, IrConstant.Of((double)TapeBudget), IrType.Bool);
            return new IrBinary(IrBinaryOperator.And, longRun, overBudget, IrType.Bool);
        }

        /// <summary>
        /// How many values one iteration of the taped loop pushes (onto the tape of <paramref name="only"/>, or onto every
        /// tape when null), as a double expression valid before the loop, or null when that is not known there: each push
        /// counts one, a recorded view its length, a branch both its arms (an upper bound), an inner counted loop its trip
        /// count times its body's, when the trip count reads nothing the loop assigns. A view's array must not be
        /// assigned in the loop either.
        /// </summary>
        private IrExpression? RecordingPerIteration(IrLoop loop, IrLoop taped, IrType? only = null)
        {
            // Asked once per loop and once per tape it pushes to: the loop's assignments are collected once.
            if (!_assignedInLoop.TryGetValue(loop, out HashSet<IrVariable>? assigned))
            {
                assigned = new HashSet<IrVariable>(IrWalker.Deep(loop).OfType<IrAssign>().Select(a => a.Target));
                _assignedInLoop[loop] = assigned;
            }
            // The transform's counted inner loops, by their forward body (the forward loop is a copy of the original).
            var countedByBody = new Dictionary<object, CountedLoop?>(ReferenceComparer<object>.Instance);
            foreach (LoopParts parts in _loopParts.Values) countedByBody[parts.BodyForward] = parts.Counted;
            bool Invariant(IrExpression e) => !e.ReadVariables().Any(assigned.Contains);
            bool Counted(IrType pushed) => only is null || pushed.CSharpName == only.CSharpName;

            IrExpression? Count(IrBlock block)
            {
                IrExpression total = ZeroValues;
                foreach (IrStatement statement in block.Statements)
                {
                    IrExpression? own = statement switch
                    {
                        IrTapePush push => Counted(push.Value.Type) ? OneValue : ZeroValues,
                        IrTapePushSpan { Source: var span } when !Counted(span.SpanType.Element!) => ZeroValues,
                        IrTapePushSpan { Source: var span } => span.Length is { } length
                            ? (Invariant(length) ? new IrConvert(length, IrType.Double) : null)
                            : span.Start is null && span.Array is IrVariableReference { Variable: var array } && !assigned.Contains(array)
                                ? new IrConvert(LengthOf(array), IrType.Double)
                                : null,
                        IrIf branch => Count(branch.Then) is { } then && Count(branch.Else) is { } otherwise ? Plus(then, otherwise) : null,
                        IrLoop inner => CountLoop(inner),
                        IrRepeat repeat => Count(repeat.Body) is { } body ? (IsZero(body) ? body : Invariant(repeat.Count) ? Times(new IrConvert(repeat.Count, IrType.Double), body) : null) : null,
                        _ => ZeroValues,
                    };
                    if (own is null) return null;
                    total = Plus(total, own);
                }
                return total;
            }

            IrExpression? CountLoop(IrLoop inner)
            {
                if (Count(inner.Head) is not { } head || Count(inner.Body) is not { } body) return null;
                IrExpression perTrip = Plus(head, body);
                if (IsZero(perTrip)) return perTrip;
                if (!countedByBody.TryGetValue(inner.Body, out CountedLoop? counted) || counted?.TripCount is not { } trips
                    || !Invariant(trips) || !Invariant(counted.Start))
                {
                    return null;
                }
                return Times(new IrConvert(trips, IrType.Double), perTrip);
            }

            return Count(taped.Head) is { } headCount && Count(taped.Body) is { } bodyCount ? Plus(headCount, bodyCount) : null;
        }

        /// <summary>
        /// 0.0 and 1.0, the counts of most statements of a long loop body: one instance each rather than a constant (and a
        /// boxed double) per statement per count (constants are immutable and compared by value).
        /// </summary>
        private static readonly IrConstant ZeroValues = IrConstant.Of(0.0), OneValue = IrConstant.Of(1.0);

        /// <summary>The variables each loop (by reference) assigns, for <see cref="RecordingPerIteration"/>.</summary>
        private readonly Dictionary<object, HashSet<IrVariable>> _assignedInLoop = new(ReferenceComparer<object>.Instance);

        private static bool IsZero(IrExpression e) => e is IrConstant { Value: 0.0 };

        private static IrExpression Plus(IrExpression a, IrExpression b) =>
            IsZero(a) ? b : IsZero(b) ? a
            : a is IrConstant { Value: double x } && b is IrConstant { Value: double y } ? IrConstant.Of(x + y)
            : new IrBinary(IrBinaryOperator.Add, a, b, IrType.Double);

        private static IrExpression Times(IrExpression a, IrExpression b) =>
            IsZero(a) || IsZero(b) ? IrConstant.Of(0.0)
            : a is IrConstant { Value: 1.0 } ? b : b is IrConstant { Value: 1.0 } ? a
            : a is IrConstant { Value: double x } && b is IrConstant { Value: double y } ? IrConstant.Of(x * y)
            : new IrBinary(IrBinaryOperator.Multiply, a, b, IrType.Double);

        /// <summary>
        /// The forward sweep of a checkpointed loop: when it runs long enough, the loop as written with, at the start of
        /// every k-th iteration, its state pushed (scalars, then each array's elements in order), k = ⌊√n⌋ + 1 for n
        /// iterations; otherwise the taped loop. <paramref name="wanted"/> keeps the choice for the reverse.
        /// </summary>
        private void ForwardWithCheckpoints(IrLoop loop, CheckpointStateSet state, IrVariable stride, IrVariable wanted, IrLoop taped, IrBlock forward)
        {
            string? origin = loop.Origin;
            forward.Add(new IrAssign(wanted, CheckpointsWanted(state.TripCount, RecordingPerIteration(loop, taped))) { Origin = origin });
            var untilCheckpoint = _extra.Create("_untilCheckpoint", IrType.Int, IrVariableRole.Control);
            IrExpression root = new IrConvert(new IrMathCall(MathFunction.Sqrt, ImmutableArray.Create<IrExpression>(new IrConvert(state.TripCount, IrType.Double)), IrType.Double), IrType.Int);
            var checkpointed = new IrBlock();
            checkpointed.Add(new IrComment("A long loop: its state every " + stride.PreferredName + " iterations, nothing else recorded (its segments run again in reverse)."));
            checkpointed.Add(new IrAssign(stride, new IrBinary(IrBinaryOperator.Add, root, IrConstant.Of(1), IrType.Int)) { Origin = origin });
            checkpointed.Add(new IrAssign(untilCheckpoint, IrConstant.Of(0)) { Origin = origin });

            var save = new IrBlock();
            foreach (IrVariable scalar in state.Scalars) save.Add(new IrTapePush(new IrVariableReference(scalar)) { Origin = origin });
            // Each array as one block copy (its elements first to last).
            foreach (IrVariable array in state.Arrays) save.Add(new IrTapePushSpan(WholeArray(array)) { Origin = origin });
            save.Add(new IrAssign(untilCheckpoint, new IrVariableReference(stride)) { Origin = origin });

            var body = new IrBlock();
            body.Add(new IrIf(new IrBinary(IrBinaryOperator.Equals, new IrVariableReference(untilCheckpoint), IrConstant.Of(0), IrType.Bool), save, new IrBlock()) { Origin = origin });
            body.Add(new IrAssign(untilCheckpoint, new IrBinary(IrBinaryOperator.Subtract, new IrVariableReference(untilCheckpoint), IrConstant.Of(1), IrType.Int)) { Origin = origin });
            body.AddRange(loop.Body.Statements);
            checkpointed.Add(loop with { Body = body });
            var tapedRun = new IrBlock();
            tapedRun.AddRange(Expectations(loop, taped, state.TripCount, origin));
            tapedRun.Add(taped);
            forward.Add(new IrIf(new IrVariableReference(wanted), checkpointed, tapedRun) { Origin = origin });
        }

        /// <summary>
        /// Before a taped run of the loop, per tape it pushes to, <c>tape.Expect(trips · values per iteration)</c> when
        /// that count is known before the loop (<see cref="RecordingPerIteration"/>), at most <see cref="TapeBudget"/>
        /// (a run shorter than <see cref="CheckpointMinimumTrips"/> is taped whatever its recording): the tape rents the
        /// whole recording at once, exactly, instead of growing by a quarter of what it holds (Tape.cs). The count is an
        /// upper bound when the loop branches, so the tape may hold the longer arm's values for every iteration.
        /// </summary>
        private IEnumerable<IrStatement> Expectations(IrLoop loop, IrLoop taped, IrExpression trips, string? origin)
        {
            var types = IrWalker.Deep(taped)
                .Select(s => s switch { IrTapePush push => push.Value.Type, IrTapePushSpan span => span.Source.SpanType.Element, _ => null })
                .OfType<IrType>()
                .GroupBy(t => t.CSharpName, System.StringComparer.Ordinal)
                .Select(g => g.First());
            foreach (IrType type in types)
            {
                if (RecordingPerIteration(loop, taped, type) is not { } perIteration || IsZero(perIteration)) continue;
                IrExpression recording = Times(new IrConvert(trips, IrType.Double), perIteration);
                // A head that computes more than its test runs once more than the body, and the reservation the emitted
                // code makes at its top (CompanionEmitter.Tapes.cs) covers the pushes of the head and the body outside
                // their loops: room for them once more, or that last reservation would not fit an exactly expected tape
                // and grow it.
                if (HeadRunsOnceMore(taped) && OwnPushes(taped, type) is > 0 and var own) recording = Plus(recording, IrConstant.Of((double)own));
                IrExpression capped = new IrMathCall(MathFunction.Min, ImmutableArray.Create(recording, IrConstant.Of((double)TapeBudget)), IrType.Double);
                yield return new IrTapeExpect(type, new IrConvert(capped, IrType.Int)) { Origin = origin };
            }
        }

        /// <summary>Whether the loop is emitted as <c>while (true) { head; if (!test) break; body }</c> (its head does more than
        /// compute its test: CompanionEmitter's IsWhileLoop), reserving at the top of every run of its head.</summary>
        private static bool HeadRunsOnceMore(IrLoop loop) =>
            !(loop.Head.Statements.Count == 1 && loop.Head.Statements[0] is IrAssign { } test
              && loop.Condition is IrVariableReference { Variable: var condition } && test.Target == condition);

        /// <summary>The single pushes onto the tape of <paramref name="type"/> in the loop's head and body outside their
        /// loops (both arms of a branch): what the emitter reserves at the top of an iteration (CompanionEmitter.Tapes.cs).</summary>
        private static int OwnPushes(IrLoop loop, IrType type)
        {
            int Count(IrBlock block) => block.Statements.Sum(s => s switch
            {
                IrTapePush push => push.Value.Type.CSharpName == type.CSharpName ? 1 : 0,
                IrLoop or IrRepeat => 0,
                _ => IrWalker.ChildBlocks(s).Sum(Count),
            });
            return Count(loop.Head) + Count(loop.Body);
        }

        /// <summary>
        /// The reverse of a checkpointed loop, after <c>trips</c> has its value: per segment, last first, its checkpoint
        /// comes back, the counter is set to the segment's first value, the segment runs forward recording (the body
        /// as the taped loop runs it; the head only tests the counter), and its iterations are reversed.
        /// </summary>
        private void ReverseWithCheckpoints(IrLoop loop, CheckpointStateSet state, IrVariable stride, IrVariable wanted, IrVariable trips,
            IrBlock bodyForward, IrBlock repeatedReverse, List<IrStatement> reverse)
        {
            // A short run was taped: its reverse is the usual one.
            var taped = new IrBlock(new List<IrStatement>
            {
                new IrRepeat(_extra.Create("_iteration", IrType.Int, IrVariableRole.Control), new IrVariableReference(trips), repeatedReverse) { Origin = loop.Origin },
            });
            var checkpointed = new List<IrStatement>();
            CheckpointedReverse(loop, state, stride, trips, bodyForward, Copy(repeatedReverse), checkpointed);
            reverse.Add(new IrIf(new IrVariableReference(wanted), new IrBlock(checkpointed), taped) { Origin = loop.Origin });
        }

        /// <summary>A copy of a block, nested blocks included (statements are shared): the passes edit blocks in place.</summary>
        private static IrBlock Copy(IrBlock block) => Rebuild(block, (_, _) => false);

        private void CheckpointedReverse(IrLoop loop, CheckpointStateSet state, IrVariable stride, IrVariable trips,
            IrBlock bodyForward, IrBlock repeatedReverse, List<IrStatement> reverse)
        {
            string? origin = loop.Origin;
            IrVariable segments = _extra.Create("_segments", IrType.Int, IrVariableRole.Control);
            IrVariable segment = _extra.Create("_segment", IrType.Int, IrVariableRole.Control);
            IrVariable first = _extra.Create("_segmentStart", IrType.Int, IrVariableRole.Control);
            IrVariable length = _extra.Create("_segmentLength", IrType.Int, IrVariableRole.Control);
            IrExpression Ref(IrVariable v) => new IrVariableReference(v);
            IrExpression Int(IrBinaryOperator op, IrExpression a, IrExpression b) => new IrBinary(op, a, b, IrType.Int);

            // segments = (trips + stride − 1) / stride
            reverse.Add(new IrAssign(segments, Int(IrBinaryOperator.Divide,
                Int(IrBinaryOperator.Subtract, Int(IrBinaryOperator.Add, Ref(trips), Ref(stride)), IrConstant.Of(1)), Ref(stride))) { Origin = origin });
            var perSegment = new IrBlock();
            perSegment.Add(new IrAssign(first, Int(IrBinaryOperator.Multiply, Int(IrBinaryOperator.Subtract, Ref(segment), IrConstant.Of(1)), Ref(stride))) { Origin = origin });
            IrExpression left = Int(IrBinaryOperator.Subtract, Ref(trips), Ref(first));
            perSegment.Add(new IrAssign(length, new IrConditional(new IrBinary(IrBinaryOperator.LessThan, left, Ref(stride), IrType.Bool), left, Ref(stride), IrType.Int)) { Origin = origin });

            // The checkpoint, last pushed first popped.
            // Each array taken back whole: a block copy, and for DeadRestores a write of every element (what the array
            // held before is dead), so a restore in the previous segment's reverse that only the re-run would seem to
            // read — the re-run rewrites the array from the checkpoint — goes with its push (the LSTM's scratch vector).
            for (int a = state.Arrays.Count - 1; a >= 0; a--)
            {
                perSegment.Add(new IrTapePopSpan(WholeArray(state.Arrays[a])) { Origin = origin });
            }
            for (int s = state.Scalars.Count - 1; s >= 0; s--)
            {
                perSegment.Add(new IrAssign(state.Scalars[s], new IrTapePop(state.Scalars[s].Type)) { Origin = origin });
            }
            CountedLoop counted = state.Counted;
            IrExpression startOfSegment = new IrBinary(IrBinaryOperator.Add, counted.Start,
                counted.Step == 1 ? Ref(first) : Int(IrBinaryOperator.Multiply, Ref(first), IrConstant.Of(counted.Step)), IrType.Int);
            perSegment.Add(new IrAssign(counted.Counter, startOfSegment) { Origin = origin });

            perSegment.Add(new IrComment("This segment again, recorded for its reverse only (recomputed from its checkpoint):"));
            var rerun = Copy(bodyForward);
            perSegment.Add(new IrRepeat(_extra.Create("_iteration", IrType.Int, IrVariableRole.Control), Ref(length), rerun) { Origin = origin });
            perSegment.Add(new IrRepeat(_extra.Create("_iteration", IrType.Int, IrVariableRole.Control), Ref(length), repeatedReverse) { Origin = origin });
            reverse.Add(new IrRepeat(segment, Ref(segments), perSegment) { Origin = origin });
        }

        /// <summary>The whole of a local vector as a view, for a block push or pop.</summary>
        private static IrSpan WholeArray(IrVariable array) =>
            new(new IrVariableReference(array), null, null, IrType.ArrayOf(array.Type.Element!, ArrayLayout.Span));

        private static IrExpression LengthOf(IrVariable array) =>
            new IrOpaque("{0}.Length", ImmutableArray.Create<IrExpression>(new IrVariableReference(array)), IrType.Int);
    }
}
