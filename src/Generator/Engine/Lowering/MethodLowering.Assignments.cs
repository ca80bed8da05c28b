using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Engine.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Assignments and places: simple, compound and increment assignments to locals, parameters and array elements; array creation.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        /// <summary>Lowers <c>target = value</c>; returns the value assigned.</summary>
        private IrExpression LowerAssignment(ISimpleAssignmentOperation assignment, bool valueNeeded)
        {
            if (TryAssignView(assignment) is { } view)
            {
                return view; // t = t.Slice(1) (MethodLowering.Views.cs)
            }
            if (TryLowerStructElementAssignment(assignment))
            {
                // a[i] = new Point(…), a = new Point[n] on a local array of structs (MethodLowering.StructArrays.cs).
                return valueNeeded ? Unsupported(assignment, "the value of '" + Describe(assignment) + "' (assign the element in a statement of its own)") : IrConstant.Of(0);
            }
            if (ShapeOf(assignment.Target.Type) is { } shape)
            {
                // p = new Point(…), p.Inner = q: every leaf (MethodLowering.Structs.cs); the value is rebuilt only when used.
                StructVariable? assigned = LowerStructAssignment(assignment, shape);
                return valueNeeded && assigned is not null ? RebuildStruct(assigned.Value) : IrConstant.Of(0);
            }
            if (assignment.Target is IArrayElementReferenceOperation { Indices.Length: 1, ArrayReference.Type: { } ownerType } row
                && TypeOf(ownerType).Layout == ArrayLayout.Jagged)
            {
                return LowerRowAssignment(assignment, row, valueNeeded);
            }
            Place? target = LowerPlace(assignment.Target, assignment.Value);
            IrExpression value = LowerExpression(assignment.Value);
            if (target is null) return value;
            SetOriginIfNone(assignment);
            Store(target, value);
            return valueNeeded ? ReadPlace(target) : value;
        }

        /// <summary>
        /// <c>t[i] = new double[n];</c> on a local jagged array: a row allocated in place (the only way a row of a
        /// jagged array is given; a row is never a value of its own, so elements are always reached as <c>t[i][k]</c>).
        /// </summary>
        private IrExpression LowerRowAssignment(ISimpleAssignmentOperation assignment, IArrayElementReferenceOperation row, bool valueNeeded)
        {
            if (valueNeeded || assignment.Value is not IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: null, Type: { } rowType } creation
                || TypeOf(rowType).Layout != ArrayLayout.Vector)
            {
                return Unsupported(assignment, "the assignment to the row '" + row.Syntax + "' (a row of a jagged array is assigned as t[i] = new double[n])");
            }
            IrExpression array = LowerArrayOperand(row.ArrayReference);
            if (array is not IrVariableReference { Variable: { Role: IrVariableRole.Local } owner })
            {
                return Unsupported(assignment, "replacing a row of '" + row.ArrayReference.Syntax + "' (only rows of a local jagged array can be assigned)");
            }
            ImmutableArray<IrExpression> operands = LowerOperands(new[] { row.Indices[0], creation.DimensionSizes[0] }, null);
            SetOriginIfNone(assignment);
            Add(Stamp(new IrElementWrite(owner, ImmutableArray.Create(operands[0]), new IrNewArray(TypeOf(rowType), ImmutableArray.Create(operands[1])))));
            return IrConstant.Of(0);
        }

        private IrExpression LowerCompoundAssignment(ICompoundAssignmentOperation compound, bool valueNeeded)
        {
            if (ShapeOf(compound.Target.Type) is { } shape)
            {
                LowerStructCompoundAssignment(compound, shape); // v += w on Vector3 (MethodLowering.Structs.cs)
                return valueNeeded ? Unsupported(compound, "the value of '" + Describe(compound) + "'") : IrConstant.Of(0);
            }
            Place? target = LowerPlace(compound.Target, compound.Value);
            // C# reads the target before it evaluates the right side (a += a++ adds the old a).
            IrExpression? currentValue = target is { Variable: { } v } && Writes(compound.Value, v) ? Copy(Read(v)) : null;
            IrExpression value = LowerExpression(compound.Value);
            if (target is null) return value;
            if (IsSimdOperator(compound.OperatorMethod) && target.Type.IsSimdVector
                && compound.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide)
            {
                // acc += v * w on vectors: lane-wise, as on scalars (MethodLowering.Simd.cs).
                IrExpression lanes = Emit(new IrBinary(BinaryOperators[compound.OperatorKind], currentValue ?? ReadPlace(target), value, target.Type));
                Store(target, lanes);
                return valueNeeded ? ReadPlace(target) : lanes;
            }
            if (!IsBuiltInOperator(compound.OperatorMethod) || !BinaryOperators.TryGetValue(compound.OperatorKind, out IrBinaryOperator op))
            {
                return Unsupported(compound, "the compound operator '" + compound.OperatorKind + "'");
            }
            // x op= v  is  x = (T)((U)x op v): the in-conversion widens x to the operator's type, the out-conversion narrows back.
            IrExpression current = currentValue ?? ReadPlace(target);
            IrType operatorType = compound.InConversion.IsIdentity || !compound.InConversion.Exists ? target.Type : value.Type;
            if (operatorType.CSharpName != target.Type.CSharpName)
            {
                current = Emit(new IrConvert(current, operatorType));
            }
            if (value.Type.CSharpName != operatorType.CSharpName && IsNumeric(value.Type))
            {
                value = Emit(new IrConvert(value, operatorType));
            }
            IrExpression combined = Emit(new IrBinary(op, current, value, operatorType));
            if (operatorType.CSharpName != target.Type.CSharpName)
            {
                combined = Emit(new IrConvert(combined, target.Type));
            }
            Store(target, combined);
            return valueNeeded ? ReadPlace(target) : combined;
        }

        /// <summary>Lowers <c>++x</c>, <c>x--</c>, <c>a[i]++</c>…; returns the expression's value when needed.</summary>
        private IrExpression? LowerIncrement(IIncrementOrDecrementOperation increment, bool valueNeeded)
        {
            Place? target = LowerPlace(increment.Target);
            if (target is null) return IrConstant.Of(0);
            if (!IsNumeric(target.Type) || !IsBuiltInOperator(increment.OperatorMethod))
            {
                return Unsupported(increment, "'" + Describe(increment) + "' on a non-numeric value");
            }
            IrExpression before = ReadPlace(target);
            if (valueNeeded && increment.IsPostfix)
            {
                before = Copy(before);
            }
            IrConstant one = target.Type.IsDifferentiable ? IrConstant.Real(1, target.Type)
                : new IrConstant(Convert.ChangeType(1, ClrTypeOf(target.Type), System.Globalization.CultureInfo.InvariantCulture), target.Type);
            var op = increment.Kind == OperationKind.Increment ? IrBinaryOperator.Add : IrBinaryOperator.Subtract;
            Store(target, Emit(new IrBinary(op, before is IrVariableReference && target.Variable is not null ? Read(target.Variable) : before, one, target.Type), reuseTargetFor: target.Variable));
            if (!valueNeeded) return null;
            return increment.IsPostfix ? before : Copy(ReadPlace(target));
        }

        /// <summary>
        /// Where an assignment stores: a variable, or an array element whose array and indices are evaluated once
        /// (so <c>a[i++] += x</c> reads and writes the same element).
        /// </summary>
        private sealed record Place(IrVariable? Variable, IrVariable? Array, ImmutableArray<IrExpression> Indices, IrType Type);

        private IrExpression ReadPlace(Place place) =>
            place.Variable is { } variable ? Read(variable) : Emit(new IrElementRead(Read(place.Array!), place.Indices, place.Type));

        private void Store(Place place, IrExpression value)
        {
            if (place.Variable is { } variable)
            {
                AssignTo(variable, value);
                return;
            }
            if (value.Type.CSharpName != place.Type.CSharpName && IsNumeric(value.Type))
            {
                value = Emit(new IrConvert(value, place.Type));
            }
            Add(new IrElementWrite(place.Array!, place.Indices, value));
        }

        private Place? LowerPlace(IOperation target, IOperation? evaluatedAfter = null)
        {
            switch (target)
            {
                case ILocalReferenceOperation local when _symbolVariables.TryGetValue(local.Local, out IrVariable? variable):
                    return new Place(variable, null, ImmutableArray<IrExpression>.Empty, variable.Type);
                case IParameterReferenceOperation parameter when _symbolVariables.TryGetValue(parameter.Parameter, out IrVariable? variable):
                    if (variable.Type.Kind == IrTypeKind.Array)
                    {
                        Unsupported(target, "reassigning the array parameter '" + variable.PreferredName + "' (write its elements instead)");
                        return null;
                    }
                    return new Place(variable, null, ImmutableArray<IrExpression>.Empty, variable.Type);
                case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } or IImplicitIndexerReferenceOperation when ElementAccess(target, evaluatedAfter) is { } access:
                {
                    if (access.Array is not IrVariableReference { Variable: var array }
                        || array.Role is not (IrVariableRole.Parameter or IrVariableRole.Local) || _sharedArrays.Contains(array))
                    {
                        Report(DiagnosticDescriptors.WriteToMember, target.Syntax.GetLocation(), target.Syntax.ToString(), _method.Name);
                        return null;
                    }
                    return new Place(null, array, access.Indices, access.ElementType);
                }
                case IFieldReferenceOperation or IPropertyReferenceOperation when ResolveStructElement(target) is { Scalar: not null } element:
                    return StructElementPlace(target, element, evaluatedAfter); // a[i].X = v (MethodLowering.StructArrays.cs)
                case IFieldReferenceOperation or IPropertyReferenceOperation when IsStructMemberPlace(target):
                    // s.X = v on a struct local (or this.X in an inlined constructor): its leaf.
                    return StructPlace(target) is { Leaves.Length: 1 } leaf ? new Place(leaf.Leaves[0], null, ImmutableArray<IrExpression>.Empty, leaf.Leaves[0].Type) : null;
                case IFieldReferenceOperation or IPropertyReferenceOperation:
                    Report(DiagnosticDescriptors.WriteToMember, target.Syntax.GetLocation(), target.Syntax.ToString(), _method.Name);
                    return null;
                case IDiscardOperation:
                    return null; // _ = e: e is evaluated, nothing is stored
                default:
                    Unsupported(target, "an assignment to '" + target.Syntax + "'");
                    return null;
            }
        }

        /// <summary>
        /// Lowers <c>a[i]</c>, <c>m[i, j]</c>, <c>j[i][k]</c> or <c>span[i]</c> to its array and indices; null when the
        /// operation is not an element of an array or span of scalars.
        /// </summary>
        private IrElementRead? ElementAccess(IOperation operation, IOperation? evaluatedAfter = null)
        {
            if (ViewElementAccess(operation, evaluatedAfter) is { } viewed)
            {
                return viewed; // through a slice or row, or counted from the end (MethodLowering.Views.cs)
            }
            if (operation is IArrayElementReferenceOperation { Indices: var indexOperations } && !indexOperations.All(i => IsInteger(i.Type)))
            {
                return null; // a range or an Index: not one element
            }
            switch (operation)
            {
                case IArrayElementReferenceOperation { ArrayReference: IArrayElementReferenceOperation inner } outer
                    when inner.ArrayReference.Type is { } jaggedType && TypeOf(jaggedType).Layout == ArrayLayout.Jagged && inner.Indices.All(i => IsInteger(i.Type)):
                {
                    IrExpression array = LowerArrayOperand(inner.ArrayReference);
                    var indices = LowerOperands(inner.Indices.Concat(outer.Indices).ToList(), evaluatedAfter);
                    return new IrElementRead(array, indices, array.Type.Element!);
                }
                case IArrayElementReferenceOperation element when element.ArrayReference.Type is { } arrayType
                    && TypeOf(arrayType) is { Kind: IrTypeKind.Array, Layout: ArrayLayout.Vector or ArrayLayout.Matrix }:
                {
                    IrExpression array = LowerArrayOperand(element.ArrayReference);
                    var indices = LowerOperands(element.Indices, evaluatedAfter);
                    return new IrElementRead(array, indices, array.Type.Element!);
                }
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: ILocalReferenceOperation } viewIndexer
                    when viewIndexer.Arguments.Length == 1 && SpanViewElement(viewIndexer, evaluatedAfter) is { } viewElement:
                    return viewElement;
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { Type: { } spanType } instance } indexer
                    when TypeOf(spanType) is { Layout: ArrayLayout.Span or ArrayLayout.ReadOnlySpan } && indexer.Arguments.Length == 1:
                {
                    IrExpression array = LowerArrayOperand(instance);
                    return new IrElementRead(array, LowerOperands(new[] { indexer.Arguments[0].Value }, evaluatedAfter), array.Type.Element!);
                }
                default:
                    return null;
            }
        }

        /// <summary>The array of an element access, as a variable (a field's array goes into a temporary: it is data).</summary>
        private IrExpression LowerArrayOperand(IOperation array)
        {
            IrExpression lowered = LowerExpression(array);
            if (lowered is IrVariableReference) return lowered;
            IrVariable temporary = _variables.Temporary(lowered.Type);
            Add(new IrAssign(temporary, lowered));
            return Read(temporary);
        }

        /// <summary><c>new double[n]</c>, <c>new double[n, m]</c>, <c>new[] { a, b }</c>, <c>[a, b]</c>: a fresh array, then its initial elements.</summary>
        private IrExpression LowerArrayCreation(IOperation creation, IrType type, IReadOnlyList<IOperation> lengths, IReadOnlyList<IOperation>? elements)
        {
            bool jaggedWithoutRows = type.Layout == ArrayLayout.Jagged && lengths.Count == 1 && elements is null;
            if (type.Kind != IrTypeKind.Array || type.Layout is not (ArrayLayout.Vector or ArrayLayout.Matrix) && !jaggedWithoutRows)
            {
                return Unsupported(creation, "creating an array of type '" + type + "' (vectors and matrices of scalars, and jagged arrays as new T[n][] with rows assigned one by one, are supported)");
            }
            var dimensions = lengths.Select(LowerExpression).ToImmutableArray();
            if (dimensions.Length == 0 && elements is not null)
            {
                dimensions = ImmutableArray.Create<IrExpression>(IrConstant.Of(elements.Count));
            }
            IrVariable array = _variables.Temporary(type);
            Add(new IrAssign(array, new IrNewArray(type, dimensions)));
            if (elements is not null)
            {
                if (type.Layout != ArrayLayout.Vector)
                {
                    return Unsupported(creation, "a matrix initializer");
                }
                for (int i = 0; i < elements.Count; i++)
                {
                    Store(new Place(null, array, ImmutableArray.Create<IrExpression>(IrConstant.Of(i)), type.Element!), LowerExpression(elements[i]));
                }
            }
            _freshTemporaries.Add(array);
            return Read(array);
        }
    }
}
