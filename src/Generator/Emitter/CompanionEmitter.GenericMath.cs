using System.Globalization;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// How generic companions spell what double code writes as literals and casts: a generic real <c>T</c> has no
    /// literals, so <c>0.0</c> is <c>T.Zero</c>, <c>2.0</c> is <c>T.CreateChecked(2)</c> and <c>(double)i</c> is
    /// <c>T.CreateChecked(i)</c>. No double arithmetic is ever done in T code: a non-integer constant is converted once,
    /// by <c>T.CreateTruncating</c>, which the JIT folds for double and float.
    /// </summary>
    internal sealed partial class CompanionEmitter
    {
        /// <summary>A constant of the generic real <paramref name="type"/>: <c>T.Zero</c>, <c>T.One</c>, <c>T.CreateChecked(3)</c>, <c>T.CreateTruncating(0.5)</c>.</summary>
        private static string GenericRealConstant(double value, string type)
        {
            if (double.IsNaN(value)) return type + ".NaN";
            if (double.IsPositiveInfinity(value)) return type + ".PositiveInfinity";
            if (double.IsNegativeInfinity(value)) return type + ".NegativeInfinity";
            if (value == 0) return type + ".Zero";
            if (value == 1) return type + ".One";
            if (value == -1) return type + ".NegativeOne";
            if (value == System.Math.Floor(value) && System.Math.Abs(value) < int.MaxValue)
            {
                return type + ".CreateChecked(" + ((int)value).ToString(CultureInfo.InvariantCulture) + ")";
            }
            return type + ".CreateTruncating(" + value.ToString("R", CultureInfo.InvariantCulture) + ")";
        }

        /// <summary>
        /// A numeric conversion: a cast between built-in types, <c>T.CreateChecked(x)</c> into a generic real, and
        /// <c>double.CreateTruncating(t)</c> out of one (C# has no cast between a type parameter and a number).
        /// </summary>
        private string RenderConversion(IrConvert convert)
        {
            if (convert.TargetType.Kind == IrTypeKind.GenericReal)
            {
                return convert.TargetType.CSharpName + ".CreateChecked(" + Render(convert.Operand) + ")";
            }
            if (convert.Operand.Type.Kind == IrTypeKind.GenericReal)
            {
                return convert.TargetType.CSharpName + ".CreateTruncating(" + Render(convert.Operand) + ")";
            }
            return "(" + convert.TargetType.CSharpName + ")" + Operand(convert.Operand);
        }

        /// <summary>The zero of a real type named in the spec: <c>0</c> for double and float, <c>T.Zero</c> for a generic real.</summary>
        private string ZeroOf(string scalarType) => _spec.IsGenericReal(scalarType) ? scalarType + ".Zero" : "0";

        /// <summary>The one of a real type named in the spec: <c>1.0</c>, <c>1f</c> or <c>T.One</c>.</summary>
        private string OneOf(string scalarType) => _spec.IsGenericReal(scalarType) ? scalarType + ".One" : scalarType == "float" ? "1f" : "1.0";
    }
}
