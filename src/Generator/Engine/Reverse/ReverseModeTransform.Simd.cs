using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>The reverse of SIMD vector code: loads, stores and vector operations (IrSimd.cs has the design).</summary>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>
        /// <c>v = op(args)</c> for a vector operation: a load adds the seed into the same window of the array's adjoint
        /// (the reverse of an element read, lane-wise); any other operation contributes seed × partial to each argument,
        /// reduced or broadcast to the argument's type (<see cref="SimdTypes"/>); a comparison contributes nothing.
        /// </summary>
        private void AddSimdPropagation(IrSimdCall call, IrExpression seed, IrExpression result, IrType type, string? origin, List<IrStatement> reverse)
        {
            SimdRule rule = RuleTable.Of(call.Function);
            switch (rule.Kind)
            {
                case SimdRuleKind.Load:
                    if (call.Arguments[0] is IrSpan { Variable: { } array } view && _activity.IsActive(array))
                    {
                        reverse.Add(new IrSimdStore(SimdViews.Over((IrSpan)Recomputed(view), Adjoint(array)), seed) { Accumulate = true, Origin = origin });
                    }
                    break;
                case SimdRuleKind.Differentiable:
                {
                    var partials = rule.Partials(call, result);
                    var terms = call.Arguments.Select((argument, i) => (argument, partials[i])).Where((_, i) => !rule.PassiveArguments.Contains(i)).ToList();
                    ContributeMerged(terms, seed, type, origin, reverse);
                    break;
                }
            }
        }

        /// <summary>
        /// <c>v.CopyTo(a.Slice(s))</c>: like <c>a[i] = v</c> for Count lanes. Forward, the window's old lanes are recorded
        /// first when the reverse sweep reads the array (a saved vector outside loops, the vector tape inside). Reverse: the
        /// window's adjoint moves into <c>v</c>'s and is cleared, and the old lanes come back.
        /// </summary>
        private void TransformSimdStore(IrSimdStore store, bool inLoop, IrBlock forward, List<IrStatement> reverse)
        {
            IrVariable array = store.DestinationArray;
            string? origin = store.Origin;
            IrType vectorType = store.Value.Type;
            bool restore = _needed.Contains(array) && !_unrestored.Contains(store);
            IrVariable? saved = null;
            if (restore)
            {
                var old = new IrSimdCall(SimdFunction.Load, System.Collections.Immutable.ImmutableArray.Create<IrExpression>(store.Destination), vectorType);
                if (inLoop)
                {
                    forward.Add(new IrTapePush(old) { Origin = origin });
                }
                else
                {
                    saved = SavedLocalFor(store, vectorType, "_saved_" + array.PreferredName.TrimStart('_', '@') + "_lanes");
                    forward.Add(new IrAssign(saved, old) { Origin = origin });
                }
            }
            forward.Add(store);

            var view = (IrSpan)Recomputed(store.Destination);
            if (_activity.IsActive(array))
            {
                IrSpan adjointView = SimdViews.Over(view, Adjoint(array));
                if (store.Value is IrVariableReference { Variable: var value } && _activity.IsActive(value))
                {
                    var lanes = new IrSimdCall(SimdFunction.Load, System.Collections.Immutable.ImmutableArray.Create<IrExpression>(adjointView), vectorType);
                    reverse.Add(_assignedAdjoints.Contains(value)
                        ? new IrAssign(Adjoint(value), lanes) { Origin = origin }
                        : new IrAccumulate(Adjoint(value), lanes) { Origin = origin });
                }
                reverse.Add(new IrSimdStore(adjointView, IrConstant.Real(0, vectorType)) { Origin = origin });
            }
            if (restore)
            {
                IrExpression old = saved is null ? new IrTapePop(vectorType) : new IrVariableReference(saved);
                var restoring = new IrSimdStore(view, old) { Origin = origin };
                reverse.Add(restoring);
                _restoreOf[restoring] = store;
            }
        }
    }
}
