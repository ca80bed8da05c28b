using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>
    /// The one table of what the engine knows per function (design.md, "v2: one rule table"): which calls are
    /// differentiated and how (partials as IR), which are non-smooth and the subgradient used there, which have a zero
    /// derivative almost everywhere, which are predicates (passive), what recomputing costs, and how generated code
    /// spells them. Lowering, the reverse transform, activity analysis, the emitter, recomputation and (through
    /// lowering) the analyzers all read it; nothing else keeps a list of function names. Zero-adjoint analysis needs
    /// no per-function fact: it treats every partial that is not built from constants as possibly non-finite.
    /// </summary>
    /// <remarks>
    /// Non-smooth functions use the conventional subgradient: Abs → sign (0 at 0), Max/Min → the selected argument
    /// (the first on ties), Clamp → the selected one of value/min/max (the value on ties).
    /// </remarks>
    internal static partial class RuleTable
    {
        private static readonly FunctionRule[] ByFunction;
        private static readonly Dictionary<string, List<FunctionRule>> ByName = new(StringComparer.Ordinal);

        static RuleTable()
        {
            ByFunction = new FunctionRule[Enum.GetValues(typeof(MathFunction)).Length];
            foreach (FunctionRule rule in Entries())
            {
                if (rule.Function is { } function)
                {
                    if (ByFunction[(int)function] is not null) throw new InvalidOperationException("Two rules for " + function + ".");
                    ByFunction[(int)function] = rule;
                }
                if (!ByName.TryGetValue(rule.Name, out List<FunctionRule>? rules)) ByName[rule.Name] = rules = new List<FunctionRule>();
                rules.Add(rule);
            }
            if (Array.IndexOf(ByFunction, null) is int missing and >= 0)
            {
                throw new InvalidOperationException("No rule for " + (MathFunction)missing + ".");
            }
        }

        /// <summary>The rule of a function in the IR.</summary>
        public static FunctionRule Of(MathFunction function) => ByFunction[(int)function];

        /// <summary>
        /// The partials of atan2(a, b) / <paramref name="scale"/> (no scale for Atan2, π for Atan2Pi): ∂/∂a = b / (a² + b²)
        /// and ∂/∂b = −a / (a² + b²), both 0 at the origin, where they are 0/0 (the convention of Hypot: a NaN there would
        /// poison every gradient it reaches).
        /// </summary>
        /// <remarks>
        /// Written without squaring the arguments, as Smith's complex division does: with q = a / b when |a| ≤ |b|,
        /// a² + b² = b·(b + a·q), so ∂/∂a = 1 / (b + a·q) and ∂/∂b = −q / (b + a·q); with q = b / a otherwise,
        /// ∂/∂a = q / (a + b·q) and ∂/∂b = −1 / (a + b·q). a² + b² itself loses precision below |a|, |b| ≈ 1e−154 and is 0
        /// below 1e−162, where the rule took the origin's convention and returned 0 for partials of order 1/|a| (IR property
        /// seed 120409238, at 1e−178); it overflows above 1e154. Not <c>double.Hypot</c>: generated code must compile on
        /// targets without it. Each branch equals b / (a² + b²) exactly where it is taken, so forward-over-reverse
        /// differentiates it correctly on either side of |a| = |b|.
        /// </remarks>
        private static ImmutableArray<IrExpression> Atan2Partials(PartialBuilder t, IrExpression a, IrExpression b, IrExpression? scale)
        {
            IrExpression bIsLarger = t.Compare(IrBinaryOperator.LessThanOrEqual, t.Call(MathFunction.Abs, a), t.Call(MathFunction.Abs, b));
            IrExpression atOrigin = t.Compare(IrBinaryOperator.Equals, b, t.Zero);
            IrExpression aOverB = t.Div(a, b), bOverA = t.Div(b, a);
            IrExpression byB = t.Add(b, t.Mul(a, aOverB)), byA = t.Add(a, t.Mul(b, bOverA));
            if (scale is not null)
            {
                byB = t.Mul(scale, byB);
                byA = t.Mul(scale, byA);
            }
            return PartialBuilder.Of(
                t.If(bIsLarger, t.If(atOrigin, t.Zero, t.Div(t.One, byB)), t.Div(bOverA, byA)),
                t.If(bIsLarger, t.If(atOrigin, t.Zero, t.Neg(t.Div(aOverB, byB))), t.Neg(t.Div(t.One, byA))));
        }

        /// <summary>Every rule of a differentiated function, in <see cref="MathFunction"/> order.</summary>
        public static IReadOnlyList<FunctionRule> Differentiable => ByFunction;

        /// <summary>Every rule, differentiated or not.</summary>
        public static IEnumerable<FunctionRule> All => ByName.Values.SelectMany(r => r);

        /// <summary>
        /// The rule for a static member <paramref name="name"/> of <paramref name="owner"/> whose parameters are
        /// <paramref name="parameters"/> (null when one of them is neither a real of the result type nor an int), if any:
        /// a differentiated rule of exactly that signature first, else a rule that covers the name whatever its overload.
        /// </summary>
        public static FunctionRule? Find(RuleOwners owner, string name, IReadOnlyList<RuleParameter>? parameters)
        {
            if (!ByName.TryGetValue(name, out List<FunctionRule>? rules)) return null;
            if (parameters is not null)
            {
                foreach (FunctionRule rule in rules)
                {
                    if (rule.Kind == RuleKind.Differentiable && (rule.Owners & owner) != 0 && rule.Parameters.SequenceEqual(parameters)) return rule;
                }
            }
            return rules.FirstOrDefault(r => r.Kind != RuleKind.Differentiable && (r.Owners & owner) != 0);
        }

        /// <summary>The rule of a function that is not differentiated (Truncate, for the remainder's partial), by name.</summary>
        public static FunctionRule Named(string name) => ByName[name].First(r => r.Kind != RuleKind.Differentiable);

        private static readonly NonSmoothness AtZero = new("at 0", "0 (elsewhere the sign of the argument)");
        private static readonly NonSmoothness AtTies = new("where its arguments are equal", "the derivative of the first argument");
        private static readonly NonSmoothness AtBounds = new("where the value equals min or max", "the derivative of the value");

        private static IEnumerable<FunctionRule> Entries()
        {
            // Trigonometric and hyperbolic functions.
            yield return Unary(MathFunction.Sin, (t, a, r) => t.Call(MathFunction.Cos, a), cost: RecomputeCost.Elementary);
            yield return Unary(MathFunction.Cos, (t, a, r) => t.Neg(t.Call(MathFunction.Sin, a)), cost: RecomputeCost.Elementary);
            yield return Unary(MathFunction.Tan, (t, a, r) => t.Add(t.One, t.Mul(r, r)), cost: RecomputeCost.Elementary);
            yield return Unary(MathFunction.Asin, (t, a, r) => t.Div(t.One, t.Call(MathFunction.Sqrt, t.Sub(t.One, t.Mul(a, a)))));
            yield return Unary(MathFunction.Acos, (t, a, r) => t.Neg(t.Div(t.One, t.Call(MathFunction.Sqrt, t.Sub(t.One, t.Mul(a, a))))));
            yield return Unary(MathFunction.Atan, (t, a, r) => t.Div(t.One, t.Add(t.One, t.Mul(a, a))), cost: RecomputeCost.Elementary);
            yield return Rule(MathFunction.Atan2, 2, (t, args, r) => Atan2Partials(t, args[0], args[1], scale: null));
            yield return Unary(MathFunction.Sinh, (t, a, r) => t.Call(MathFunction.Cosh, a), cost: RecomputeCost.Elementary);
            yield return Unary(MathFunction.Cosh, (t, a, r) => t.Call(MathFunction.Sinh, a), cost: RecomputeCost.Elementary);
            yield return Unary(MathFunction.Tanh, (t, a, r) => t.Sub(t.One, t.Mul(r, r)), cost: RecomputeCost.Elementary);
            yield return Unary(MathFunction.Asinh, (t, a, r) => t.Div(t.One, t.Call(MathFunction.Sqrt, t.Add(t.Mul(a, a), t.One))));
            yield return Unary(MathFunction.Acosh, (t, a, r) => t.Div(t.One, t.Call(MathFunction.Sqrt, t.Sub(t.Mul(a, a), t.One))));
            yield return Unary(MathFunction.Atanh, (t, a, r) => t.Div(t.One, t.Sub(t.One, t.Mul(a, a))));

            // Exponentials, logarithms, powers and roots.
            yield return Unary(MathFunction.Exp, (t, a, r) => r, cost: RecomputeCost.Elementary);
            yield return Unary(MathFunction.Log, (t, a, r) => t.Div(t.One, a), cost: RecomputeCost.Elementary);
            yield return Rule(MathFunction.LogBase, 2, (t, args, r) =>
            {
                // log_b(a) = ln a / ln b: ∂/∂a = 1 / (a ln b), ∂/∂b = −log_b(a) / (b ln b).
                IrExpression a = args[0], b = args[1];
                IrExpression lnB = t.Call(MathFunction.Log, b);
                return PartialBuilder.Of(t.Div(t.One, t.Mul(a, lnB)), t.Neg(t.Div(r, t.Mul(b, lnB))));
            }, name: "Log");
            yield return Unary(MathFunction.Log10, (t, a, r) => t.Div(t.One, t.Mul(a, t.Constant(Math.Log(10)))), cost: RecomputeCost.Elementary);
            yield return Unary(MathFunction.Log2, (t, a, r) => t.Div(t.One, t.Mul(a, t.Constant(Math.Log(2)))), cost: RecomputeCost.Elementary);
            // √a: 1 / (2√a); 0 where √a = 0, the convention Hypot and Atan2 use at the origin. The one-sided derivative
            // there is +∞, and ∞ times the zero partials that usually follow (√(x·k) at k = 0, √(x²) at x = 0) is NaN
            // where the function is flat or |x|; finite differences cannot see the ∞ either (√ of a negative is NaN).
            yield return Unary(MathFunction.Sqrt, (t, a, r) => t.If(t.Compare(IrBinaryOperator.Equals, r, t.Zero), t.Zero, t.Div(t.Constant(0.5), r)), cost: RecomputeCost.Elementary);
            yield return Unary(MathFunction.Cbrt, (t, a, r) => t.Div(t.One, t.Mul(t.Constant(3), t.Mul(r, r))), cost: RecomputeCost.Elementary);
            yield return Rule(MathFunction.Pow, 2, (t, args, r) =>
            {
                // pow(a, b): ∂/∂a = b·a^(b−1); ∂/∂b = pow(a, b)·ln a, taken as 0 where a ≤ 0 (ln a undefined;
                // at a = 0 the limit of a^b ln a is 0 for b > 0).
                IrExpression a = args[0], b = args[1];
                IrExpression da = t.Mul(b, t.Call(MathFunction.Pow, a, t.Sub(b, t.One)));
                IrExpression db = t.If(t.Compare(IrBinaryOperator.GreaterThan, a, t.Zero), t.Mul(r, t.Call(MathFunction.Log, a)), t.Zero);
                return PartialBuilder.Of(da, db);
            });

            // Selections: non-smooth, cheap (a comparison and a select).
            yield return Unary(MathFunction.Abs, (t, a, r) =>
                    // sign(a), 0 at 0.
                    t.If(t.Compare(IrBinaryOperator.GreaterThan, a, t.Zero), t.One, t.If(t.Compare(IrBinaryOperator.LessThan, a, t.Zero), t.Constant(-1), t.Zero)),
                nonSmooth: AtZero, cost: RecomputeCost.Cheap);
            yield return Rule(MathFunction.Max, 2, (t, args, r) => FirstOrSecond(t, t.Compare(IrBinaryOperator.GreaterThanOrEqual, args[0], args[1])),
                nonSmooth: AtTies, cost: RecomputeCost.Cheap);
            yield return Rule(MathFunction.Min, 2, (t, args, r) => FirstOrSecond(t, t.Compare(IrBinaryOperator.LessThanOrEqual, args[0], args[1])),
                nonSmooth: AtTies, cost: RecomputeCost.Cheap);
            yield return Rule(MathFunction.Clamp, 3, (t, args, r) =>
            {
                // Clamp(value, min, max) selects min when value < min, max when value > max, else value.
                IrExpression belowMin = t.Compare(IrBinaryOperator.LessThan, args[0], args[1]);
                IrExpression aboveMax = t.Compare(IrBinaryOperator.GreaterThan, args[0], args[2]);
                IrExpression valueSelected = new IrBinary(IrBinaryOperator.And,
                    new IrUnary(IrUnaryOperator.Not, belowMin, IrType.Bool), new IrUnary(IrUnaryOperator.Not, aboveMax, IrType.Bool), IrType.Bool);
                return PartialBuilder.Of(t.Indicator(valueSelected), t.Indicator(belowMin), t.Indicator(aboveMax));
            }, nonSmooth: AtBounds, cost: RecomputeCost.Cheap,
                // MathF has no Clamp; Math.Clamp has a float overload.
                doubleSpelling: "global::System.Math.Clamp", floatSpelling: "global::System.Math.Clamp");

            yield return Rule(MathFunction.Hypot, 2, (t, args, r) =>
            {
                // hypot(a, b) = √(a² + b²): ∂/∂a = a / h, ∂/∂b = b / h (0 at the origin, where h = 0).
                IrExpression atOrigin = t.Compare(IrBinaryOperator.Equals, r, t.Zero);
                return PartialBuilder.Of(t.If(atOrigin, t.Zero, t.Div(args[0], r)), t.If(atOrigin, t.Zero, t.Div(args[1], r)));
            }, owners: RuleOwners.Ieee, doubleSpelling: "double.Hypot", floatSpelling: "float.Hypot");
            yield return Rule(MathFunction.FusedMultiplyAdd, 3, (t, args, r) => PartialBuilder.Of(args[1], args[0], t.One));

            // CopySign(x, y) = |x| with the sign of y: ±1 in x (the product of the two sign bits, so that CopySign(x, x)
            // has derivative 1 and CopySign(x, −x) −1 everywhere, zeros included), 0 in y (a jump at y = 0).
            yield return Rule(MathFunction.CopySign, 2, (t, args, r) => PartialBuilder.Of(
                    t.Mul(t.Call(MathFunction.CopySign, t.One, args[0]), t.Call(MathFunction.CopySign, t.One, args[1])), t.Zero),
                cost: RecomputeCost.Cheap, flat: new[] { 1 },
                nonSmooth: new NonSmoothness("where its first argument is 0 or its second changes sign",
                    "±1 for the first argument (+1 when the sign bits of both agree, −1 otherwise) and 0 for the second"));

            // ScaleB(x, n) = x · 2ⁿ: ∂/∂x = 2ⁿ, computed exactly as ScaleB(1, n); n is an int, so passive.
            yield return Rule(MathFunction.ScaleB, 2, (t, args, r) => PartialBuilder.Of(t.Call(MathFunction.ScaleB, t.One, args[1]), t.Zero),
                parameters: new[] { RuleParameter.Real, RuleParameter.Integer });
            // One ulp up or down: the identity as far as the gradient goes (the nudge is below any finite difference).
            yield return Unary(MathFunction.BitIncrement, (t, a, r) => t.One);
            yield return Unary(MathFunction.BitDecrement, (t, a, r) => t.One);

            foreach (FunctionRule rule in IeeeEntries()) yield return rule;

            // Zero derivative almost everywhere (or undefined): the analyzers warn (ADG0201), the gradient stops there.
            foreach (string name in new[] { "Floor", "Ceiling", "Round", "Truncate", "Sign", "ILogB" })
            {
                yield return new FunctionRule(name, RuleKind.ZeroDerivative, RuleOwners.All)
                {
                    DoubleSpelling = "global::System.Math." + name,
                    FloatSpelling = "global::System.MathF." + name,
                };
            }

            // Predicates: a bool carries no gradient, so on an active value they are passive, like a comparison
            // (a branch on one is differentiated as the branch taken). Called as written.
            foreach (string name in new[]
            {
                "IsNaN", "IsFinite", "IsInfinity", "IsPositiveInfinity", "IsNegativeInfinity", "IsNegative", "IsPositive",
                "IsNormal", "IsSubnormal", "IsInteger", "IsEvenInteger", "IsOddInteger", "IsRealNumber",
            })
            {
                yield return new FunctionRule(name, RuleKind.Predicate, RuleOwners.Ieee);
            }
        }

        /// <summary>∂/∂first = 1 where <paramref name="firstSelected"/>, else ∂/∂second = 1.</summary>
        private static ImmutableArray<IrExpression> FirstOrSecond(PartialBuilder t, IrExpression firstSelected) =>
            PartialBuilder.Of(t.Indicator(firstSelected), t.If(firstSelected, t.Zero, t.One));

        private static FunctionRule Unary(MathFunction function, Func<PartialBuilder, IrExpression, IrExpression, IrExpression> partial,
            NonSmoothness? nonSmooth = null, RecomputeCost cost = RecomputeCost.Call,
            RuleOwners owners = RuleOwners.All, string? doubleSpelling = null, string? floatSpelling = null) =>
            Rule(function, 1, (t, args, r) => PartialBuilder.Of(partial(t, args[0], r)), nonSmooth, cost, owners,
                doubleSpelling: doubleSpelling, floatSpelling: floatSpelling);

        /// <summary>
        /// A differentiated function of <paramref name="arity"/> reals (or the given <paramref name="parameters"/>), by
        /// default a member of Math, MathF, double and float, called as <c>Math.Name</c> / <c>MathF.Name</c>.
        /// </summary>
        private static FunctionRule Rule(MathFunction function, int arity, PartialsBuilder partials,
            NonSmoothness? nonSmooth = null, RecomputeCost cost = RecomputeCost.Call,
            RuleOwners owners = RuleOwners.All, string? name = null, string? doubleSpelling = null, string? floatSpelling = null,
            RuleParameter[]? parameters = null, int[]? flat = null)
        {
            name ??= function.ToString();
            return new FunctionRule(name, RuleKind.Differentiable, owners)
            {
                Function = function,
                Parameters = parameters is null ? Enumerable.Repeat(RuleParameter.Real, arity).ToImmutableArray() : parameters.ToImmutableArray(),
                PartialsBuilder = partials,
                FlatArguments = flat is null ? ImmutableArray<int>.Empty : flat.ToImmutableArray(),
                NonSmooth = nonSmooth,
                Cost = cost,
                DoubleSpelling = doubleSpelling ?? "global::System.Math." + name,
                FloatSpelling = floatSpelling ?? "global::System.MathF." + name,
            };
        }
    }
}
