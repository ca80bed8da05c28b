using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Arrays and spans of structs of reals (api.md v2: <c>Vector3[] p</c>, <c>ReadOnlySpan&lt;Point&gt; pts</c>, a local
    /// <c>new Vector3[n]</c>), by the same scalar replacement as a struct: an array of structs is one IR array per leaf of the
    /// struct, a "structure of arrays" (<see cref="StructArray"/>), so <c>p[i].X</c> is an element read of the array that stands
    /// for the <c>.X</c> leaves and every pass after lowering sees only arrays of doubles or floats: activity, reverse mode
    /// (taping, loop fusion), forward mode need nothing new.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Why one IR array per leaf rather than an IR array whose elements are structs: the IR never holds a struct value
    /// (StructShape.cs), and a struct element type would have made every pass that reads or accumulates an element learn
    /// field paths. With one array per leaf, only two places know about structs: this file, and the emitter, which spells an
    /// element of a leaf array of a parameter (<see cref="IrVariable.StructLeaf"/> set on an array variable) as the field of
    /// the caller's element, <c>p[i].X</c>, and the same element of its gradient or tangent as <c>dp[i].X</c>.
    /// </para>
    /// <para>
    /// A parameter's leaf arrays are views of the caller's array (all named <c>p</c> in the generated code); a local array of
    /// structs (<c>new Vector3[n]</c>) is really stored as one array per leaf (<c>a_X</c>, <c>a_Y</c>, <c>a_Z</c>). Elements of
    /// both can be written, and are taped and restored like any double array's (for a parameter written into, the reverse
    /// and forward transforms copy and add its gradient and tangent element by element: Ir/StructArrayLeaves.cs). An array
    /// of structs is used through its elements, <c>.Length</c> and <c>foreach</c>, and passed whole only to what is inlined.
    /// </para>
    /// <para>
    /// An <c>[Output] S[]</c> or <c>[Output] Span&lt;S&gt;</c> is the same leaf arrays, each an output buffer (<see cref="IrOutput"/>):
    /// the transforms seed, tangent and flatten them like a <c>double[]</c> output's, and the emitter reads the caller's seed and
    /// writes its tangent field by field (<c>dr[i].X</c>).
    /// </para>
    /// </remarks>
    internal sealed partial class MethodLowering
    {
        /// <summary>An array or span of structs: its element shape and one IR array per leaf (<see cref="StructShape.Leaves"/> order).</summary>
        private sealed record StructArray(StructShape Shape, ImmutableArray<IrVariable> Leaves, string Name)
        {
            /// <summary>Whether it is a local array the method created (it may be given another: a parameter may not).</summary>
            public bool IsOwned => Leaves[0].Role == IrVariableRole.Local;
        }

        /// <summary>Arrays and spans of structs (parameters, locals, and parameters of inlined functions), by symbol.</summary>
        private readonly Dictionary<ISymbol, StructArray> _structArrays = new(SymbolEqualityComparer.Default);

        /// <summary>
        /// An element of an array of structs, or a member of one: <c>p[i]</c> (all leaves), <c>p[i].Inner</c> (a nested
        /// struct's), <c>p[i].X</c> (one leaf, <see cref="Scalar"/> set). <see cref="Shape"/> is null for a scalar.
        /// </summary>
        private sealed record StructElement(StructArray Array, IOperation IndexOperation, StructShape? Shape, int FirstLeaf, int LeafCount, IrType? Scalar);

        /// <summary>The shape of <paramref name="type"/> when it is an array or span of structs of reals (with its layout); null otherwise.</summary>
        private StructShape? StructArrayShape(ITypeSymbol? type, out ArrayLayout layout)
        {
            layout = ArrayLayout.None;
            return type is not null && StructParameters.StructElementOf(type, out layout) is { } element ? ShapeOf(element) : null;
        }

        /// <summary>One leaf array per leaf of <paramref name="shape"/>; for a parameter all named after it (the emitter reads <c>p[i].X</c>).</summary>
        private StructArray NewStructArray(string name, StructShape shape, ArrayLayout layout, IrVariableRole role, bool differentiable)
        {
            var leaves = ImmutableArray.CreateBuilder<IrVariable>(shape.Leaves.Length);
            for (int i = 0; i < shape.Leaves.Length; i++)
            {
                string leafName = role == IrVariableRole.Parameter ? name : name + shape.Leaves[i].Path.Replace('.', '_');
                IrVariable leaf = _variables.Create(leafName, IrType.ArrayOf(shape.Leaves[i].Type, layout), role, differentiable);
                if (role == IrVariableRole.Parameter) leaf.StructLeaf = new StructLeafOf(name, shape, i);
                leaves.Add(leaf);
            }
            return new StructArray(shape, leaves.MoveToImmutable(), name);
        }

        /// <summary>
        /// A parameter <c>S[] p</c>, <c>Span&lt;S&gt; p</c> or <c>ReadOnlySpan&lt;S&gt; p</c>: one IR parameter per leaf (a [NoDerivative]
        /// one is passive data). An <c>[Output] S[] r</c> or <c>[Output] Span&lt;S&gt; r</c> is one output buffer per leaf, in leaf
        /// order (api.md's flattening: element by element, then field by field, is the emitter's business): each leaf array is
        /// written, seeded (<c>dr[i].X</c>) and given a tangent (<c>dr[i].X = …</c>) like a <c>double[]</c> output.
        /// </summary>
        private bool TryDeclareStructArrayParameter(IParameterSymbol parameter, ImmutableArray<IrVariable>.Builder parameters, ImmutableArray<IrOutput>.Builder outputs)
        {
            if (parameter.RefKind is not (RefKind.None or RefKind.In) || StructArrayShape(parameter.Type, out ArrayLayout layout) is not { } shape)
            {
                return false;
            }
            StructArray array = NewStructArray(MethodParser.EscapeIdentifier(parameter.Name), shape, layout, IrVariableRole.Parameter, MethodParser.IsDifferentiableParameter(parameter));
            parameters.AddRange(array.Leaves);
            _structArrays[parameter] = array;
            if (KnownNames.HasAttribute(parameter, KnownNames.OutputAttribute))
            {
                foreach (IrVariable leaf in array.Leaves) outputs.Add(new IrOutput(leaf, leaf));
            }
            return true;
        }

        /// <summary>
        /// A local array of structs: <c>var a = new Vector3[n];</c>, <c>Point[] a = [p, q];</c>: one local array per leaf. A local
        /// declared without a value gets its arrays at its first <c>a = new S[n]</c>; any other value is refused.
        /// </summary>
        private bool TryDeclareStructArrayLocal(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer)
        {
            ILocalSymbol local = declarator.Symbol;
            if (StructArrayShape(local.Type, out ArrayLayout layout) is not { } shape) return false;
            if (layout != ArrayLayout.Vector)
            {
                Unsupported(declarator, "the span of structs '" + local.Name + "' (a local array of structs is created with new "
                    + shape.TypeName.Replace("global::", "") + "[n], new S[] { … } or [a, b])");
                return true;
            }
            StructArray array = NewStructArray(MethodParser.EscapeIdentifier(local.Name), shape, ArrayLayout.Vector, IrVariableRole.Local, differentiable: false);
            _structArrays[local] = array;
            if (initializer is not null) CreateStructArray(array, initializer.Value);
            return true;
        }

        /// <summary><c>new S[n]</c>, <c>new S[] { … }</c> or <c>[a, b]</c> into a local array of structs: each leaf array allocated, then the elements stored.</summary>
        private void CreateStructArray(StructArray array, IOperation value)
        {
            while (value is IConversionOperation { IsImplicit: true } conversion && conversion.Operand.Syntax is not Microsoft.CodeAnalysis.CSharp.Syntax.CollectionExpressionSyntax) value = conversion.Operand;
            IReadOnlyList<IOperation>? elements = value switch
            {
                IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
                IConversionOperation { Operand.Syntax: Microsoft.CodeAnalysis.CSharp.Syntax.CollectionExpressionSyntax } collection => collection.Operand.ChildOperations.ToList(),
                _ => null,
            };
            IrExpression length;
            if (value is IArrayCreationOperation { DimensionSizes.Length: 1 } creation && elements is null)
            {
                length = LowerExpression(creation.DimensionSizes[0]);
            }
            else if (elements is not null)
            {
                length = IrConstant.Of(elements.Count);
            }
            else
            {
                Unsupported(value, "the array of structs '" + Describe(value) + "' (a local array of structs is created with new S[n], new S[] { … } or [a, b], and filled element by element)");
                return;
            }
            SetOriginIfNone(value);
            foreach (IrVariable leaf in array.Leaves) Add(new IrAssign(leaf, new IrNewArray(leaf.Type, ImmutableArray.Create(length))));
            for (int i = 0; elements is not null && i < elements.Count; i++)
            {
                StoreStructElement(array, IrConstant.Of(i), 0, LowerStruct(elements[i], array.Shape));
            }
        }

        /// <summary>The array of structs an operation names (a parameter or local, possibly in parentheses or converted to a span); null for anything else.</summary>
        private StructArray? StructArrayOf(IOperation? operation) => operation switch
        {
            IParenthesizedOperation parenthesized => StructArrayOf(parenthesized.Operand),
            IConversionOperation { IsImplicit: true, OperatorMethod: null } conversion => StructArrayOf(conversion.Operand),
            IConversionOperation { IsImplicit: true } spanConversion when spanConversion.Type is { } to && StructArrayShape(to, out _) is not null => StructArrayOf(spanConversion.Operand),
            ILocalReferenceOperation local => _structArrays.TryGetValue(local.Local, out StructArray? array) ? array : null,
            IParameterReferenceOperation parameter => _structArrays.TryGetValue(parameter.Parameter, out StructArray? array) ? array : null,
            _ => null,
        };

        /// <summary>
        /// <c>p[i]</c>, <c>pts[i]</c> (a span's indexer), or a field of one (<c>p[i].X</c>, <c>p[i].Inner.Y</c>): which leaves of which
        /// element, without lowering anything yet; null when <paramref name="operation"/> is none of these.
        /// </summary>
        private StructElement? ResolveStructElement(IOperation operation)
        {
            switch (operation)
            {
                case IParenthesizedOperation parenthesized:
                    return ResolveStructElement(parenthesized.Operand);
                case IArrayElementReferenceOperation { Indices.Length: 1 } element when IsInteger(element.Indices[0].Type) && StructArrayOf(element.ArrayReference) is { } array:
                    return new StructElement(array, element.Indices[0], array.Shape, 0, array.Shape.Leaves.Length, null);
                case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer
                    when IsInteger(indexer.Arguments[0].Value.Type) && StructArrayOf(indexer.Instance) is { } spanArray:
                    return new StructElement(spanArray, indexer.Arguments[0].Value, spanArray.Shape, 0, spanArray.Shape.Leaves.Length, null);
                case IMemberReferenceOperation { Member: { IsStatic: false } member, Instance: { } instance }
                    when member is IFieldSymbol or IPropertySymbol { IsIndexer: false } && ResolveStructElement(instance) is { Shape: { } owner } whole:
                {
                    int index = owner.IndexOf(MemberName(member));
                    if (index < 0 || member is IPropertySymbol property && !IsAutoProperty(property, owner)) return null;
                    StructMember m = owner.Members[index];
                    return whole with { Shape = m.Nested, FirstLeaf = whole.FirstLeaf + owner.FirstLeafOf(index), LeafCount = m.LeafCount, Scalar = m.Scalar };
                }
                default:
                    return null;
            }
        }

        /// <summary>The index of an element access as an operand (evaluated once, before what <paramref name="evaluatedAfter"/> may change).</summary>
        private IrExpression LowerElementIndex(StructElement element, IOperation? evaluatedAfter = null) =>
            evaluatedAfter is null ? LowerExpression(element.IndexOperation) : LowerOperand(element.IndexOperation, evaluatedAfter);

        /// <summary>Reads the leaves of an element (or of its member) into temporaries: <c>_t0 = p[i].X; _t1 = p[i].Y;</c>.</summary>
        private ImmutableArray<IrExpression> ReadStructElement(StructArray array, IrExpression index, int firstLeaf, int count) =>
            Enumerable.Range(firstLeaf, count)
                .Select(k => Emit(new IrElementRead(Read(array.Leaves[k]), ImmutableArray.Create(index), array.Leaves[k].Type.Element!)))
                .ToImmutableArray();

        /// <summary>A struct-valued element or member of one (<c>p[i]</c>, <c>p[i].Inner</c>) as a struct value; null when <paramref name="operation"/> is not one.</summary>
        private StructValue? TryLowerStructElement(IOperation operation)
        {
            if (ResolveStructElement(operation) is not { Shape: { } shape } element) return null;
            return new StructValue(shape, ReadStructElement(element.Array, LowerElementIndex(element), element.FirstLeaf, element.LeafCount));
        }

        /// <summary>A scalar field of an element (<c>p[i].X</c>); null when <paramref name="operation"/> is not one.</summary>
        private IrExpression? TryLowerStructElementScalar(IOperation operation)
        {
            if (ResolveStructElement(operation) is not { Scalar: not null } element) return null;
            return ReadStructElement(element.Array, LowerElementIndex(element), element.FirstLeaf, 1)[0];
        }

        /// <summary><c>p.Length</c> of an array or span of structs: the length of its first leaf array (all have the caller's length); null for anything else.</summary>
        private IrExpression? TryLowerStructArrayMember(ISymbol member, IOperation? instance)
        {
            if (StructArrayOf(instance) is not { } array) return null;
            if (member.Name != "Length")
            {
                return Unsupported(instance!.Parent ?? instance, "'" + Describe(instance.Parent ?? instance) + "' (an array or span of structs is read through its elements, .Length and foreach)");
            }
            return Emit(new IrOpaque("{0}.Length", ImmutableArray.Create<IrExpression>(Read(array.Leaves[0])), IrType.Int));
        }

        /// <summary>An array of structs used whole (passed to a method that is not inlined, assigned to another variable): refused, with the way out.</summary>
        private IrExpression UnsupportedWholeStructArray(IOperation operation, string quoted) =>
            Unsupported(operation, "the array of structs " + quoted + " used as a whole value (an array or span of structs is read through its elements, "
                + ".Length and foreach, and passed whole only to a local function or a [Differentiable] method whose code is inlined; otherwise pass its fields as arrays of doubles)");

        /// <summary>The place <c>a[i].X</c>: one element of the leaf's array.</summary>
        private Place StructElementPlace(IOperation target, StructElement element, IOperation? evaluatedAfter)
        {
            IrExpression index = LowerElementIndex(element, evaluatedAfter);
            return new Place(null, element.Array.Leaves[element.FirstLeaf], ImmutableArray.Create(index), element.Scalar!);
        }

        /// <summary>Stores a struct value into element <paramref name="index"/> of an array of structs, leaf by leaf from <paramref name="firstLeaf"/>.</summary>
        private void StoreStructElement(StructArray array, IrExpression index, int firstLeaf, StructValue value)
        {
            for (int k = 0; k < value.Leaves.Length; k++)
            {
                IrVariable leaf = array.Leaves[firstLeaf + k];
                Add(new IrElementWrite(leaf, ImmutableArray.Create(index), ToLeafType(value.Leaves[k], leaf.Type.Element!)));
            }
        }

        /// <summary>
        /// <c>a[i] = value</c> or <c>a[i].Inner = value</c> for an array of structs, or <c>a = new S[n]</c> for a local one; false when the target
        /// is no element of an array of structs (nor such an array). The value is read fully before any leaf is stored.
        /// </summary>
        private bool TryLowerStructElementAssignment(ISimpleAssignmentOperation assignment)
        {
            if (StructArrayOf(assignment.Target) is { } whole)
            {
                if (whole.IsOwned) CreateStructArray(whole, assignment.Value);
                else UnsupportedWholeStructArray(assignment, "'" + whole.Name + "'");
                return true;
            }
            if (ResolveStructElement(assignment.Target) is not { Shape: { } shape } element) return false;
            IrExpression index = LowerElementIndex(element, assignment.Value);
            StructValue value = Snapshot(LowerStruct(assignment.Value, shape));
            SetOriginIfNone(assignment);
            StoreStructElement(element.Array, index, element.FirstLeaf, value);
            return true;
        }

        /// <summary><c>a[i] += d</c> on an array of structs with operators (Vector3, Complex, a user struct): <c>a[i] = a[i] + d</c>.</summary>
        private bool TryLowerStructElementCompound(ICompoundAssignmentOperation compound, StructShape shape)
        {
            if (ResolveStructElement(compound.Target) is not { Shape: not null } element) return false;
            IrExpression index = LowerElementIndex(element, compound.Value);
            StructValue result = LowerStructOperator(compound, compound.OperatorMethod, compound.OperatorKind, compound.Target, compound.Value, shape);
            SetOriginIfNone(compound);
            StoreStructElement(element.Array, index, element.FirstLeaf, result);
            return true;
        }

        /// <summary><c>foreach (var q in p)</c> over an array or span of structs: an indexed loop whose element is a struct local, one local per leaf.</summary>
        private bool TryLowerStructArrayForEach(IForEachLoopOperation forEach, IOperation collection)
        {
            if (StructArrayOf(collection) is not { } array || forEach.LoopControlVariable is not IVariableDeclaratorOperation declarator || forEach.IsAsynchronous) return false;
            IrVariable index = _variables.Create("_index", IrType.Int, IrVariableRole.Local);
            Add(new IrAssign(index, IrConstant.Of(0)) { IsDeclaration = true });
            StructVariable element = NewStructLocal(MethodParser.EscapeIdentifier(declarator.Symbol.Name), array.Shape);
            _structVariables[declarator.Symbol] = element;
            IrExpression length = Emit(new IrOpaque("{0}.Length", ImmutableArray.Create<IrExpression>(Read(array.Leaves[0])), IrType.Int));
            LowerLoop(forEach,
                () => Emit(new IrBinary(IrBinaryOperator.LessThan, Read(index), length, IrType.Bool)),
                forEach.Body,
                () => Add(new IrAssign(index, new IrBinary(IrBinaryOperator.Add, Read(index), IrConstant.Of(1), IrType.Int))),
                () => StoreStruct(element, new StructValue(array.Shape, ReadStructElement(array, Read(index), 0, array.Shape.Leaves.Length))),
                conditionAtTop: true);
            return true;
        }
    }
}
