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
    /// Deconstruction of tuple literals into scalar assignments: <c>var (a, b) = (x * y, x + y);</c>,
    /// <c>(a, b) = (b, a);</c>, <c>(v[i], v[j]) = (v[j], v[i]);</c>. As in C#: the targets' indices are evaluated first,
    /// then every value, left to right, and only then are the targets assigned, so a swap reads both before it writes.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        private void LowerDeconstruction(IDeconstructionAssignmentOperation deconstruction)
        {
            var targets = new List<IOperation>();
            var values = new List<IOperation>();
            if (!Flatten(deconstruction.Target, deconstruction.Value, targets, values))
            {
                Unsupported(deconstruction, "the deconstruction '" + Describe(deconstruction)
                    + "' (a tuple literal deconstructs into locals, parameters or array elements: var (a, b) = (x, y); a tuple value or a Deconstruct method is not supported)");
                foreach (ILocalReferenceOperation declared in deconstruction.Target.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Where(l => l.IsDeclaration))
                {
                    LowerDeconstructionTarget(declared); // declared all the same: their uses are not errors of their own
                }
                return;
            }

            // Targets first (their array and indices), then the values, then the stores.
            var places = new List<Place?>();
            foreach (IOperation target in targets)
            {
                places.Add(target is IDiscardOperation ? null : LowerDeconstructionTarget(target));
            }
            ImmutableArray<IrExpression> lowered = LowerOperands(values, null);
            var assigned = new HashSet<IrVariable>(places.Select(p => p?.Variable).OfType<IrVariable>());
            // A value that is a variable this deconstruction assigns is read before any store: (a, b) = (b, a).
            List<IrExpression> snapshots = lowered.Select(v => v is IrVariableReference { Variable: var read } && assigned.Contains(read) ? Copy(v) : v).ToList();
            SetOriginIfNone(deconstruction);
            for (int i = 0; i < places.Count; i++)
            {
                if (places[i] is { } place) Store(place, snapshots[i]);
            }
        }

        /// <summary>Pairs each target of a (nested) tuple with its value; false unless both sides are tuple literals of one shape.</summary>
        private static bool Flatten(IOperation target, IOperation value, List<IOperation> targets, List<IOperation> values)
        {
            while (target is IDeclarationExpressionOperation declaration) target = declaration.Expression;
            while (value is IConversionOperation { IsImplicit: true, Operand: ITupleOperation } conversion) value = conversion.Operand;
            if (target is ITupleOperation targetTuple)
            {
                if (value is not ITupleOperation valueTuple || valueTuple.Elements.Length != targetTuple.Elements.Length) return false;
                for (int i = 0; i < targetTuple.Elements.Length; i++)
                {
                    if (!Flatten(targetTuple.Elements[i], valueTuple.Elements[i], targets, values)) return false;
                }
                return true;
            }
            targets.Add(target);
            values.Add(value);
            return true;
        }

        /// <summary>One target: a new local (<c>var (a, b)</c>, <c>(double a, var b)</c>) or an existing place.</summary>
        private Place? LowerDeconstructionTarget(IOperation target)
        {
            while (target is IDeclarationExpressionOperation declaration) target = declaration.Expression;
            if (target is ILocalReferenceOperation { IsDeclaration: true } declared)
            {
                ILocalSymbol local = declared.Local;
                IrVariable variable = _variables.Create(MethodParser.EscapeIdentifier(local.Name), TypeOf(local.Type), IrVariableRole.Local);
                _symbolVariables[local] = variable;
                return new Place(variable, null, ImmutableArray<IrExpression>.Empty, variable.Type);
            }
            return LowerPlace(target);
        }
    }
}
