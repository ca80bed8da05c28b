using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Loop fusion: when a loop's iterations are independent, each iteration's reverse runs right after its forward,
    /// inside one loop, the way a hand-written gradient is written: one pass over the data instead of two, nothing
    /// recorded per iteration.
    /// </summary>
    /// <remarks>
    /// This file decides whether one top-level loop's iterations can be reversed as they run, and builds that loop.
    /// A loop qualifies when:
    /// <list type="bullet">
    /// <item>its body ends with the step of its counter (<c>c = c ± k</c>, k a constant or a SIMD lane count, the
    /// counter's only write in the loop), it has no early exit and its test needs no reverse — whether its trip count is
    /// known does not matter, the iteration is reversed where it runs;</item>
    /// <item>every variable the loop's reverse restores, and every adjoint it both reads and writes, belongs to one
    /// iteration (a temporary, or a local declared in the loop): no iteration's reverse depends on another's, and
    /// nothing but the counter carries from one iteration to the next except accumulators (<c>s += …</c>, whose
    /// adjoint the loop only reads);</item>
    /// <item>nothing in or after it may throw (a guard must throw before anything is written into the caller's gradients).</item>
    /// </list>
    /// Restores of per-iteration variables are dropped with their recordings (the value is still there); those inside
    /// nested loops stay, balanced within the iteration. Where the adjoints the loop reads come from, and whether the
    /// rest of the reverse sweep still sees what it expects, is decided in ReverseModeTransform.FusionPlan.cs.
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>One statement of the method body with its forward and reverse pieces.</summary>
        private sealed record TopLevelPiece(IrStatement Statement, List<IrStatement> Forward, List<IrStatement> Reverse);

        /// <summary>A transformed loop's parts, before they are assembled; <c>Trips</c> counts its iterations when the count is not known.</summary>
        private sealed record LoopParts(IrBlock HeadForward, IrBlock HeadReverse, IrBlock BodyForward, IrBlock BodyReverse, CountedLoop? Counted)
        {
            public IrVariable? Trips { get; init; }
        }

        /// <summary>
        /// A top-level loop whose iterations are reversed as they run: <c>Forward</c> replaces the piece's forward
        /// statements (the fused loop), <c>Reverse</c> is what each iteration's reverse does (for the ordering checks).
        /// </summary>
        private sealed record FusedIterations(IrLoop Loop, List<IrStatement> Forward, IrBlock Reverse)
        {
            /// <summary>The loops nested in it that are fused too, inside its iterations (at any depth).</summary>
            public IReadOnlyList<IrLoop> Nested { get; init; } = System.Array.Empty<IrLoop>();

            /// <summary>Indices carried from one iteration to the next that each iteration's reverse leaves as it found them.</summary>
            public IReadOnlyCollection<IrVariable> Inductions { get; init; } = System.Array.Empty<IrVariable>();
        }

        private readonly List<TopLevelPiece> _topLevel = new();

        /// <summary>Loops not to fuse (their fusion needed a transform without recomputation that did not fuse them).</summary>
        private HashSet<object> _notFused = new(ReferenceComparer<object>.Instance);

        /// <summary>Assignments that recompute a loop-body local in reverse (unneeded in a fused iteration: the value is there).</summary>
        private readonly HashSet<object> _recomputations = new(ReferenceComparer<object>.Instance);
        private readonly Dictionary<object, LoopParts> _loopParts = new(ReferenceComparer<object>.Instance);

        /// <summary>The loop of top-level piece <paramref name="index"/> with each iteration reversed right after it, or null.</summary>
        private FusedIterations? TryFuseIterations(int index)
        {
            if (_topLevel[index].Statement is not IrLoop loop) return null;
            // A guard that may throw in or after the loop (a throw, or a call run for its effect such as ThrowIfNegative)
            // must throw before anything is written into the caller's gradients.
            if (_topLevel.Skip(index).SelectMany(p => IrWalker.Deep(p.Statement)).Any(s => s is IrThrow or IrEffect)) return null;
            return TryFuseIterations(loop, _topLevel[index].Forward);
        }

        /// <summary>
        /// <paramref name="loop"/> with each iteration reversed right after it, or null; <paramref name="forwardPiece"/> is
        /// what the loop's statement put into the forward sweep of its block (the loop, and its iteration count when it is
        /// counted). For a top-level loop, or a loop nested in a fused iteration (ReverseModeTransform.NestedFusion.cs),
        /// whose caller has checked that nothing in or after it may throw.
        /// </summary>
        private FusedIterations? TryFuseIterations(IrLoop loop, List<IrStatement> forwardPiece)
        {
            if (_notFused.Contains(loop)) return null;
            if (!_loopParts.TryGetValue(loop, out LoopParts? parts) || !parts.HeadReverse.IsEmpty || parts.BodyReverse.IsEmpty
                || CountedLoop.MayLeaveEarly(loop) || StepOf(loop) is not { } step)
            {
                return null;
            }

            // Span-level primitives (TensorPrimitives) write whole views of arrays: only when every one of the method is in
            // this loop, writing an array each iteration rewrites before reading it (the MLP's h and z), do their restores
            // (whole views, from the tape) balance within the iteration.
            var inLoop = new HashSet<object>(IrWalker.Deep(loop), ReferenceComparer<object>.Instance);
            if (IrWalker.AllStatements(_function.Body).OfType<IrSpanStore>().Any(store => !inLoop.Contains(store) || !IsRefilledWithin(store.DestinationArray, loop)))
            {
                return null;
            }

            // The loop's reverse: only per-iteration restores (dropped, or kept inside nested loops), the counter's.
            if (parts.BodyForward.Statements.Count == 0 || !ReferenceEquals(parts.BodyForward.Statements[parts.BodyForward.Statements.Count - 1], step))
            {
                return null;
            }
            // Loops of the body whose own iterations are independent are reversed inside each iteration first: their
            // reverse leaves the iteration's reverse for the forward part (nothing of theirs recorded).
            NestedFusion nested = FuseNestedLoops(loop, parts);
            var droppedRestores = new HashSet<object>(ReferenceComparer<object>.Instance);
            var droppedRecordings = new HashSet<object>(ReferenceComparer<object>.Instance);
            var inductions = new HashSet<IrVariable>();
            List<IrStatement> iterationReverse = IrWalker.AllStatements(nested.BodyReverse).ToList();
            if (!ClassifyRestores(nested.BodyReverse, loop, step, insideNestedLoop: false, iterationReverse, droppedRestores, droppedRecordings, inductions))
            {
                return null;
            }
            IrBlock reverseBody = Without(nested.BodyReverse, droppedRestores);
            IrBlock forwardBody = WithoutRecordings(nested.BodyForward, droppedRecordings);
            if (_snapshots.TryGetValue(loop, out List<IrStatement>? snapshots))
            {
                // The iteration is reversed right after it: its scratch arrays are still as it left them.
                var own = new HashSet<object>(snapshots, ReferenceComparer<object>.Instance);
                (forwardBody, reverseBody) = (Without(forwardBody, own), Without(reverseBody, own));
            }

            // What each iteration's reverse does, the reverses of its nested fused loops included (they run in its forward part).
            var wholeReverse = new IrBlock(reverseBody.Statements.Concat(nested.Reverse));
            if (!SpanAdjointsStayInTheIteration(wholeReverse, loop)) return null;

            // Adjoints read and written by the loop's reverse must belong to one iteration.
            var adjointsRead = new HashSet<IrVariable>(IrWalker.AllStatements(wholeReverse).SelectMany(ValueReads).Where(v => v.Role == IrVariableRole.Adjoint));
            var adjointsWritten = new HashSet<IrVariable>(IrWalker.AllStatements(wholeReverse).SelectMany(AdjointWrites));
            if (adjointsRead.Intersect(adjointsWritten).Any(a => a.Primal is null
                || !(a.Type.Kind == IrTypeKind.Array ? IsRefilledWithin(a.Primal, loop) : BelongsToOneIteration(a.Primal, loop))))
            {
                return null;
            }

            // Assemble: forward body minus the step (and minus the iteration count and its recording, which nothing reads
            // now), its reverse (reading the forward part's temporaries rather than recomputing them), the step.
            bool Counts(IrStatement s) => parts.Trips is { } trips
                && (s is IrAssign { Target: var target } && target == trips || s is IrTapePush { Value: IrVariableReference { Variable: var pushed } } && pushed == trips);
            var forwardPart = new IrBlock(forwardBody.Statements.Take(forwardBody.Statements.Count - 1).Where(s => !Counts(s)));
            Peepholes.ReuseForwardTemporaries(forwardPart, reverseBody);
            // A helper called in the iteration whose pullback's seed is known at the call: the pullback gives its value.
            (IrBlock forwardRun, IrBlock reverseRun) = PullbackValues.Apply(forwardPart, reverseBody);
            var fusedBody = new IrBlock(forwardRun.Statements);
            // An index the iteration advances (li++) is stepped back by the reverse, for its reads; the next iteration
            // starts from where the forward part left it: kept in a local across the reverse, not recorded.
            var ends = inductions.OrderBy(v => v.Id).Select(v => (Index: v, End: InductionEnd(loop, v))).ToList();
            foreach (var (index, end) in ends) fusedBody.Add(new IrAssign(end, new IrVariableReference(index)) { Origin = step.Origin });
            // (Nothing left when the iteration's whole reverse went into loops fused inside it.)
            if (reverseRun.Statements.Any(s => s is not IrComment))
            {
                fusedBody.Add(new IrComment("Reverse of this iteration, right after it (its iterations are independent):"));
                fusedBody.AddRange(reverseRun.Statements);
            }
            foreach (var (index, end) in ends) fusedBody.Add(new IrAssign(index, new IrVariableReference(end)) { Origin = step.Origin });
            fusedBody.Add(step);
            var fusedLoop = loop with { Head = parts.HeadForward, Body = fusedBody };
            var forward = forwardPiece.Where(s => !Counts(s)).Select(s => s is IrLoop ? fusedLoop : s).ToList();
            return new FusedIterations(loop, forward, wholeReverse) { Nested = nested.Loops, Inductions = inductions };
        }

        /// <summary>
        /// Whether the span-level statements of a loop's reverse touch only what belongs to one iteration: the pooled
        /// buffers it rents and returns (<c>SpanBuffers</c> calls), the adjoint views of arrays each iteration rewrites,
        /// and adjoint views it adds into (<c>MultiplyAdd(x, s, dw, dw)</c>, which does not depend on order).
        /// </summary>
        private bool SpanAdjointsStayInTheIteration(IrBlock reverseBody, IrLoop loop)
        {
            bool OwnedByTheIteration(IrVariable v) => v.Role is IrVariableRole.Saved or IrVariableRole.Temporary
                || (v.Role == IrVariableRole.Adjoint && v.Primal is { } primal && IsRefilledWithin(primal, loop));
            foreach (IrStatement statement in IrWalker.AllStatements(reverseBody))
            {
                switch (statement)
                {
                    case IrEffect effect when IsSpanBufferCall(effect):
                        if (!effect.Expression.ReadVariables().Where(v => v.Role is IrVariableRole.Saved or IrVariableRole.Adjoint).All(OwnedByTheIteration)) return false;
                        break;
                    case IrEffect or IrThrow:
                        return false;
                    case IrSpanStore store when !OwnedByTheIteration(store.DestinationArray) && !IsAccumulatingSpanStore(store):
                        return false;
                }
            }
            return true;
        }

        /// <summary>A call of the runtime's pooled span buffers (ReverseModeTransform.Spans.cs): copy, clear, return.</summary>
        private static bool IsSpanBufferCall(IrEffect effect) =>
            effect.Expression is IrBufferCall { IsSpanBufferOperation: true };

        /// <summary>
        /// <c>Add(d, v, d)</c> or <c>MultiplyAdd(a, b, d, d)</c> into an adjoint view: adds into it (the reverse of a span
        /// primitive's input), so only its inputs are read.
        /// </summary>
        private static bool IsAccumulatingSpanStore(IrSpanStore store)
        {
            if (store.DestinationArray.Role != IrVariableRole.Adjoint) return false;
            IrSpanCall call = store.Call;
            string destination = Peepholes.Key(call.Destination);
            bool Is(int i) => i < call.Arguments.Length - 1 && Peepholes.Key(call.Arguments[i]) == destination;
            return call.Function switch
            {
                SpanFunction.Add => Is(0) || Is(1),
                SpanFunction.MultiplyAdd or SpanFunction.MultiplyAddScalarMultiplier => Is(2),
                _ => false,
            };
        }

        /// <summary>
        /// Whether <paramref name="index"/> is an integer the loop advances by constants only (<c>li = li ± k</c>, nothing
        /// else writes it in the loop) and <paramref name="restore"/> is the exact inverse of one of those steps (no
        /// recording): what the iteration's reverse does to it is undone by giving it back its value at the end of the
        /// iteration's forward part.
        /// </summary>
        private bool IsInductionIndex(IrVariable index, IrLoop loop, IrStatement restore)
        {
            static bool StepsByConstant(IrExpression value, IrVariable variable) =>
                value is IrBinary { Operator: IrBinaryOperator.Add or IrBinaryOperator.Subtract, Left: IrVariableReference { Variable: var left }, Right: IrConstant { Value: int } }
                && left == variable;
            if (index.Type.Kind != IrTypeKind.Integer || restore is not IrAssign { Value: var inverse } || !StepsByConstant(inverse, index)) return false;
            return IrWalker.Deep(loop).Where(s => IrWalker.WriteOf(s) == index).All(s => s is IrAssign { Value: var value } && StepsByConstant(value, index));
        }

        /// <summary>The local holding an induction index's value at the end of a fused iteration's forward part (one per loop and index).</summary>
        private IrVariable InductionEnd(IrLoop loop, IrVariable index)
        {
            if (!_inductionEnds.TryGetValue((loop, index), out IrVariable? end))
            {
                _inductionEnds[(loop, index)] = end = _extra.Create(index.PreferredName + "_end", index.Type, IrVariableRole.Saved);
            }
            return end;
        }

        private readonly Dictionary<(IrLoop, IrVariable), IrVariable> _inductionEnds = new(LoopVariableComparer.Instance);

        /// <summary>
        /// The last statement of the loop's body when it is the counter's step <c>c = c ± k</c> (k a constant or a SIMD
        /// lane count) and the counter's only write in the loop; null otherwise. Reversing an iteration before its step
        /// sees the counter as the iteration saw it.
        /// </summary>
        private static IrAssign? StepOf(IrLoop loop)
        {
            if (loop.Body.Statements.Count == 0
                || loop.Body.Statements[loop.Body.Statements.Count - 1] is not IrAssign
                {
                    Target: { Type.Kind: IrTypeKind.Integer } counter,
                    Value: IrBinary { Operator: IrBinaryOperator.Add or IrBinaryOperator.Subtract, Left: IrVariableReference { Variable: var stepped }, Right: IrConstant { Value: int } or IrSimdLaneCount },
                } step
                || stepped != counter)
            {
                return null;
            }
            int writes = IrWalker.AllStatements(loop.Head).Concat(IrWalker.AllStatements(loop.Body)).Count(s => IrWalker.WriteOf(s) == counter);
            return writes == 1 ? step : null;
        }

        /// <summary>
        /// Sorts the restores of a loop's reverse: the counter's and per-iteration ones outside nested loops are
        /// dropped (with their recordings); per-iteration ones inside nested loops stay. False if any other restore.
        /// </summary>
        /// <param name="iterationReverse">The loop's reverse body, every statement in execution order (nested ones included).</param>
        /// <param name="inductions">Receives the indices advanced in the iteration whose inverse restores are kept (see <see cref="IsInductionIndex"/>).</param>
        private bool ClassifyRestores(IrBlock block, IrLoop loop, IrStatement step, bool insideNestedLoop, List<IrStatement> iterationReverse,
            HashSet<object> droppedRestores, HashSet<object> droppedRecordings, HashSet<IrVariable> inductions)
        {
            foreach (IrStatement statement in block.Statements)
            {
                if (!insideNestedLoop && _recomputations.Contains(statement))
                {
                    droppedRestores.Add(statement);
                }
                if (_restoreOf.TryGetValue(statement, out IrStatement? undone))
                {
                    if (ReferenceEquals(undone, step) && !insideNestedLoop)
                    {
                        droppedRestores.Add(statement);
                    }
                    else if (undone is IrElementWrite { Array: var scratch } write && IsFillWrite(scratch, loop, write))
                    {
                        // The write is the element's first in the iteration (the fill loop): its restore gives back the
                        // previous iteration's value, which nothing in this iteration reads — and the next iteration
                        // rewrites every element before reading any. Dropped with its recording, even in the fill loop.
                        droppedRestores.Add(statement);
                        droppedRecordings.Add(write);
                    }
                    else if (undone is IrElementWrite { Array: var refilled } && IsRefilledWithin(refilled, loop))
                    {
                        // Any other write of an array every iteration rewrites before reading it: its restore gives back
                        // a value of this iteration, or one nothing reads again. Kept (its push and pop balance in the iteration).
                    }
                    else if (undone is IrSpanStore { DestinationArray: var written } spanStore && IsRefilledWithin(written, loop))
                    {
                        // A view's old contents (TensorPrimitives writing an array each iteration rewrites): needed only if
                        // the rest of the iteration's reverse reads the array. Otherwise dropped with its recording: the
                        // next iteration rewrites the array before reading it (Tanh(h, h), then Add(h, b, h), of the MLP).
                        if (!insideNestedLoop && !ReadAfter(iterationReverse, statement, written))
                        {
                            droppedRestores.Add(statement);
                            droppedRecordings.Add(spanStore);
                        }
                    }
                    else if (undone is IrAssign { Target: var target } assign && BelongsToOneIteration(target, loop))
                    {
                        // The restore of a variable's first assignment in the iteration gives back the previous
                        // iteration's value, which this iteration's reverse never reads: dropped. A later assignment's
                        // restore gives back a value of this iteration: kept (its push and pop balance in the iteration).
                        if (!insideNestedLoop && IsFirstAssignmentInIteration(assign, loop))
                        {
                            droppedRestores.Add(statement);
                            droppedRecordings.Add(assign);
                        }
                    }
                    else if (undone is IrAssign { Target: var index } && IsInductionIndex(index, loop, statement))
                    {
                        // An index advanced in the iteration and carried to the next (li++ in a triangular loop): its exact
                        // inverse steps it back for the reverse's reads, recording nothing; kept. The fused body then
                        // gives it back the value the forward part left (see TryFuseIterations).
                        inductions.Add(index);
                    }
                    else
                    {
                        return false;
                    }
                }
                bool nested = insideNestedLoop || statement is IrRepeat or IrLoop;
                foreach (IrBlock child in IrWalker.ChildBlocks(statement))
                {
                    if (!ClassifyRestores(child, loop, step, nested, iterationReverse, droppedRestores, droppedRecordings, inductions)) return false;
                }
            }
            return true;
        }

        /// <summary>
        /// Whether a statement after <paramref name="restore"/> in the iteration's reverse reads <paramref name="array"/>'s
        /// contents (a later restore of a view of it writes them, it does not read them).
        /// </summary>
        private static bool ReadAfter(List<IrStatement> iterationReverse, IrStatement restore, IrVariable array)
        {
            int at = iterationReverse.FindIndex(s => ReferenceEquals(s, restore));
            return iterationReverse.Skip(at + 1).Any(s => s is not IrTapePopSpan && IrWalker.ExpressionsOf(s).Any(e => ReadsContents(e, array)));
        }

        /// <summary>Whether an expression reads elements of <paramref name="array"/> (its length, <c>a.Length</c>, is no read of them).</summary>
        private static bool ReadsContents(IrExpression expression, IrVariable array) => expression switch
        {
            IrOpaque { Template: "{0}.Length" } length when length.Arguments.Length == 1 && length.Arguments[0] is IrVariableReference => false,
            IrVariableReference { Variable: var v } => v == array,
            _ => expression.Children.Any(child => ReadsContents(child, array)),
        };

        /// <summary>
        /// The fill write of a local vector that is scratch space of one iteration, or null: allocated once before the
        /// loop as <c>new T[len]</c>, and each iteration's first use of it is a counted loop <c>for (c = 0; c &lt; len; c++)</c>
        /// whose only use of it is one unconditional <c>a[c] = …</c> — every element rewritten before anything reads it.
        /// (The MLP's hidden activations: <c>h[j] = tanh(…)</c> per sample; the GMM's <c>xc[j]</c>, per component, which
        /// later writes then update.) Or a TensorPrimitives call writing the whole array from inputs that do not read it
        /// (<c>Multiply(m.AsSpan(r * n, n), v, h)</c> per row). Its adjoint's elements, reset by the reverse of the fill,
        /// then belong to one iteration.
        /// </summary>
        private IrStatement? FillWrite(IrVariable array, IrLoop loop) => FillWrites(array, loop) is { } writes ? writes[0] : null;

        /// <summary>
        /// Whether <paramref name="statement"/> is a fill write of <paramref name="array"/> in <paramref name="loop"/>: the
        /// one of <see cref="FillWrite"/>, or one of the block writes of an interleaved fill (ReverseModeTransform.BlockFills.cs).
        /// Each is the first write of the elements it writes in the iteration.
        /// </summary>
        private bool IsFillWrite(IrVariable array, IrLoop loop, IrStatement statement) =>
            FillWrites(array, loop) is { } writes && writes.Any(write => ReferenceEquals(write, statement));

        private IReadOnlyList<IrStatement>? FillWrites(IrVariable array, IrLoop loop)
        {
            // Asked once per restore and per adjoint of the loop: the answer depends only on the function, so it is kept.
            if (!_iterationScratch.TryGetValue((loop, array), out IReadOnlyList<IrStatement>? fill))
            {
                _iterationScratch[(loop, array)] = fill = ComputeFillWrites(array, loop);
            }
            return fill;
        }

        /// <summary>
        /// Whether every iteration of the loop rewrites the array before reading it: it is the loop's scratch, or the
        /// scratch of a loop nested in it that holds every use of it in the loop (the GMM's <c>xc</c>, per component of
        /// the sample loop).
        /// </summary>
        private bool IsRefilledWithin(IrVariable array, IrLoop loop)
        {
            if (FillWrite(array, loop) is not null) return true;
            bool Touches(IrStatement s) => IrWalker.ReadsOf(s).Contains(array) || IrWalker.WriteOf(s) == array;
            int uses = IrWalker.Deep(loop).Count(Touches);
            return IrWalker.AllStatements(loop.Body).OfType<IrLoop>().Any(nested => FillWrite(array, nested) is not null && IrWalker.Deep(nested).Count(Touches) == uses);
        }

        private IReadOnlyList<IrStatement>? ComputeFillWrites(IrVariable array, IrLoop loop)
        {
            if (array.Role != IrVariableRole.Local || array.Type.Layout != ArrayLayout.Vector
                || !_assignmentCounts.TryGetValue(array, out int assignments) || assignments != 1
                || IrWalker.Deep(loop).Any(s => s is IrAssign a && a.Target == array))
            {
                return null;
            }
            IrAssign? allocation = IrWalker.AllStatements(_function.Body).OfType<IrAssign>().FirstOrDefault(a => a.Target == array);
            if (allocation?.Value is not IrNewArray { Lengths.Length: 1 } created) return null;
            string length = Peepholes.Key(created.Lengths[0]);
            if (!LengthHoldsItsValue(created.Lengths[0])) return null;

            bool Touches(IrStatement statement) => IrWalker.Deep(statement).Any(s => IrWalker.ReadsOf(s).Contains(array) || IrWalker.WriteOf(s) == array);
            List<IrStatement> body = loop.Body.Statements;
            int first = body.FindIndex(Touches);
            if (first >= 0 && body[first] is IrSpanStore store) return WritesWholeArray(store, array, length) ? new IrStatement[] { store } : null;
            if (first < 0 || body[first] is not IrLoop fill) return null;
            CountedLoop? counted = CountedLoop.Match(fill, first > 0 ? body[first - 1] as IrAssign : null);
            if (counted is null || counted.TripCount is null || counted.Step != 1 || counted.Start is not IrConstant { Value: 0 }
                || CountedLoop.TestOf(fill) is not IrBinary { Operator: IrBinaryOperator.LessThan, Right: var bound })
            {
                return null;
            }
            var uses = IrWalker.Deep(fill).Where(s => IrWalker.ReadsOf(s).Contains(array) || IrWalker.WriteOf(s) == array).ToList();
            // Several writes per element index: the array filled as interleaved blocks (the LSTM's four gates).
            if (uses.Count > 1) return BlockFillWrites(array, loop, fill, counted.Counter, bound, created.Lengths[0], uses);
            if (fill.Head.Statements.Any(Touches)) return null;
            // Later statements of the iteration may read and write it again (Qxc += L·xc): their restores give back
            // values of this iteration and are kept.
            return OneWriteFill(fill, counted.Counter, bound, array, length, uses) is { } write ? new IrStatement[] { write } : null;
        }

        /// <summary>
        /// Whether a span-level map writes every element of <paramref name="array"/> (a view from 0 of the allocated
        /// length, or the whole array) from inputs that do not read it.
        /// </summary>
        private static bool WritesWholeArray(IrSpanStore store, IrVariable array, string allocatedLength)
        {
            IrSpan destination = store.Call.Destination;
            bool fromStart = destination.Start is null || destination.Start is IrConstant { Value: 0 };
            bool toEnd = destination.Length is null || Peepholes.Key(destination.Length) == allocatedLength;
            return destination.Variable == array && fromStart && toEnd
                && !store.Call.Arguments.Take(store.Call.Arguments.Length - 1).Any(argument => argument.ReadVariables().Contains(array));
        }

        /// <summary>A block without the given statements (by reference), nested blocks included.</summary>
        private static IrBlock Without(IrBlock block, HashSet<object> dropped) =>
            Rebuild(block, (statements, i) => dropped.Contains(statements[i]));

        /// <summary>
        /// A block without the tape pushes that record the old values of the given assignments or element writes (which
        /// stay): the push right before each, of the variable or of the element.
        /// </summary>
        private static IrBlock WithoutRecordings(IrBlock block, HashSet<object> writes) =>
            Rebuild(block, (statements, i) => i + 1 < statements.Count && writes.Contains(statements[i + 1]) && (statements[i], statements[i + 1]) switch
            {
                (IrTapePush { Value: IrVariableReference { Variable: var recorded } }, IrAssign { Target: var target }) => target == recorded,
                (IrTapePush { Value: IrElementRead { Array: IrVariableReference { Variable: var recorded } } }, IrElementWrite { Array: var array }) => array == recorded,
                (IrTapePushSpan { Source.Variable: var recorded }, IrSpanStore { DestinationArray: var array }) => array == recorded,
                _ => false,
            });

        private static IrBlock Rebuild(IrBlock block, System.Func<List<IrStatement>, int, bool> drop)
        {
            var result = new IrBlock();
            for (int i = 0; i < block.Statements.Count; i++)
            {
                if (drop(block.Statements, i)) continue;
                IrStatement statement = block.Statements[i];
                result.Add(statement switch
                {
                    IrIf s => s with { Then = Rebuild(s.Then, drop), Else = Rebuild(s.Else, drop) },
                    IrLoop s => s with { Head = Rebuild(s.Head, drop), Body = Rebuild(s.Body, drop) },
                    IrRepeat s => s with { Body = Rebuild(s.Body, drop) },
                    _ => statement,
                });
            }
            return result;
        }

        /// <summary>What a statement reads as a value: an accumulation's own target is not a use of its value.</summary>
        private static IEnumerable<IrVariable> ValueReads(IrStatement statement)
        {
            var reads = new List<IrVariable>();
            AddValueReads(statement, reads);
            return reads;
        }

        /// <summary>Adds what <see cref="ValueReads"/> returns to <paramref name="reads"/> (one list for a whole walk).</summary>
        private static void AddValueReads(IrStatement statement, List<IrVariable> reads)
        {
            switch (statement)
            {
                case IrAccumulate s:
                    s.Value.AddReadVariables(reads);
                    break;
                case IrElementAccumulate s:
                    foreach (IrExpression index in s.Indices) index.AddReadVariables(reads);
                    s.Value.AddReadVariables(reads);
                    break;
                case IrSimdStore { Accumulate: true } s:
                    reads.AddRange(s.Destination.Children.Skip(1).SelectMany(e => e.ReadVariables()).Concat(s.Value.ReadVariables()));
                    break;
                case IrSpanStore s when IsAccumulatingSpanStore(s):
                    reads.AddRange(s.Call.ReadVariables().Where(v => v != s.DestinationArray));
                    break;
                default:
                    IrWalker.AddReadsOf(statement, reads);
                    break;
            }
        }

        private static IEnumerable<IrVariable> AdjointWrites(IrStatement statement) => statement switch
        {
            IrAssign { Target.Role: IrVariableRole.Adjoint } s => new[] { s.Target },
            IrAccumulate { Target.Role: IrVariableRole.Adjoint } s => new[] { s.Target },
            IrElementWrite { Array.Role: IrVariableRole.Adjoint } s => new[] { s.Array },
            IrElementAccumulate { Array.Role: IrVariableRole.Adjoint } s => new[] { s.Array },
            IrSimdStore { DestinationArray.Role: IrVariableRole.Adjoint } s => new[] { s.DestinationArray },
            IrSpanStore { DestinationArray.Role: IrVariableRole.Adjoint } s => new[] { s.DestinationArray },
            // Copy and Clear of an adjoint view, a runtime adjoint kernel: conservatively, every adjoint they name.
            IrEffect { Expression: IrOpaque or IrBufferCall } s => s.Expression.ReadVariables().Where(v => v.Role == IrVariableRole.Adjoint),
            IrBackwardCall s => s.Adjoints.OfType<IrVariable>(),
            _ => Enumerable.Empty<IrVariable>(),
        };
    }
}
