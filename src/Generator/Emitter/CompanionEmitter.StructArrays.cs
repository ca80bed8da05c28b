using System.Collections.Immutable;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// Arrays and spans of structs in the companions (MethodLowering.StructArrays.cs has the design): the IR holds one array per
    /// leaf of the struct, and for a parameter each of those (and its gradient or tangent, or an [Output]'s seed or tangent, named as the whole <c>dp</c>) is
    /// spelled as the field of the caller's element, <c>p[i].X</c>, <c>dp[i].X += …</c>. A local array of structs is stored
    /// as plain arrays, one per leaf, and needs nothing here.
    /// </summary>
    internal sealed partial class CompanionEmitter
    {
        /// <summary>The leaf a variable stands for when it is a leaf array of an array-of-structs parameter, or of its gradient or tangent; null otherwise.</summary>
        private static StructLeafOf? StructArrayLeaf(IrVariable variable) =>
            variable.Type.Kind == IrTypeKind.Array ? variable.StructLeaf ?? variable.GradientParameterOf?.StructLeaf : null;

        /// <summary>
        /// <c>a[i] op value;</c> for an element write (<c>=</c>) or accumulation (<c>+=</c>, <c>-=</c>). A leaf of an element whose
        /// member cannot be set in place (<c>Complex.Real</c>, a readonly record struct's property) rebuilds the element:
        /// <c>dp[i] = new Complex(dp[i].Real + v, dp[i].Imaginary);</c>.
        /// </summary>
        private string ElementStore(IrVariable array, ImmutableArray<IrExpression> indices, string op, IrExpression value)
        {
            string element = Element(array, indices);
            if (StructArrayLeaf(array) is not { } leaf || leaf.Shape.IsSettable(leaf.LeafIndex))
            {
                return element + " " + op + " " + Render(value) + ";";
            }
            string whole = Name(array) + "[" + Render(indices[0]) + "]";
            string updated = op == "=" ? Render(value) : element + " " + op.Substring(0, 1) + " " + Operand(value, rightOfNonCommutative: op == "-=");
            return whole + " = " + leaf.Shape.Build(k => k == leaf.LeafIndex ? updated : whole + leaf.Shape.Leaves[k].Path) + ";";
        }
    }
}
