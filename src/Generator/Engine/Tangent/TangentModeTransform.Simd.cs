using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Generator.Engine.Tangent
{
    /// <summary>The tangents of SIMD vector code (IrSimd.cs has the design): a vector's tangent is a vector, the same formulas lane-wise.</summary>
    internal sealed partial class TangentModeTransform
    {
        /// <summary>
        /// A load's tangent is the same lanes of the array's tangent; any other operation's is Σ partial · tangent over its
        /// arguments, reduced or broadcast to the result's type; a comparison has none.
        /// </summary>
        private IrExpression? SimdTangent(IrSimdCall call, IrExpression result)
        {
            SimdRule rule = RuleTable.Of(call.Function);
            switch (rule.Kind)
            {
                case SimdRuleKind.Load:
                    return call.Arguments[0] is IrSpan { Variable: { } array } view && _activity.IsActive(array)
                        ? call with { Arguments = ImmutableArray.Create<IrExpression>(SimdViews.Over(view, Tangent(array))) }
                        : null;
                case SimdRuleKind.Differentiable:
                {
                    var partials = rule.Partials(call, result);
                    return Sum(call.Arguments.Select((argument, i) => (argument, partials[i])).Where((_, i) => !rule.PassiveArguments.Contains(i)).ToList(), result.Type);
                }
                default:
                    return null;
            }
        }

        /// <summary><c>v.CopyTo(a.Slice(s))</c> → the same, then <c>v̇.CopyTo(ȧ.Slice(s))</c> (zeros when v is passive).</summary>
        private void TransformSimdStore(IrSimdStore store, IrBlock output)
        {
            output.Add(store);
            IrVariable array = store.DestinationArray;
            if (!_activity.IsActive(array)) return;
            IrExpression tangent = TangentOf(store.Value) ?? IrConstant.Real(0, store.Value.Type);
            output.Add(new IrSimdStore(SimdViews.Over(store.Destination, Tangent(array)), tangent) { Origin = store.Origin });
        }
    }
}
