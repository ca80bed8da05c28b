using System.Collections.Immutable;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>
    /// Where a SIMD vector meets a scalar in a derivative: a scalar is broadcast into every lane, so in reverse the scalar's
    /// adjoint is the lane sum of the vector contribution, and a reduction's scalar adjoint is broadcast back to the
    /// vector (IrSimd.cs). Both transforms multiply first (seed × partial, partial × tangent) and then adapt the product
    /// to the type of what receives it.
    /// </summary>
    internal static class SimdTypes
    {
        /// <summary>Whether any of the types is a SIMD vector (the scalar paths stay exactly as they were otherwise).</summary>
        public static bool Involved(IrType a, IrType? b, IrType? c = null) => a.IsSimdVector || b?.IsSimdVector == true || c?.IsSimdVector == true;

        /// <summary><c>a × b</c> (b null: 1) in the vector type if either is a vector, the vector operand first (<c>Vector256&lt;T&gt; * T</c> exists for every family).</summary>
        public static IrExpression Multiply(IrExpression a, IrExpression? b, IrType fallback)
        {
            if (b is null) return a;
            IrType type = a.Type.IsSimdVector ? a.Type : b.Type.IsSimdVector ? b.Type : fallback;
            return !a.Type.IsSimdVector && b.Type.IsSimdVector
                ? new IrBinary(IrBinaryOperator.Multiply, b, a, type)
                : new IrBinary(IrBinaryOperator.Multiply, a, b, type);
        }

        /// <summary>
        /// <paramref name="value"/> in <paramref name="target"/>'s type: a vector into a scalar is its lane sum, a scalar
        /// into a vector is broadcast (a constant stays a constant), other reals are converted.
        /// </summary>
        public static IrExpression Adapt(IrExpression value, IrType target)
        {
            if (value.Type.CSharpName == target.CSharpName) return value;
            if (value.Type.IsSimdVector && !target.IsSimdVector)
            {
                return Adapt(new IrSimdCall(SimdFunction.Sum, ImmutableArray.Create(value), value.Type.Element!), target);
            }
            if (!value.Type.IsSimdVector && target.IsSimdVector)
            {
                if (value is IrConstant { Value: double or float } constant) return IrConstant.Real(System.Convert.ToDouble(constant.Value), target);
                return new IrSimdCall(SimdFunction.Broadcast, ImmutableArray.Create(Adapt(value, target.Element!)), target);
            }
            return new IrConvert(value, target);
        }
    }
}
