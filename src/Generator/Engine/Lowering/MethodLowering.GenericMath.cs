using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Generic math (api.md "Generic math"): in <c>static T F&lt;T&gt;(T x) where T : IFloatingPointIeee754&lt;T&gt;</c>,
    /// <c>T</c> is a real like double (<see cref="IrTypeKind.GenericReal"/>). Its operators are the interfaces' static
    /// abstract operators, lowered like the built-in ones; <c>T.Sin</c>… are found in the rule table by
    /// <see cref="MathMembers"/>; this file lowers its constants and conversions.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        /// <summary>
        /// A built-in operator, or one of generic math's on a generic real (<c>IAdditionOperators&lt;T, T, T&gt;.op_Addition</c>
        /// is what <c>x + y</c> binds to for a type parameter): both are lowered to the IR's own operators. A user-defined
        /// operator is not.
        /// </summary>
        private static bool IsBuiltInOperator(IMethodSymbol? operatorMethod) =>
            operatorMethod is null
            // (Reals, not only T: in the inlined body of a member of Vec<double>, T reads as double: Parsing/TypeSubstitution.cs.)
            || GenericMath.IsInterfaceMember(operatorMethod) && operatorMethod.Parameters.All(p => TypeMapper.IsReal(p.Type));

        /// <summary>
        /// <c>T.Zero</c>, <c>T.One</c>, <c>T.NegativeOne</c> become constants (the engine folds and simplifies with them);
        /// any other constant of generic math (<c>T.Pi</c>, <c>T.E</c>, <c>T.Epsilon</c>) is a passive value read as written.
        /// </summary>
        private IrExpression LowerGenericConstant(IPropertyReferenceOperation property)
        {
            IrType type = TypeOf(property.Type!);
            if (GenericMath.IdentityConstant(property.Property) is { } value)
            {
                return IrConstant.Real(value, type);
            }
            return Emit(new IrOpaque(type.CSharpName + "." + MethodParser.EscapeIdentifier(property.Property.Name), ImmutableArray<IrExpression>.Empty, type));
        }

        /// <summary>
        /// <c>T.CreateChecked(x)</c>, <c>T.CreateTruncating(x)</c>, <c>T.CreateSaturating(x)</c> (and <c>double.CreateChecked(t)</c>
        /// out of T): a numeric constant becomes a constant of the type, an integer or a real a conversion (differentiated like a cast between double and
        /// float); anything else (a decimal, a user type) is passive data.
        /// </summary>
        private IrExpression LowerGenericCreate(IInvocationOperation invocation, IrExpression argument)
        {
            IrType type = TypeOf(invocation.TargetMethod.ReturnType);
            if (type.IsDifferentiable && argument is IrConstant { Value: IConvertible constant and not bool and not string and not char })
            {
                return IrConstant.Real(constant.ToDouble(CultureInfo.InvariantCulture), type);
            }
            if (type.Kind == IrTypeKind.Integer && argument.Type.Kind == IrTypeKind.GenericReal)
            {
                // int.CreateTruncating(t): generic math's (int)x, with the same warning (the gradient does not flow through it).
                AddPending(invocation, DiagnosticDescriptors.ZeroDerivativeOperation, argument, "The conversion '" + Describe(invocation) + "' to an integer");
                return Emit(new IrConvert(argument, type));
            }
            if (argument.Type.Kind is IrTypeKind.Integer or IrTypeKind.Double or IrTypeKind.Float or IrTypeKind.GenericReal)
            {
                return Emit(new IrConvert(argument, type));
            }
            string text = type.CSharpName + "." + invocation.TargetMethod.Name + "({0})";
            return Emit(new IrOpaque(text, ImmutableArray.Create(argument), type));
        }
    }
}
