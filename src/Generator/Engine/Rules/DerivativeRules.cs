using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>
    /// The one table of derivative rules, used by the reverse transform (and, through <see cref="TryGetFunction"/>,
    /// by lowering and the analyzers). Each rule gives, per argument, the partial derivative of the result as an IR
    /// expression over the arguments and the result. Non-smooth functions use the conventional subgradient:
    /// Abs → sign (0 at 0), Max/Min → the selected argument (the first on ties), Clamp → the selected one of
    /// value/min/max (the value on ties).
    /// </summary>
    internal static class DerivativeRules
    {
        private static readonly Dictionary<string, (MathFunction Function, int Arity)> FunctionsByName = new(StringComparer.Ordinal)
        {
            ["Sin"] = (MathFunction.Sin, 1), ["Cos"] = (MathFunction.Cos, 1), ["Tan"] = (MathFunction.Tan, 1),
            ["Asin"] = (MathFunction.Asin, 1), ["Acos"] = (MathFunction.Acos, 1), ["Atan"] = (MathFunction.Atan, 1),
            ["Atan2"] = (MathFunction.Atan2, 2),
            ["Sinh"] = (MathFunction.Sinh, 1), ["Cosh"] = (MathFunction.Cosh, 1), ["Tanh"] = (MathFunction.Tanh, 1),
            ["Asinh"] = (MathFunction.Asinh, 1), ["Acosh"] = (MathFunction.Acosh, 1), ["Atanh"] = (MathFunction.Atanh, 1),
            ["Exp"] = (MathFunction.Exp, 1), ["Log10"] = (MathFunction.Log10, 1), ["Log2"] = (MathFunction.Log2, 1),
            ["Sqrt"] = (MathFunction.Sqrt, 1), ["Cbrt"] = (MathFunction.Cbrt, 1), ["Pow"] = (MathFunction.Pow, 2),
            ["Abs"] = (MathFunction.Abs, 1), ["Max"] = (MathFunction.Max, 2), ["Min"] = (MathFunction.Min, 2),
            ["Clamp"] = (MathFunction.Clamp, 3), ["Hypot"] = (MathFunction.Hypot, 2),
            ["FusedMultiplyAdd"] = (MathFunction.FusedMultiplyAdd, 3),
        };

        /// <summary>
        /// Functions whose derivative is zero almost everywhere or undefined: the gradient does not flow through them.
        /// </summary>
        public static readonly ImmutableHashSet<string> ZeroDerivativeFunctions =
            ImmutableHashSet.Create(StringComparer.Ordinal, "Floor", "Ceiling", "Round", "Truncate", "Sign", "ILogB", "CopySign");

        /// <summary>Finds the rule for a Math/MathF (or double/float) function by name and argument count.</summary>
        public static bool TryGetFunction(string name, int argumentCount, out MathFunction function)
        {
            if (name == "Log")
            {
                function = argumentCount == 2 ? MathFunction.LogBase : MathFunction.Log;
                return argumentCount is 1 or 2;
            }
            if (FunctionsByName.TryGetValue(name, out var entry) && entry.Arity == argumentCount)
            {
                function = entry.Function;
                return true;
            }
            function = default;
            return false;
        }

        /// <summary>Whether the function is smooth everywhere it is defined (the analyzers name the others).</summary>
        public static bool IsNonSmooth(MathFunction function) =>
            function is MathFunction.Abs or MathFunction.Max or MathFunction.Min or MathFunction.Clamp;

        /// <summary>
        /// The partial derivatives of <paramref name="result"/> = <paramref name="function"/>(<paramref name="args"/>),
        /// one per argument, in the result's type.
        /// </summary>
        public static ImmutableArray<IrExpression> Partials(MathFunction function, ImmutableArray<IrExpression> args, IrExpression result)
        {
            var t = new Builder(result.Type);
            IrExpression a = args[0];
            IrExpression? b = args.Length > 1 ? args[1] : null;
            switch (function)
            {
                case MathFunction.Sin: return One(t.Call(MathFunction.Cos, a));
                case MathFunction.Cos: return One(t.Neg(t.Call(MathFunction.Sin, a)));
                case MathFunction.Tan: return One(t.Add(t.One, t.Mul(result, result)));
                case MathFunction.Asin: return One(t.Div(t.One, t.Call(MathFunction.Sqrt, t.Sub(t.One, t.Mul(a, a)))));
                case MathFunction.Acos: return One(t.Neg(t.Div(t.One, t.Call(MathFunction.Sqrt, t.Sub(t.One, t.Mul(a, a))))));
                case MathFunction.Atan: return One(t.Div(t.One, t.Add(t.One, t.Mul(a, a))));
                case MathFunction.Atan2:
                {
                    // atan2(y, x): ∂/∂y = x / (x² + y²), ∂/∂x = −y / (x² + y²); 0 at the origin, where both are 0/0
                    // (the same convention as Hypot: a NaN there would poison every gradient it reaches).
                    IrExpression denominator = t.Add(t.Mul(a, a), t.Mul(b!, b!));
                    IrExpression atOrigin = t.Compare(IrBinaryOperator.Equals, denominator, t.Zero);
                    return Two(
                        new IrConditional(atOrigin, t.Zero, t.Div(b!, denominator), t.Type),
                        new IrConditional(atOrigin, t.Zero, t.Neg(t.Div(a, denominator)), t.Type));
                }
                case MathFunction.Sinh: return One(t.Call(MathFunction.Cosh, a));
                case MathFunction.Cosh: return One(t.Call(MathFunction.Sinh, a));
                case MathFunction.Tanh: return One(t.Sub(t.One, t.Mul(result, result)));
                case MathFunction.Asinh: return One(t.Div(t.One, t.Call(MathFunction.Sqrt, t.Add(t.Mul(a, a), t.One))));
                case MathFunction.Acosh: return One(t.Div(t.One, t.Call(MathFunction.Sqrt, t.Sub(t.Mul(a, a), t.One))));
                case MathFunction.Atanh: return One(t.Div(t.One, t.Sub(t.One, t.Mul(a, a))));
                case MathFunction.Exp: return One(result);
                case MathFunction.Log: return One(t.Div(t.One, a));
                case MathFunction.LogBase:
                {
                    // log_b(a) = ln a / ln b: ∂/∂a = 1 / (a ln b), ∂/∂b = −log_b(a) / (b ln b).
                    IrExpression lnB = t.Call(MathFunction.Log, b!);
                    return Two(t.Div(t.One, t.Mul(a, lnB)), t.Neg(t.Div(result, t.Mul(b!, lnB))));
                }
                case MathFunction.Log10: return One(t.Div(t.One, t.Mul(a, t.Constant(Math.Log(10)))));
                case MathFunction.Log2: return One(t.Div(t.One, t.Mul(a, t.Constant(Math.Log(2)))));
                case MathFunction.Sqrt: return One(t.Div(t.Constant(0.5), result));
                case MathFunction.Cbrt: return One(t.Div(t.One, t.Mul(t.Constant(3), t.Mul(result, result))));
                case MathFunction.Pow:
                {
                    // pow(a, b): ∂/∂a = b·a^(b−1); ∂/∂b = pow(a, b)·ln a, taken as 0 where a ≤ 0 (ln a undefined;
                    // at a = 0 the limit of a^b ln a is 0 for b > 0).
                    IrExpression da = t.Mul(b!, t.Call(MathFunction.Pow, a, t.Sub(b!, t.One)));
                    IrExpression db = new IrConditional(t.Compare(IrBinaryOperator.GreaterThan, a, t.Zero), t.Mul(result, t.Call(MathFunction.Log, a)), t.Zero, t.Type);
                    return Two(da, db);
                }
                case MathFunction.Abs:
                    // sign(a), 0 at 0.
                    return One(new IrConditional(t.Compare(IrBinaryOperator.GreaterThan, a, t.Zero), t.One,
                        new IrConditional(t.Compare(IrBinaryOperator.LessThan, a, t.Zero), t.Constant(-1), t.Zero, t.Type), t.Type));
                case MathFunction.Max:
                {
                    IrExpression firstSelected = t.Compare(IrBinaryOperator.GreaterThanOrEqual, a, b!);
                    return Two(new IrConditional(firstSelected, t.One, t.Zero, t.Type), new IrConditional(firstSelected, t.Zero, t.One, t.Type));
                }
                case MathFunction.Min:
                {
                    IrExpression firstSelected = t.Compare(IrBinaryOperator.LessThanOrEqual, a, b!);
                    return Two(new IrConditional(firstSelected, t.One, t.Zero, t.Type), new IrConditional(firstSelected, t.Zero, t.One, t.Type));
                }
                case MathFunction.Clamp:
                {
                    // Clamp(value, min, max) selects min when value < min, max when value > max, else value.
                    IrExpression c = args[2];
                    IrExpression belowMin = t.Compare(IrBinaryOperator.LessThan, a, b!);
                    IrExpression aboveMax = t.Compare(IrBinaryOperator.GreaterThan, a, c);
                    IrExpression valueSelected = new IrBinary(IrBinaryOperator.And,
                        new IrUnary(IrUnaryOperator.Not, belowMin, IrType.Bool), new IrUnary(IrUnaryOperator.Not, aboveMax, IrType.Bool), IrType.Bool);
                    return ImmutableArray.Create<IrExpression>(
                        new IrConditional(valueSelected, t.One, t.Zero, t.Type),
                        new IrConditional(belowMin, t.One, t.Zero, t.Type),
                        new IrConditional(aboveMax, t.One, t.Zero, t.Type));
                }
                case MathFunction.Hypot:
                    // hypot(a, b) = √(a² + b²): ∂/∂a = a / h, ∂/∂b = b / h (0 at the origin, where h = 0).
                    return Two(
                        new IrConditional(t.Compare(IrBinaryOperator.Equals, result, t.Zero), t.Zero, t.Div(a, result), t.Type),
                        new IrConditional(t.Compare(IrBinaryOperator.Equals, result, t.Zero), t.Zero, t.Div(b!, result), t.Type));
                case MathFunction.FusedMultiplyAdd:
                    return ImmutableArray.Create(b!, a, t.One);
                default:
                    throw new InvalidOperationException("No derivative rule for " + function + ".");
            }
        }

        private static ImmutableArray<IrExpression> One(IrExpression partial) => ImmutableArray.Create(partial);

        private static ImmutableArray<IrExpression> Two(IrExpression first, IrExpression second) => ImmutableArray.Create(first, second);

        /// <summary>Builds partial-derivative expressions in one floating-point type.</summary>
        private readonly struct Builder
        {
            public Builder(IrType type) => Type = type;

            public IrType Type { get; }

            public IrExpression One => IrConstant.Real(1, Type);

            public IrExpression Zero => IrConstant.Real(0, Type);

            public IrExpression Constant(double value) => IrConstant.Real(value, Type);

            public IrExpression Add(IrExpression x, IrExpression y) => new IrBinary(IrBinaryOperator.Add, x, y, Type);

            public IrExpression Sub(IrExpression x, IrExpression y) => new IrBinary(IrBinaryOperator.Subtract, x, y, Type);

            public IrExpression Mul(IrExpression x, IrExpression y) => new IrBinary(IrBinaryOperator.Multiply, x, y, Type);

            public IrExpression Div(IrExpression x, IrExpression y) => new IrBinary(IrBinaryOperator.Divide, x, y, Type);

            public IrExpression Neg(IrExpression x) => new IrUnary(IrUnaryOperator.Negate, x, Type);

            public IrExpression Compare(IrBinaryOperator comparison, IrExpression x, IrExpression y) => new IrBinary(comparison, x, y, IrType.Bool);

            public IrExpression Call(MathFunction function, params IrExpression[] args) => new IrMathCall(function, ImmutableArray.Create(args), Type);
        }
    }
}
