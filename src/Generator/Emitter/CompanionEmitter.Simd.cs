using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>How SIMD vector operations, stores and constants are written (IrSimd.cs has the design).</summary>
    internal sealed partial class CompanionEmitter
    {
        /// <summary>A vector operation by its rule's spelling: <c>global::System.Numerics.Vector.Sum(v)</c>, <c>new Vector&lt;double&gt;(x.Slice(i))</c>.</summary>
        private string RenderSimdCall(IrSimdCall call)
        {
            var builder = new StringBuilder(RuleTable.Of(call.Function).Spelling(call.VectorType));
            for (int i = call.Arguments.Length - 1; i >= 0; i--)
            {
                builder.Replace("{" + i.ToString(CultureInfo.InvariantCulture) + "}", Render(call.Arguments[i]));
            }
            return builder.ToString();
        }

        /// <summary>
        /// <c>v.CopyTo(view)</c>, or with accumulation <c>(load(view) + v).CopyTo(view)</c>; the Intrinsics families' CopyTo is
        /// an extension method, called as a static one so the generated file needs no using directive.
        /// </summary>
        private string RenderSimdStore(IrSimdStore store)
        {
            IrType type = store.Value.Type;
            IrExpression value = store.Value;
            if (store.Accumulate)
            {
                var current = new IrSimdCall(SimdFunction.Load, ImmutableArray.Create<IrExpression>(store.Destination), type);
                value = new IrBinary(IrBinaryOperator.Add, current, value, type);
            }
            string destination = Render(store.Destination);
            return type.Simd == SimdFamily.Vector
                ? Operand(value) + ".CopyTo(" + destination + ");"
                : IrType.SimdHelperClass(type.Simd) + ".CopyTo(" + Render(value) + ", " + destination + ");";
        }

        /// <summary>A constant vector: <c>Vector&lt;double&gt;.Zero</c>, <c>.One</c>, or the lane value broadcast.</summary>
        private static string RenderSimdConstant(IrConstant constant)
        {
            IrType type = constant.Type;
            if (constant.Value is null) return "default(" + type.CSharpName + ")";
            double value = Convert.ToDouble(constant.Value, CultureInfo.InvariantCulture);
            if (value == 0) return type.CSharpName + ".Zero";
            if (value == 1) return type.CSharpName + ".One";
            string lane = RenderConstant(IrConstant.Real(value, type.Element!));
            return type.Simd == SimdFamily.Vector ? "new " + type.CSharpName + "(" + lane + ")" : IrType.SimdHelperClass(type.Simd) + ".Create(" + lane + ")";
        }
    }
}
