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
    /// Deconstruction into scalar and struct assignments: <c>var (a, b) = (x * y, x + y);</c>, <c>(a, b) = (b, a);</c>,
    /// <c>(v[i], v[j]) = (v[j], v[i]);</c>, <c>var (s, p) = pair;</c> of a tuple value, <c>var (x, y) = point;</c> of a positional
    /// record struct, <c>(p, q) = (q, p)</c> of struct locals. As in C#: the targets' indices are evaluated first, then every
    /// value, left to right, and only then are the targets assigned, so a swap reads both before it writes.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        /// <summary>One value of a deconstruction: an operation still to lower, or a leaf or part of a struct value already lowered.</summary>
        private sealed record DeconstructedValue(IOperation? Operation, IrExpression? Leaf, StructValue? Part);

        private void LowerDeconstruction(IDeconstructionAssignmentOperation deconstruction)
        {
            var targets = new List<IOperation>();
            var values = new List<DeconstructedValue>();
            if (!Flatten(deconstruction.Target, deconstruction.Value, targets, values))
            {
                Unsupported(deconstruction, "the deconstruction '" + Describe(deconstruction)
                    + "' (a tuple literal, a tuple value or a positional record struct deconstructs into locals, parameters or array elements: var (a, b) = (x, y); another Deconstruct method is not supported)");
                foreach (ILocalReferenceOperation declared in deconstruction.Target.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Where(l => l.IsDeclaration))
                {
                    LowerDeconstructionTarget(declared); // declared all the same: their uses are not errors of their own
                }
                return;
            }

            // Targets first (their array and indices), then the values, then the stores.
            var places = new List<object?>();
            foreach (IOperation target in targets)
            {
                places.Add(target is IDiscardOperation ? null : LowerDeconstructionTarget(target));
            }
            var lowered = new List<object>();
            for (int i = 0; i < values.Count; i++)
            {
                DeconstructedValue value = values[i];
                if (value.Operation is not { } operation)
                {
                    lowered.Add((object?)value.Leaf ?? value.Part!);
                    continue;
                }
                IOperation[] later = values.Skip(i + 1).Select(v => v.Operation).OfType<IOperation>().ToArray();
                lowered.Add(places[i] is StructVariable structTarget
                    ? LowerStruct(operation, structTarget.Shape)
                    : LowerOperand(operation, later));
            }
            var assigned = new HashSet<IrVariable>(places.SelectMany(p => p switch
            {
                Place { Variable: { } v } => new[] { v },
                StructVariable s => s.Leaves.ToArray(),
                _ => System.Array.Empty<IrVariable>(),
            }));
            // A value that is a variable this deconstruction assigns is read before any store: (a, b) = (b, a).
            IrExpression Keep(IrExpression v) => v is IrVariableReference { Variable: var read } && assigned.Contains(read) ? Copy(v) : v;
            List<object> snapshots = lowered.Select(v => v switch
            {
                IrExpression scalar => (object)Keep(scalar),
                StructValue part => part with { Leaves = part.Leaves.Select(Keep).ToImmutableArray() },
                _ => v,
            }).ToList();
            SetOriginIfNone(deconstruction);
            for (int i = 0; i < places.Count; i++)
            {
                switch (places[i], snapshots[i])
                {
                    case (Place place, IrExpression value):
                        Store(place, value);
                        break;
                    case (StructVariable structPlace, StructValue value):
                        StoreStruct(structPlace, value);
                        break;
                    case (Place place, StructValue value):
                        Store(place, RebuildStruct(value)); // a struct of reals into a variable of another type: as data
                        break;
                }
            }
        }

        /// <summary>
        /// Pairs each target of a (nested) tuple with its value; false unless the value has the target's shape: a tuple
        /// literal, or a tuple value or positional record struct (lowered here, then taken apart).
        /// </summary>
        private bool Flatten(IOperation target, IOperation value, List<IOperation> targets, List<DeconstructedValue> values)
        {
            while (target is IDeclarationExpressionOperation declaration) target = declaration.Expression;
            while (value is IConversionOperation { IsImplicit: true, Operand: ITupleOperation } conversion) value = conversion.Operand;
            if (target is ITupleOperation targetTuple)
            {
                if (value is ITupleOperation valueTuple)
                {
                    if (valueTuple.Elements.Length != targetTuple.Elements.Length) return false;
                    for (int i = 0; i < targetTuple.Elements.Length; i++)
                    {
                        if (!Flatten(targetTuple.Elements[i], valueTuple.Elements[i], targets, values)) return false;
                    }
                    return true;
                }
                if (ShapeOf(value.Type) is { } shape && IsDeconstructible(value.Type!, shape))
                {
                    return FlattenLowered(targetTuple, LowerStruct(value, shape), targets, values);
                }
                return false;
            }
            targets.Add(target);
            values.Add(new DeconstructedValue(value, null, null));
            return true;
        }

        /// <summary>A tuple, or a positional record struct (its Deconstruct gives its members in order).</summary>
        private static bool IsDeconstructible(ITypeSymbol type, StructShape shape) =>
            type.IsTupleType || type.IsRecord && shape.Construction == StructConstruction.Constructor;

        private bool FlattenLowered(ITupleOperation target, StructValue value, List<IOperation> targets, List<DeconstructedValue> values)
        {
            if (target.Elements.Length != value.Shape.Members.Length) return false;
            for (int i = 0; i < target.Elements.Length; i++)
            {
                IOperation element = target.Elements[i];
                while (element is IDeclarationExpressionOperation declaration) element = declaration.Expression;
                StructMember member = value.Shape.Members[i];
                int first = value.Shape.FirstLeafOf(i);
                if (member.Nested is { } nested)
                {
                    var part = new StructValue(nested, value.Leaves.Skip(first).Take(member.LeafCount).ToImmutableArray());
                    if (element is ITupleOperation inner)
                    {
                        if (!FlattenLowered(inner, part, targets, values)) return false;
                        continue;
                    }
                    targets.Add(element);
                    values.Add(new DeconstructedValue(null, null, part));
                    continue;
                }
                if (element is ITupleOperation) return false;
                targets.Add(element);
                values.Add(new DeconstructedValue(null, value.Leaves[first], null));
            }
            return true;
        }

        /// <summary>One target: a new local (<c>var (a, b)</c>, <c>(double a, var b)</c>) or an existing place; a struct variable for a struct of reals.</summary>
        private object? LowerDeconstructionTarget(IOperation target)
        {
            while (target is IDeclarationExpressionOperation declaration) target = declaration.Expression;
            if (target is ILocalReferenceOperation { IsDeclaration: true } declared)
            {
                ILocalSymbol local = declared.Local;
                if (ShapeOf(local.Type) is { } shape)
                {
                    StructVariable structLocal = NewStructLocal(MethodParser.EscapeIdentifier(local.Name), shape);
                    _structVariables[local] = structLocal;
                    return structLocal;
                }
                IrVariable variable = _variables.Create(MethodParser.EscapeIdentifier(local.Name), TypeOf(local.Type), IrVariableRole.Local);
                _symbolVariables[local] = variable;
                return new Place(variable, null, ImmutableArray<IrExpression>.Empty, variable.Type);
            }
            if (ShapeOf(target.Type) is not null)
            {
                return StructPlace(target);
            }
            return LowerPlace(target);
        }
    }
}
