using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>
    /// The SIMD vector entries of the rule table (IrSimd.cs has the design). The arithmetic operators on vectors are the
    /// operator entries (RuleTable.Operators.cs), applied lane-wise; these are the named operations. Non-smooth ones use
    /// the scalar subgradients lane by lane: Abs → sign (0 at 0), Max/Min → the first argument on ties, Sqrt → 0 where the
    /// root is 0 (as Math.Sqrt).
    /// </summary>
    internal static partial class RuleTable
    {
        private static readonly SimdRule[] SimdRules = BuildSimdRules();
        private static readonly Dictionary<string, SimdRule> SimdByName = BuildSimdNames();

        public static SimdRule Of(SimdFunction function) => SimdRules[(int)function];

        /// <summary>
        /// The rule for a static member of <c>Vector</c> / <c>Vector64…512</c> named <paramref name="name"/> (SquareRoot
        /// and Sqrt alike); null when the table has none. Create and the constructors are the lowering's business (broadcast
        /// or load, by argument type).
        /// </summary>
        public static SimdRule? FindSimd(string name) => SimdByName.TryGetValue(name, out SimdRule? rule) ? rule : null;

        /// <summary>The names of the vector operations the engine differentiates, for the diagnostics (ADG0403).</summary>
        public static IEnumerable<string> SimdNames => SimdByName.Keys;

        private static SimdRule[] BuildSimdRules()
        {
            var ties = new NonSmoothness("where its arguments are equal (lane-wise)", "the derivative of the first argument in that lane");
            var rules = new SimdRule[Enum.GetValues(typeof(SimdFunction)).Length];
            void Add(SimdRule rule) => rules[(int)rule.Function] = rule;

            Add(new SimdRule(SimdFunction.Load, "Load", SimdRuleKind.Load));
            // Broadcast forward, reduce backward: the partial is 1, the transforms adapt scalar ↔ vector (SimdTypes.Adapt).
            Add(new SimdRule(SimdFunction.Broadcast, "Create", SimdRuleKind.Differentiable) { PartialsBuilder = (t, a, r) => Partials((IrExpression?)null) });
            Add(new SimdRule(SimdFunction.Sum, "Sum", SimdRuleKind.Differentiable) { PartialsBuilder = (t, a, r) => Partials((IrExpression?)null) });
            // Dot(a, b) = Sum(a * b): ∂/∂a = b, ∂/∂b = a (the scalar seed times a vector, then nothing to reduce).
            Add(new SimdRule(SimdFunction.Dot, "Dot", SimdRuleKind.Differentiable) { PartialsBuilder = (t, a, r) => Partials(a[1], a[0]) });
            // √a: 1 / (2√a), 0 in the lanes where √a = 0 (Math.Sqrt's convention, RuleTable.cs).
            Add(new SimdRule(SimdFunction.Sqrt, "Sqrt", SimdRuleKind.Differentiable)
            {
                VectorName = "SquareRoot",
                PartialsBuilder = (t, a, r) => Partials(t.LaneSelect(t.LaneCompare(SimdFunction.Equals, r, t.Zero), t.Zero, t.Div(t.Constant(0.5), r))),
            });
            Add(new SimdRule(SimdFunction.Abs, "Abs", SimdRuleKind.Differentiable)
            {
                NonSmooth = new NonSmoothness("at 0 (lane-wise)", "0 in that lane (elsewhere the sign of the lane)"),
                PartialsBuilder = (t, a, r) => Partials(t.LaneSelect(t.LaneCompare(SimdFunction.GreaterThan, a[0], t.Zero), t.One,
                    t.LaneSelect(t.LaneCompare(SimdFunction.LessThan, a[0], t.Zero), t.Constant(-1), t.Zero))),
            });
            Add(new SimdRule(SimdFunction.Max, "Max", SimdRuleKind.Differentiable) { NonSmooth = ties, PartialsBuilder = (t, a, r) => LaneFirstOrSecond(t, t.LaneCompare(SimdFunction.GreaterThanOrEqual, a[0], a[1])) });
            Add(new SimdRule(SimdFunction.Min, "Min", SimdRuleKind.Differentiable) { NonSmooth = ties, PartialsBuilder = (t, a, r) => LaneFirstOrSecond(t, t.LaneCompare(SimdFunction.LessThanOrEqual, a[0], a[1])) });
            // ConditionalSelect(mask, a, b): a where the mask is set, b elsewhere; the mask (a comparison) is passive.
            Add(new SimdRule(SimdFunction.ConditionalSelect, "ConditionalSelect", SimdRuleKind.Differentiable)
            {
                PassiveArguments = ImmutableArray.Create(0),
                NonSmooth = new NonSmoothness("where the mask changes", "the derivative of the operand each lane selects (the jump contributes nothing)"),
                PartialsBuilder = (t, a, r) => Partials(t.Zero, t.LaneSelect(a[0], t.One, t.Zero), t.LaneSelect(a[0], t.Zero, t.One)),
            });
            foreach (SimdFunction comparison in new[] { SimdFunction.Equals, SimdFunction.GreaterThan, SimdFunction.GreaterThanOrEqual, SimdFunction.LessThan, SimdFunction.LessThanOrEqual })
            {
                Add(new SimdRule(comparison, comparison.ToString(), SimdRuleKind.Passive));
            }
            return rules;
        }

        private static ImmutableArray<IrExpression?> LaneFirstOrSecond(PartialBuilder t, IrExpression firstSelected) =>
            Partials(t.LaneSelect(firstSelected, t.One, t.Zero), t.LaneSelect(firstSelected, t.Zero, t.One));

        private static Dictionary<string, SimdRule> BuildSimdNames()
        {
            var names = new Dictionary<string, SimdRule>(StringComparer.Ordinal);
            foreach (SimdRule rule in SimdRules)
            {
                if (rule.Kind != SimdRuleKind.Differentiable || rule.Function == SimdFunction.Broadcast) continue;
                names[rule.Name] = rule;
                if (rule.VectorName is not null) names[rule.VectorName] = rule;
            }
            return names;
        }
    }
}
