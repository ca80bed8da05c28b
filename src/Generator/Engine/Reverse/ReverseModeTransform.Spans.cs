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
        /// sweep reads the array (a pooled copy outside loops, the tape inside). Reverse: the seed is the destination's
        /// adjoint view (a pooled copy of it when the destination is also an input, which the primitive allows for exact
        /// overlap), the view is cleared (the old contents' adjoint starts from zero), the old contents come back, and the
        /// rule's adjoint adds the seed's contributions into the inputs' adjoints.
        /// </summary>
        private void TransformSpanStore(IrSpanStore store, bool inLoop, IrBlock forward, List<IrStatement> reverse)
        {
            IrSpanCall call = store.Call;
            IrSpan destination = call.Destination;
            IrVariable array = store.DestinationArray;
            string? origin = store.Origin;
            IrType element = call.Element;
            bool restore = _needed.Contains(array);
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
            if (!_activity.IsActive(array))
            {
                if (restoring is not null) reverse.Add(restoring);
                return;
            }

            IrSpan adjointView = view.Over(Adjoint(array));
            var recomputed = (IrSpanCall)Recomputed(call);
            bool aliased = recomputed.Arguments.Take(recomputed.Arguments.Length - 1).OfType<IrSpan>().Any(s => s.Variable == array);
            IrSpan seed = adjointView;
            IrVariable? seedCopy = null;
            if (aliased)
            {
                seedCopy = _extra.Create("_seed", IrType.ArrayOf(element, ArrayLayout.Vector), IrVariableRole.Saved);
                reverse.Add(new IrAssign(seedCopy, IrBufferCall.Rent(seedCopy.Type, view.LengthExpression)) { Origin = origin });
                seed = IrSpan.Prefix(seedCopy, view.LengthExpression);
                reverse.Add(IrBufferCall.Effect(BufferOperation.CopySpan, adjointView, seed) with { Origin = origin });
                reverse.Add(IrBufferCall.Effect(BufferOperation.ClearSpan, adjointView) with { Origin = origin });
            }
            if (restoring is not null) reverse.Add(restoring);
            reverse.AddRange(SpanAdjoint(recomputed, seed, null, origin));
            if (!aliased)
            {
                reverse.Add(IrBufferCall.Effect(BufferOperation.ClearSpan, adjointView) with { Origin = origin });
            }
            else
            {
                reverse.Add(ReturnBuffer(seedCopy!) with { Origin = origin });
            }
        }

        /// <summary>The statements of a span rule's adjoint (a reduction's, or a map's for the given seed view), scratch buffers returned at the end.</summary>
        private List<IrStatement> SpanAdjoint(IrSpanCall call, IrExpression seed, IrExpression? result, string? origin)
        {
            SpanRule rule = RuleTable.Of(call.Function);
            var builder = new SpanAdjointBuilder(call.Element, call.Arguments, seed, result, i => AdjointOfSpanArgument(call.Arguments[i]),
                (type, name) => _extra.Create(name, type, type.Kind == IrTypeKind.Array ? IrVariableRole.Saved : IrVariableRole.Temporary), origin);
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
