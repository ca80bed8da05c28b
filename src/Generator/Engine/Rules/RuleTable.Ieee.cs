using System;
using System.Collections.Generic;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>The static math members of double and float that Math and MathF do not have (the generic-math interfaces).</summary>
    internal static partial class RuleTable
    {
        private static IEnumerable<FunctionRule> IeeeEntries()
        {
            IrExpression Ln2(PartialBuilder t) => t.Constant(Math.Log(2));
            IrExpression Ln10(PartialBuilder t) => t.Constant(Math.Log(10));
            IrExpression Pi(PartialBuilder t) => t.Constant(Math.PI);

            // Exponentials: the "M1" forms are accurate near 0, so their derivatives call the plain exponential rather than
            // add 1 to the result (which would cancel for large negative arguments).
            yield return Ieee(MathFunction.ExpM1, (t, a, r) => t.Call(MathFunction.Exp, a));
            yield return Ieee(MathFunction.Exp2, (t, a, r) => t.Mul(r, Ln2(t)));
            yield return Ieee(MathFunction.Exp2M1, (t, a, r) => t.Mul(t.Call(MathFunction.Exp2, a), Ln2(t)));
            yield return Ieee(MathFunction.Exp10, (t, a, r) => t.Mul(r, Ln10(t)));
            yield return Ieee(MathFunction.Exp10M1, (t, a, r) => t.Mul(t.Call(MathFunction.Exp10, a), Ln10(t)));

            // Logarithms of 1 + x.
            yield return Ieee(MathFunction.LogP1, (t, a, r) => t.Div(t.One, t.Add(t.One, a)));
            yield return Ieee(MathFunction.Log2P1, (t, a, r) => t.Div(t.One, t.Mul(t.Add(t.One, a), Ln2(t))));
            yield return Ieee(MathFunction.Log10P1, (t, a, r) => t.Div(t.One, t.Mul(t.Add(t.One, a), Ln10(t))));

            // Trigonometric functions of πx and their inverses in half-turns (AsinPi(x) = Asin(x) / π).
            yield return Ieee(MathFunction.SinPi, (t, a, r) => t.Mul(Pi(t), t.Call(MathFunction.CosPi, a)));
            yield return Ieee(MathFunction.CosPi, (t, a, r) => t.Neg(t.Mul(Pi(t), t.Call(MathFunction.SinPi, a))));
            yield return Ieee(MathFunction.TanPi, (t, a, r) => t.Mul(Pi(t), t.Add(t.One, t.Mul(r, r))));
            yield return Ieee(MathFunction.AsinPi, (t, a, r) => t.Div(t.One, t.Mul(Pi(t), t.Call(MathFunction.Sqrt, t.Sub(t.One, t.Mul(a, a))))));
            yield return Ieee(MathFunction.AcosPi, (t, a, r) => t.Neg(t.Div(t.One, t.Mul(Pi(t), t.Call(MathFunction.Sqrt, t.Sub(t.One, t.Mul(a, a)))))));
            yield return Ieee(MathFunction.AtanPi, (t, a, r) => t.Div(t.One, t.Mul(Pi(t), t.Add(t.One, t.Mul(a, a)))));
            // Atan2's partials over π, with the same zero at the origin and the same scaling against underflow.
            yield return Rule(MathFunction.Atan2Pi, 2, (t, args, r) => Atan2Partials(t, args[0], args[1], Pi(t)), owners: RuleOwners.Ieee, doubleSpelling: IeeeSpelling(MathFunction.Atan2Pi, "double"), floatSpelling: IeeeSpelling(MathFunction.Atan2Pi, "float"));
            yield return Ieee(MathFunction.DegreesToRadians, (t, a, r) => t.Constant(Math.PI / 180), cost: RecomputeCost.Cheap);
            yield return Ieee(MathFunction.RadiansToDegrees, (t, a, r) => t.Constant(180 / Math.PI), cost: RecomputeCost.Cheap);

            // RootN(x, n) = x^(1/n): ∂/∂x = 1 / (n · RootN(x, n)^(n−1)), infinite at 0 like Sqrt's and Cbrt's; n is data.
            yield return Rule(MathFunction.RootN, 2, (t, args, r) =>
                    PartialBuilder.Of(t.Div(t.One, t.Mul(t.Real(args[1]), t.Call(MathFunction.Pow, r, t.Sub(t.Real(args[1]), t.One)))), t.Zero),
                parameters: new[] { RuleParameter.Real, RuleParameter.Integer }, owners: RuleOwners.Ieee,
                doubleSpelling: IeeeSpelling(MathFunction.RootN, "double"), floatSpelling: IeeeSpelling(MathFunction.RootN, "float"));

            // Lerp(a, b, w) = a + (b − a)·w.
            yield return Rule(MathFunction.Lerp, 3, (t, args, r) => PartialBuilder.Of(t.Sub(t.One, args[2]), args[2], t.Sub(args[1], args[0])),
                owners: RuleOwners.Ieee, doubleSpelling: IeeeSpelling(MathFunction.Lerp, "double"), floatSpelling: IeeeSpelling(MathFunction.Lerp, "float"));

            // Selections: the derivative of the argument returned (the first when both are equal). Which one is
            // returned is read off the result, so the rule follows each function's own tie and NaN conventions
            // (MaxMagnitude(−2, 2) returns 2; MaxNumber(NaN, y) returns y).
            var magnitudeTies = new NonSmoothness("where its arguments have equal magnitudes", "the derivative of the argument it returns (the first when they are equal)");
            yield return Selection(MathFunction.MaxMagnitude, magnitudeTies, RuleOwners.All);
            yield return Selection(MathFunction.MinMagnitude, magnitudeTies, RuleOwners.All);
            yield return Selection(MathFunction.MaxMagnitudeNumber, magnitudeTies, RuleOwners.Ieee);
            yield return Selection(MathFunction.MinMagnitudeNumber, magnitudeTies, RuleOwners.Ieee);
            yield return Selection(MathFunction.MaxNumber, AtTies, RuleOwners.Ieee);
            yield return Selection(MathFunction.MinNumber, AtTies, RuleOwners.Ieee);
        }

        /// <summary>A one-argument member of double and float only.</summary>
        private static FunctionRule Ieee(MathFunction function, Func<PartialBuilder, IrExpression, IrExpression, IrExpression> partial,
            RecomputeCost cost = RecomputeCost.Call) =>
            Unary(function, partial, cost: cost, owners: RuleOwners.Ieee,
                doubleSpelling: IeeeSpelling(function, "double"), floatSpelling: IeeeSpelling(function, "float"));

        /// <summary>Called on the type itself: there is no Math/MathF member to call.</summary>
        private static string IeeeSpelling(MathFunction function, string type) => type + "." + function;

        private static FunctionRule Selection(MathFunction function, NonSmoothness ties, RuleOwners owners) =>
            Rule(function, 2, (t, args, r) => FirstOrSecond(t, t.Compare(IrBinaryOperator.Equals, r, args[0])),
                nonSmooth: ties, cost: RecomputeCost.Cheap, owners: owners,
                doubleSpelling: owners == RuleOwners.Ieee ? IeeeSpelling(function, "double") : null,
                floatSpelling: owners == RuleOwners.Ieee ? IeeeSpelling(function, "float") : null);
    }
}
