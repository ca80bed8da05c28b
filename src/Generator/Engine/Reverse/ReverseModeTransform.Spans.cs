using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;
using ArrayLayout = AutoDiffGen.Generator.Engine.Ir.ArrayLayout;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>The reverse of span-level primitives (TensorPrimitives): see IrSpan.cs for the design.</summary>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>
        /// <c>F(inputs…, destination)</c>: forward, the destination's old contents are recorded first when the reverse
        /// sweep reads the array (a pooled copy outside loops, the tape inside). Reverse, the seed g is the destination's
        /// adjoint view and the rule's adjoint adds its contributions into the inputs' adjoints; then the view is cleared
        /// (the old contents' adjoint starts from zero) and the old contents come back, in the order that lets the rule
        /// read what it needs:
        /// <list type="bullet">
        /// <item>a rule that reads its output (tanh, exp, softmax) runs before the old contents come back, reading the
        /// destination as the call left it (the reverse of every later write has restored it); one that reads its
        /// inputs runs after;</item>
        /// <item>when the destination is exactly one of the inputs and the rule supports it (<c>Tanh(h, h)</c>,
        /// <c>Add(z, b, z)</c>), that input's contribution updates g in place: no copy, no clear;</item>
        /// <item>any other sharing of the destination's array with an input (two inputs, or a different view of it) takes
        /// a pooled copy of g (and of the output, for a rule that reads it) before anything is overwritten.</item>
        /// </list>
        /// </summary>
        private void TransformSpanStore(IrSpanStore store, bool inLoop, IrBlock forward, List<IrStatement> reverse)
        {
            IrSpanCall call = store.Call;
            IrSpan destination = call.Destination;
            IrVariable array = store.DestinationArray;
            string? origin = store.Origin;
            IrType element = call.Element;
            bool restore = _needed.Contains(array) && !_unrestored.Contains(store);
            IrVariable? saved = null;
            if (restore)
            {
                if (inLoop)
                {
                    forward.Add(new IrTapePushSpan(destination) { Origin = origin });
                }
                else
                {
                    saved = SavedLocalFor(store, IrType.ArrayOf(element, ArrayLayout.Vector), "_saved_" + array.PreferredName.TrimStart('_', '@'));
                    forward.Add(new IrAssign(saved, IrBufferCall.RentCopy(saved.Type, destination)) { Origin = origin });
                    _cleanup.Add(ReturnBuffer(saved));
                }
            }
            forward.Add(store);

            var view = (IrSpan)Recomputed(destination);
            IrStatement? restoring = !restore ? null
                : saved is null ? new IrTapePopSpan(view) { Origin = origin }
                : IrBufferCall.Effect(BufferOperation.CopySpan, IrSpan.Prefix(saved, view.LengthExpression), view) with { Origin = origin };
            // Liveness may drop the restore with its recording (DeadRestores), and fusion within an iteration (Fusion.cs).
            if (restoring is IrTapePopSpan) _restoreOf[restoring] = store;
            if (!_activity.IsActive(array))
            {
                if (restoring is not null) reverse.Add(restoring);
                return;
            }

            SpanRule rule = RuleTable.Of(call.Function);
            IrSpan adjointView = view.Over(Adjoint(array));
            var recomputed = (IrSpanCall)Recomputed(call);
            var sharing = Enumerable.Range(0, recomputed.Arguments.Length - 1).Where(i => recomputed.Arguments[i] is IrSpan { Variable: var v } && v == array).ToList();
            int inPlace = sharing.Count == 1 && rule.InPlaceAdjoint && SameView((IrSpan)recomputed.Arguments[sharing[0]], recomputed.Destination) ? sharing[0] : -1;
            if (sharing.Count == 0 || inPlace >= 0)
            {
                if (!rule.ReadsOutput && restoring is not null) reverse.Add(restoring);
                reverse.AddRange(SpanAdjoint(recomputed, adjointView, null, origin, rule.ReadsOutput ? view : null, inPlace, inPlaceInputOverwritten: rule.ReadsOutput));
                if (inPlace < 0) reverse.Add(IrBufferCall.Effect(BufferOperation.ClearSpan, adjointView) with { Origin = origin });
                if (rule.ReadsOutput && restoring is not null) reverse.Add(restoring);
                return;
            }

            IrSpan seed = PooledCopy(adjointView, element, "_seed", origin, reverse, out IrVariable seedCopy);
            reverse.Add(IrBufferCall.Effect(BufferOperation.ClearSpan, adjointView) with { Origin = origin });
            IrVariable? outputCopy = null;
            IrSpan? output = rule.ReadsOutput ? PooledCopy(view, element, "_output", origin, reverse, out outputCopy) : null;
            if (restoring is not null) reverse.Add(restoring);
            reverse.AddRange(SpanAdjoint(recomputed, seed, null, origin, output));
            reverse.Add(ReturnBuffer(seedCopy) with { Origin = origin });
            if (outputCopy is not null) reverse.Add(ReturnBuffer(outputCopy) with { Origin = origin });
        }

        /// <summary>
        /// Whether two views are the same elements of the same array variable: compared by structure, not by reference (the
        /// input and the destination of <c>Tanh(h, h)</c> are two nodes, and a recomputed call is rebuilt), a read-only and
        /// a writable view alike; a missing start is 0 and a missing length the whole array.
        /// </summary>
        private static bool SameView(IrSpan a, IrSpan b) =>
            a.Variable is { } array && array == b.Variable
            && Peepholes.Key(a.Start ?? IrConstant.Of(0)) == Peepholes.Key(b.Start ?? IrConstant.Of(0))
            && Peepholes.Key(a.LengthExpression) == Peepholes.Key(b.LengthExpression);

        /// <summary>A pooled copy of <paramref name="source"/>, rented and filled in <paramref name="reverse"/>; the caller returns the buffer.</summary>
        private IrSpan PooledCopy(IrSpan source, IrType element, string name, string? origin, List<IrStatement> reverse, out IrVariable buffer)
        {
            buffer = _extra.Create(name, IrType.ArrayOf(element, ArrayLayout.Vector), IrVariableRole.Saved);
            reverse.Add(new IrAssign(buffer, IrBufferCall.Rent(buffer.Type, source.LengthExpression)) { Origin = origin });
            IrSpan copy = IrSpan.Prefix(buffer, source.LengthExpression);
            reverse.Add(IrBufferCall.Effect(BufferOperation.CopySpan, source, copy) with { Origin = origin });
            return copy;
        }

        /// <summary>
        /// The statements of a span rule's adjoint (a reduction's, or a map's for the given seed view; the output, the
        /// in-place input and whether it still holds the output as <see cref="SpanAdjointBuilder"/> takes them), scratch
        /// buffers returned at the end.
        /// </summary>
        private List<IrStatement> SpanAdjoint(IrSpanCall call, IrExpression seed, IrExpression? result, string? origin,
            IrSpan? output = null, int inPlace = -1, bool inPlaceInputOverwritten = false)
        {
            SpanRule rule = RuleTable.Of(call.Function);
            var builder = new SpanAdjointBuilder(call.Element, call.Arguments, seed, result, i => AdjointOfSpanArgument(call.Arguments[i]),
                (type, name) => _extra.Create(name, type, type.Kind == IrTypeKind.Array ? IrVariableRole.Saved : IrVariableRole.Temporary), origin,
                output, inPlace, inPlaceInputOverwritten && inPlace >= 0);
            rule.BuildAdjoint(builder);
            var statements = new List<IrStatement>(builder.Statements);
            foreach (IrVariable buffer in builder.ScratchBuffers) statements.Add(ReturnBuffer(buffer) with { Origin = origin });
            return statements;
        }

        /// <summary>The adjoint of an argument of a span primitive: the same view of an active array's adjoint, an active scalar's adjoint, or null.</summary>
        private IrExpression? AdjointOfSpanArgument(IrExpression argument) => argument switch
        {
            IrSpan { Variable: { } array } span when _activity.IsActive(array) => span.Over(Adjoint(array)),
            IrVariableReference { Variable: var scalar } when scalar.Type.IsDifferentiable && _activity.IsActive(scalar) => new IrVariableReference(Adjoint(scalar)),
            _ => null,
        };

        private static IrStatement ReturnBuffer(IrVariable buffer) =>
            IrBufferCall.Effect(BufferOperation.Return, new IrVariableReference(buffer));
    }
}
