using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
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
        /// A whole element stored into an array of structs whose members cannot be set in place (a readonly record struct,
        /// Complex) is one element write per leaf in the IR, each of which alone must rebuild the element
        /// (<c>r[i] = new Point(_t5, r[i].Y); r[i] = new Point(r[i].X, _t6);</c>): this writes such a run, from
        /// <paramref name="start"/>, as one store per element, <c>r[i] = new Point(_t5, _t6);</c>. The run is the element writes
        /// of one origin whose values are variables or constants (so none reads what another writes, and the writes of a value
        /// and of its tangent, interleaved, may be regrouped); it is taken only when it stores every leaf of each element it
        /// touches exactly once. Returns how many statements it wrote: 0 when the run is not such a store.
        /// </summary>
        private int EmitWholeStructElements(IReadOnlyList<IrStatement> statements, int start)
        {
            if (statements[start] is not IrElementWrite) return 0; // asked of every statement: nothing allocated for the rest
            var run = new List<(IrElementWrite Write, StructLeafOf Leaf, string Element)>();
            for (int i = start; i < statements.Count; i++)
            {
                if (statements[i] is not IrElementWrite { Value: IrVariableReference or IrConstant } write || write.Origin != statements[start].Origin
                    || StructArrayLeaf(write.Array) is not { } leaf || leaf.Shape.IsSettable(leaf.LeafIndex))
                {
                    break;
                }
                run.Add((write, leaf, Name(write.Array) + "[" + Render(write.Indices[0]) + "]"));
            }
            var elements = run.GroupBy(w => w.Element).ToList();
            bool whole = elements.Count > 0 && elements.All(e =>
                e.All(w => w.Leaf.Shape == e.First().Leaf.Shape) && e.Count() == e.First().Leaf.Shape.Leaves.Length
                && e.Select(w => w.Leaf.LeafIndex).Distinct().Count() == e.Count());
            if (!whole) return 0;
            foreach (var element in elements)
            {
                var values = element.ToDictionary(w => w.Leaf.LeafIndex, w => w.Write.Value);
                Line(element.Key + " = " + element.First().Leaf.Shape.Build(k => Render(values[k])) + ";");
            }
            return run.Count;
        }

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
