using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Generator.Engine.Tangent
{
    /// <summary>Forward mode through span-level primitives (TensorPrimitives): see IrSpan.cs for how they live in the IR.</summary>
    internal sealed partial class TangentModeTransform
    {
        /// <summary>
        /// <c>F(inputs…, d)</c> → <c>F(inputs…, d); ḋ = Σ ∂F/∂input · inpuṫ</c> as span calls on the same views of the
        /// tangent arrays, reading the output d instead of recomputing it. When d is also an input (exact overlap, which
        /// TensorPrimitives allows for element-wise maps), the primal overwrites what the tangent needs: then the output
        /// and the tangent are computed first into pooled scratch buffers, the primal runs, and the tangent is copied.
        /// </summary>
        private void TransformSpanStore(IrSpanStore store, IrBlock output)
        {
            IrSpanCall call = store.Call;
            IrVariable array = store.DestinationArray;
            if (!_activity.IsActive(array))
            {
                output.Add(store);
                return;
            }
            string? origin = store.Origin;
            IrSpan destination = call.Destination;
            IrSpan tangentView = destination.Over(Tangent(array));
            ImmutableArray<IrExpression> inputs = call.Arguments.RemoveAt(call.Arguments.Length - 1);
            bool aliased = inputs.OfType<IrSpan>().Any(s => s.Variable == array);
            if (!aliased)
            {
                output.Add(store);
                AddSpanTangent(call, destination, tangentView, origin, output);
                return;
            }

            var scratch = new List<IrVariable>();
            IrSpan Rent()
            {
                IrVariable buffer = _extra.Create("_scratch", IrType.ArrayOf(call.Element, ArrayLayout.Vector), IrVariableRole.Temporary);
                output.Add(new IrAssign(buffer, IrBufferCall.Rent(buffer.Type, destination.LengthExpression)) { Origin = origin });
                scratch.Add(buffer);
                return IrSpan.Prefix(buffer, destination.LengthExpression);
            }
            IrSpan value = Rent();
            output.Add(new IrSpanStore(call with { Arguments = inputs.Add(value) }) { Origin = origin });
            IrSpan tangent = Rent();
            AddSpanTangent(call, value, tangent, origin, output);
            output.Add(store);
            output.Add(IrBufferCall.Effect(BufferOperation.CopySpan, tangent, tangentView) with { Origin = origin });
            foreach (IrVariable buffer in scratch) output.Add(IrBufferCall.Effect(BufferOperation.Return, new IrVariableReference(buffer)) with { Origin = origin });
        }

        /// <summary><c>r = F(spans…)</c>, a reduction → <c>r = F(spans…); ṙ = …</c> (dot products of the views and their tangents).</summary>
        private void TransformSpanReduction(IrAssign assign, IrSpanCall call, IrBlock output)
        {
            IrVariable target = assign.Target;
            output.Add(assign);
            if (!_activity.IsActive(target)) return;
            IrExpression? tangent = AddSpanTangent(call, new IrVariableReference(target), null, assign.Origin, output);
            output.Add(new IrAssign(Tangent(target), tangent is null ? IrConstant.Real(0, target.Type) : Converted(tangent, target.Type)) { Origin = assign.Origin });
        }

        /// <summary>The rule's tangent statements (scratch buffers returned after them) and, for a reduction, its value.</summary>
        private IrExpression? AddSpanTangent(IrSpanCall call, IrExpression result, IrSpan? target, string? origin, IrBlock output)
        {
            var builder = new SpanTangentBuilder(call.Element, call.Arguments, result, target, i => TangentOfSpanArgument(call.Arguments[i]),
                (type, name) => _extra.Create(name, type, IrVariableRole.Temporary), origin);
            IrExpression? tangent = RuleTable.TangentOf(call.Function)(builder);
            builder.Finish();
            foreach (IrStatement statement in builder.Statements) output.Add(statement);
            foreach (IrVariable buffer in builder.ScratchBuffers) output.Add(IrBufferCall.Effect(BufferOperation.Return, new IrVariableReference(buffer)) with { Origin = origin });
            return tangent;
        }

        /// <summary>The tangent of an argument of a span primitive: the same view of an active array's tangent, an active scalar's tangent, or null.</summary>
        private IrExpression? TangentOfSpanArgument(IrExpression argument) => argument switch
        {
            IrSpan { Variable: { } array } span when _activity.IsActive(array) => span.Over(Tangent(array)),
            IrSpan => null,
            _ => TangentOf(argument),
        };
    }
}
