using System.Collections.Immutable;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>
    /// Builds partial-derivative expressions in one floating-point type: a float rule must not mix in double constants
    /// (the emitted MathF code would not compile). For a SIMD vector type the constants are vectors (broadcast).
    /// </summary>
    internal readonly struct PartialBuilder
    {
        public PartialBuilder(IrType type) => Type = type;

        public IrType Type { get; }

        public IrExpression One => IrConstant.Real(1, Type);

        public IrExpression Zero => IrConstant.Real(0, Type);

        public IrExpression Constant(double value) => IrConstant.Real(value, Type);

        public IrExpression Add(IrExpression x, IrExpression y) => new IrBinary(IrBinaryOperator.Add, x, y, Type);

        public IrExpression Sub(IrExpression x, IrExpression y) => new IrBinary(IrBinaryOperator.Subtract, x, y, Type);

        public IrExpression Mul(IrExpression x, IrExpression y) => new IrBinary(IrBinaryOperator.Multiply, x, y, Type);

        public IrExpression Div(IrExpression x, IrExpression y) => new IrBinary(IrBinaryOperator.Divide, x, y, Type);

        public IrExpression Neg(IrExpression x) => new IrUnary(IrUnaryOperator.Negate, x, Type);

        /// <summary>A passive value (an int argument) in this real type; a constant stays a constant.</summary>
        public IrExpression Real(IrExpression x) => x switch
        {
            _ when x.Type == Type => x,
            IrConstant { Value: int value } => Constant(value),
            _ => new IrConvert(x, Type),
        };

        public IrExpression Compare(IrBinaryOperator comparison, IrExpression x, IrExpression y) => new IrBinary(comparison, x, y, IrType.Bool);

        public IrExpression If(IrExpression condition, IrExpression whenTrue, IrExpression whenFalse) => new IrConditional(condition, whenTrue, whenFalse, Type);

        /// <summary>1 when <paramref name="condition"/> holds, else 0: the derivative of a selection.</summary>
        public IrExpression Indicator(IrExpression condition) => If(condition, One, Zero);

        public IrExpression Call(MathFunction function, params IrExpression[] args) => new IrMathCall(function, ImmutableArray.Create(args), Type);

        /// <summary>For a SIMD vector type: a lane mask, set where the lane-wise comparison holds (RuleTable.Simd.cs).</summary>
        public IrExpression LaneCompare(SimdFunction comparison, IrExpression x, IrExpression y) =>
            new IrSimdCall(comparison, ImmutableArray.Create(x, y), new IrType(IrTypeKind.Other, Type.CSharpName + " mask"));

        /// <summary>For a SIMD vector type: <c>ConditionalSelect(mask, whenTrue, whenFalse)</c>, lane-wise.</summary>
        public IrExpression LaneSelect(IrExpression mask, IrExpression whenTrue, IrExpression whenFalse) =>
            new IrSimdCall(SimdFunction.ConditionalSelect, ImmutableArray.Create(mask, whenTrue, whenFalse), Type);

        public static ImmutableArray<IrExpression> Of(params IrExpression[] partials) => ImmutableArray.Create(partials);
    }
}
