using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Expressions: operators, conversions and the dispatch from an <see cref="IOperation"/> to the lowering of its construct.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        /// <summary>Lowers an expression evaluated for its side effects only.</summary>
        private void LowerEffect(IOperation operation)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation assignment:
                    LowerAssignment(assignment, valueNeeded: false);
                    break;
                case ICompoundAssignmentOperation compound:
                    LowerCompoundAssignment(compound, valueNeeded: false);
                    break;
                case IIncrementOrDecrementOperation increment:
                    LowerIncrement(increment, valueNeeded: false);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    LowerDeconstruction(deconstruction);
                    break;
                case IInvocationOperation invocation:
                    LowerInvocation(invocation, resultUsed: false);
                    break;
                default:
                    LowerExpression(operation);
                    break;
            }
        }

        /// <summary>Lowers an expression to an operand: a constant or a variable holding its value.</summary>
        private IrExpression LowerExpression(IOperation operation)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (operation.ConstantValue.HasValue && operation.Type is { TypeKind: TypeKind.Enum } enumType && operation.ConstantValue.Value is { } enumValue)
            {
                // An enum constant keeps its type (Math.Round(x, 2, MidpointRounding.AwayFromZero) must not become Round(x, 2, 1)).
                string number = Convert.ToString(enumValue, System.Globalization.CultureInfo.InvariantCulture)!;
                return Emit(new IrOpaque("((" + MethodParser.TypeName(enumType) + ")(" + number + "))", ImmutableArray<IrExpression>.Empty, TypeOf(enumType)));
            }
            if (operation.ConstantValue.HasValue && operation.Type is not null)
            {
                return new IrConstant(operation.ConstantValue.Value, TypeOf(operation.Type));
            }

            if (ShapeOf(operation.Type) is { } structShape && operation is not IInvocationOperation { TargetMethod.ReturnsVoid: true })
            {
                return RebuildStruct(LowerStruct(operation, structShape)); // a struct used whole (MethodLowering.Structs.cs)
            }
            if (operation is IMemberReferenceOperation or IInvocationOperation && TryLowerStructScalarMember(operation) is { } structMember)
            {
                return structMember; // p.X, v.Length(), Vector3.Dot(a, b), p.Norm() of a user struct
            }
            return LowerExpressionCore(operation);
        }

        /// <summary>Lowers an expression that is neither a constant nor a struct of reals (or such a struct as data: <see cref="LowerStructAsData"/>).</summary>
        private IrExpression LowerExpressionCore(IOperation operation)
        {
            switch (operation)
            {
                case var view when IsViewSyntax(view) && TryLowerView(view) is { } lowered:
                    return ViewValue(lowered); // a slice or row passed whole (MethodLowering.Views.cs)
                case IArrayElementReferenceOperation range when IsArrayRange(range):
                    return LowerArrayRange(range, null);
                case ILocalReferenceOperation or IParameterReferenceOperation when StructArrayOf(operation) is { } structArray:
                    return UnsupportedWholeStructArray(operation, "'" + structArray.Name + "'");
                case ILocalReferenceOperation local:
                    if (_symbolVariables.TryGetValue(local.Local, out IrVariable? localVariable)) return Read(localVariable);
                    if (_spanViews.ContainsKey(local.Local))
                    {
                        return Unsupported(operation, "the span local '" + local.Local.Name + "' used as a value (a span local that views an array is supported as a TensorPrimitives argument, indexed, sliced and with .Length)");
                    }
                    return Unsupported(operation, "a local declared outside the method body");
                case IParameterReferenceOperation parameter:
                    if (_symbolVariables.TryGetValue(parameter.Parameter, out IrVariable? parameterVariable)) return Read(parameterVariable);
                    return Unsupported(operation, "a parameter of an enclosing method");
                case IConversionOperation { Operand.Syntax: CollectionExpressionSyntax, Type: { } collectionType } collection:
                    return LowerArrayCreation(collection, TypeOf(collectionType), Array.Empty<IOperation>(), collection.Operand.ChildOperations.ToList());
                case IConversionOperation conversion:
                    return LowerConversion(conversion);
                case IBinaryOperation binary:
                    return LowerBinary(binary);
                case IUnaryOperation unary:
                    return LowerUnary(unary);
                case IConditionalOperation conditional when conditional.Type is not null && conditional.WhenFalse is not null:
                    return LowerConditional(conditional);
                case ISimpleAssignmentOperation assignment:
                    return Copy(LowerAssignment(assignment, valueNeeded: true));
                case ICompoundAssignmentOperation compound:
                    return Copy(LowerCompoundAssignment(compound, valueNeeded: true));
                case IIncrementOrDecrementOperation increment:
                    return LowerIncrement(increment, valueNeeded: true)!;
                case IInvocationOperation invocation:
                    return LowerInvocation(invocation, resultUsed: true);
                case ISwitchExpressionOperation switchExpression when switchExpression.Type is not null:
                    return LowerSwitchExpression(switchExpression);
                case IInterpolatedStringOperation interpolated when interpolated.Type is not null:
                    return LowerInterpolatedString(interpolated);
                case IInterpolatedStringHandlerCreationOperation handler when handler.Type is not null:
                    return LowerInterpolatedStringHandler(handler);
                case IIsPatternOperation isPattern:
                    return TryLowerNullPattern(isPattern) ?? LowerPattern(LowerPatternInput(isPattern.Value), isPattern.Pattern);
                case ICoalesceOperation { WhenNull: IThrowOperation or IConversionOperation { Operand: IThrowOperation } } coalesce:
                    return LowerCoalesceThrow(coalesce);
                case IThrowOperation thrown:
                    return Unsupported(thrown, "a throw expression here (a throw is supported as a statement, as an arm of ?: and as an arm of a switch expression)");
                case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } or IImplicitIndexerReferenceOperation when ElementAccess(operation) is { } element:
                    return Emit(element);
                case IArrayCreationOperation creation when creation.Type is not null:
                    return LowerArrayCreation(creation, TypeOf(creation.Type), creation.DimensionSizes, creation.Initializer?.ElementValues);
                case IPropertyReferenceOperation property when SimdConstant(property) is { } vectorConstant:
                    return vectorConstant; // Vector<double>.Zero, .One (MethodLowering.Simd.cs)
                case IFieldReferenceOperation field:
                    return LowerMemberRead(field, field.Field, field.Instance, ImmutableArray<IArgumentOperation>.Empty);
                case IPropertyReferenceOperation { Instance: null } constant when GenericMath.IsInterfaceMember(constant.Property) && TypeMapper.IsReal(constant.Type):
                    return LowerGenericConstant(constant); // T.One, T.Pi (MethodLowering.GenericMath.cs)
                case IPropertyReferenceOperation property:
                    return LowerMemberRead(property, property.Property, property.Instance, property.Arguments);
                case IInstanceReferenceOperation instance when instance.Type is not null:
                    return new IrOpaque("this", ImmutableArray<IrExpression>.Empty, TypeOf(instance.Type));
                case IDefaultValueOperation defaultValue when defaultValue.Type is not null:
                    return new IrConstant(null, TypeOf(defaultValue.Type));
                case IParenthesizedOperation parenthesized:
                    return LowerExpression(parenthesized.Operand);
                case IObjectCreationOperation { Constructor: not null } creation when IsSimdVectorType(creation.Type) || TypeMapper.SimdFamilyOf(creation.Type) is not null:
                    return LowerSimdCreation(creation); // MethodLowering.Simd.cs
                default:
                    return Unsupported(operation, DescribeUnsupported(operation));
            }
        }

        private IrExpression LowerConversion(IConversionOperation conversion)
        {
            IrExpression operand = LowerExpression(conversion.Operand);
            IrType target = TypeOf(conversion.Type!);
            if (conversion.Conversion.IsIdentity || operand.Type.CSharpName == target.CSharpName)
            {
                return operand;
            }
            if (conversion.OperatorMethod is null && conversion.Conversion.IsNumeric && IsNumeric(target) && IsNumeric(operand.Type))
            {
                if (operand.Type.IsDifferentiable && target.Kind == IrTypeKind.Integer)
                {
                    AddPending(conversion, DiagnosticDescriptors.ZeroDerivativeOperation, operand, "The conversion '" + Describe(conversion) + "' to an integer");
                }
                return Emit(new IrConvert(operand, target));
            }
            if (operand.Type.CarriesDerivative)
            {
                // Boxing, a reference conversion of an array or a user-defined conversion of a possibly active value:
                // the engine cannot follow it. Passed straight to a call, the call says what is wrong (ADG0102, LINQ,
                // a delegate) about the value converted; anywhere else the conversion itself is reported.
                IrExpression converted = Emit(new IrOpaque("((" + target.CSharpName + "){0})", ImmutableArray.Create(operand), target));
                if (converted is IrVariableReference { Variable: var convertedVariable } && operand is IrVariableReference { Variable: var source })
                {
                    _conversionSources[convertedVariable] = source;
                }
                bool callReports = conversion.Parent is IArgumentOperation { Parent: IInvocationOperation call }
                    && CallTargets.TryCreate(call.TargetMethod) is null;
                callReports |= operand.Type.IsDifferentiable && IsExceptionArgument(conversion); // a boxed copy in the exception a guard throws
                if (!callReports)
                {
                    AddPending(conversion, DiagnosticDescriptors.UnsupportedConstruct, operand,
                        "the conversion of '" + Describe(conversion.Operand) + "' to '" + conversion.Type!.ToDisplayString() + "'", isError: true);
                }
                return converted;
            }
            return Emit(new IrOpaque("((" + target.CSharpName + "){0})", ImmutableArray.Create(operand), target));
        }

        /// <summary>
        /// <c>c ? a : b</c>: a temporary assigned in each branch. A method of its own: the lambdas capture
        /// <paramref name="conditional"/>, and a captured pattern variable of <see cref="LowerExpressionCore"/>'s switch made
        /// every expression lowered allocate the closure.
        /// </summary>
        private IrExpression LowerConditional(IConditionalOperation conditional)
        {
            IrExpression condition = LowerCondition(conditional.Condition);
            IrVariable value = _variables.Temporary(TypeOf(conditional.Type!));
            IrBlock whenTrue = Nested(() => AssignBranch(value, conditional.WhenTrue));
            IrBlock whenFalse = Nested(() => AssignBranch(value, conditional.WhenFalse!));
            Add(new IrIf(condition, whenTrue, whenFalse));
            return Read(value);
        }

        private IrExpression LowerBinary(IBinaryOperation binary)
        {
            if (TryLowerNullComparison(binary) is { } nullTest) return nullTest;
            IrType resultType = TypeOf(binary.Type!);
            if (binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr && IsBuiltInOperator(binary.OperatorMethod))
            {
                // a && b: value = a; if (a) value = b.   a || b: value = a; if (!a) value = b.
                IrExpression left = LowerExpression(binary.LeftOperand);
                IrVariable value = _variables.Temporary(resultType);
                Add(new IrAssign(value, left));
                IrBlock evaluateRight = Nested(() => AssignTo(value, LowerExpression(binary.RightOperand)));
                Add(binary.OperatorKind == BinaryOperatorKind.ConditionalAnd
                    ? new IrIf(left, evaluateRight, new IrBlock())
                    : new IrIf(left, new IrBlock(), evaluateRight));
                return Read(value);
            }

            IrExpression l = LowerOperand(binary.LeftOperand, binary.RightOperand);
            IrExpression r = LowerExpression(binary.RightOperand);
            if (IsSimdOperator(binary.OperatorMethod) && resultType.IsSimdVector
                && binary.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide)
            {
                return Emit(new IrBinary(BinaryOperators[binary.OperatorKind], l, r, resultType)); // lane-wise (MethodLowering.Simd.cs)
            }
            if (IsSimdOperator(binary.OperatorMethod))
            {
                // == and != (all lanes), bitwise operators, shifts: data, or ADG0403 on a differentiable vector.
                ReportSimdVectorOperands(binary, new[] { l, r }, "the operator '" + OperatorSymbol(binary) + "' on vectors is not differentiated; " + SimdWayOut);
                return Emit(new IrOpaque("({0} " + OperatorSymbol(binary) + " {1})", ImmutableArray.Create(l, r), resultType));
            }
            if (!IsBuiltInOperator(binary.OperatorMethod) || !BinaryOperators.TryGetValue(binary.OperatorKind, out IrBinaryOperator op))
            {
                if (l.Type.IsDifferentiable || r.Type.IsDifferentiable)
                {
                    return Unsupported(binary, "the operator '" + binary.OperatorKind + "'");
                }
                string symbol = OperatorSymbol(binary);
                return Emit(new IrOpaque("({0} " + symbol + " {1})", ImmutableArray.Create(l, r), resultType));
            }
            // What the rule table says the analyzers should report about this operator's operands.
            OperatorRule rule = RuleTable.Of(op);
            // Plain loops, not Where(lambda): a lambda over the operands made every binary operator lowered allocate its closure.
            foreach (var (index, name) in rule.ZeroDerivativeOperands)
            {
                IrExpression operand = index == 0 ? l : r;
                if (!operand.Type.IsDifferentiable) continue;
                AddPending(binary, DiagnosticDescriptors.ZeroDerivativeOperation, operand, "The " + rule.Noun + " '" + Describe(binary) + "' with respect to its " + name);
            }
            if (rule.NonSmooth is { } nonSmooth)
            {
                foreach (int index in rule.NonSmoothOperands)
                {
                    IrExpression operand = index == 0 ? l : r;
                    if (!operand.Type.IsDifferentiable) continue;
                    AddNonSmoothPending(binary, operand, "The " + rule.Noun + " '" + Describe(binary) + "'", nonSmooth.Where, nonSmooth.Subgradient);
                }
            }
            return Emit(new IrBinary(op, l, r, resultType));
        }

        private IrExpression LowerUnary(IUnaryOperation unary)
        {
            IrExpression operand = LowerExpression(unary.Operand);
            IrType type = TypeOf(unary.Type!);
            if (IsSimdOperator(unary.OperatorMethod) && type.IsSimdVector && unary.OperatorKind is UnaryOperatorKind.Minus or UnaryOperatorKind.Plus)
            {
                return unary.OperatorKind == UnaryOperatorKind.Plus ? operand : Emit(new IrUnary(IrUnaryOperator.Negate, operand, type));
            }
            if (IsSimdOperator(unary.OperatorMethod))
            {
                ReportSimdVectorOperands(unary, new[] { operand });
            }
            if (!IsBuiltInOperator(unary.OperatorMethod))
            {
                return Emit(new IrOpaque("(" + unary.Syntax.ToString().TrimStart().Substring(0, 1) + "{0})", ImmutableArray.Create(operand), type));
            }
            switch (unary.OperatorKind)
            {
                case UnaryOperatorKind.Plus:
                    return operand;
                case UnaryOperatorKind.Minus:
                    return Emit(new IrUnary(IrUnaryOperator.Negate, operand, type));
                case UnaryOperatorKind.Not:
                    return Emit(new IrUnary(IrUnaryOperator.Not, operand, type));
                case UnaryOperatorKind.BitwiseNegation:
                    return Emit(new IrUnary(IrUnaryOperator.BitwiseComplement, operand, type));
                default:
                    return Unsupported(unary, "the operator '" + unary.OperatorKind + "'");
            }
        }

        private static readonly Dictionary<BinaryOperatorKind, IrBinaryOperator> BinaryOperators = new()
        {
            [BinaryOperatorKind.Add] = IrBinaryOperator.Add,
            [BinaryOperatorKind.Subtract] = IrBinaryOperator.Subtract,
            [BinaryOperatorKind.Multiply] = IrBinaryOperator.Multiply,
            [BinaryOperatorKind.Divide] = IrBinaryOperator.Divide,
            [BinaryOperatorKind.Remainder] = IrBinaryOperator.Remainder,
            [BinaryOperatorKind.LessThan] = IrBinaryOperator.LessThan,
            [BinaryOperatorKind.LessThanOrEqual] = IrBinaryOperator.LessThanOrEqual,
            [BinaryOperatorKind.GreaterThan] = IrBinaryOperator.GreaterThan,
            [BinaryOperatorKind.GreaterThanOrEqual] = IrBinaryOperator.GreaterThanOrEqual,
            [BinaryOperatorKind.Equals] = IrBinaryOperator.Equals,
            [BinaryOperatorKind.NotEquals] = IrBinaryOperator.NotEquals,
            [BinaryOperatorKind.And] = IrBinaryOperator.And,
            [BinaryOperatorKind.Or] = IrBinaryOperator.Or,
            [BinaryOperatorKind.ExclusiveOr] = IrBinaryOperator.ExclusiveOr,
            [BinaryOperatorKind.LeftShift] = IrBinaryOperator.LeftShift,
            [BinaryOperatorKind.RightShift] = IrBinaryOperator.RightShift,
        };
    }
}
