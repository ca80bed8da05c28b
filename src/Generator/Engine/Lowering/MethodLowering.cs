using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
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
    /// The Lowering stage: turns a method body's <see cref="IOperation"/> tree into structured three-address IR.
    /// </summary>
    /// <remarks>
    /// Normalised here, once: compound assignment, <c>++</c>/<c>--</c>, <c>?:</c>, short-circuit <c>&amp;&amp;</c>/<c>||</c>,
    /// implicit conversions and constants (Roslyn folds them). <c>break</c>, <c>continue</c> and <c>return</c> become
    /// assignments to one control variable (<see cref="JumpState"/>) plus guards, so the IR has only ifs and loops with
    /// one entry and one exit, and the reverse of every construct is structural. The common
    /// <c>if (…) return …;</c> needs no guard: the statements after it become the else branch.
    /// </remarks>
    internal sealed class MethodLowering
    {
        /// <summary>Values of the control variable: why the statements that follow are being skipped.</summary>
        private static class JumpState
        {
            public const int None = 0;
            public const int Continue = 1;
            public const int Break = 2;
            public const int Return = 3;
        }

        private readonly IMethodSymbol _method;
        private readonly CancellationToken _cancellationToken;
        private readonly IrVariableFactory _variables = new();
        private readonly Dictionary<ISymbol, IrVariable> _symbolVariables = new(SymbolEqualityComparer.Default);
        private readonly List<EngineDiagnostic> _diagnostics = new();
        private readonly List<PendingDiagnostic> _pending = new();
        private IrVariable? _jump;
        private IrBlock _current = new();
        private string? _origin;

        private MethodLowering(IMethodSymbol method, CancellationToken cancellationToken)
        {
            _method = method;
            _cancellationToken = cancellationToken;
        }

        /// <summary>Lowers <paramref name="body"/>; the result says what could not be lowered.</summary>
        public static LoweringResult Lower(IMethodSymbol method, IBlockOperation body, CancellationToken cancellationToken)
        {
            var lowering = new MethodLowering(method, cancellationToken);
            return lowering.Run(body);
        }

        private LoweringResult Run(IBlockOperation body)
        {
            var parameters = ImmutableArray.CreateBuilder<IrVariable>();
            foreach (IParameterSymbol parameter in _method.Parameters)
            {
                IrVariable variable = _variables.Create(MethodParser.EscapeIdentifier(parameter.Name), TypeOf(parameter.Type), IrVariableRole.Parameter,
                    MethodParser.IsDifferentiableParameter(parameter));
                _symbolVariables[parameter] = variable;
                parameters.Add(variable);
            }
            IrType returnType = TypeOf(_method.ReturnType);
            IrVariable result = _variables.Create("_result", returnType, IrVariableRole.Result);
            _resultVariable = result;

            IrBlock root = _current;
            LowerStatementList(body.Operations);

            RemoveUnreadControlAssignments(root);
            var function = new IrFunction(_method.Name, returnType, parameters.ToImmutable(), _variables.Variables, result, root);
            return new LoweringResult(function, _diagnostics, _pending);
        }

        private IrVariable _resultVariable = null!;

        // ---------------------------------------------------------------- statements

        private void LowerStatementList(IReadOnlyList<IOperation> statements, int start = 0)
        {
            for (int i = start; i < statements.Count; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                IOperation statement = statements[i];
                bool hasRest = i + 1 < statements.Count;

                // if (c) { …; return; } rest  →  if (c) { … } else { rest }: no guard, readable output.
                if (hasRest && statement is IConditionalOperation { Type: null } conditional)
                {
                    bool thenExits = ControlFlow.DefinitelyJumps(conditional.WhenTrue);
                    bool elseExits = conditional.WhenFalse is not null && ControlFlow.DefinitelyJumps(conditional.WhenFalse);
                    if (thenExits != elseExits)
                    {
                        IOperation? continuing = thenExits ? conditional.WhenFalse : conditional.WhenTrue;
                        if (continuing is null || !ControlFlow.MayJump(continuing))
                        {
                            LowerIfWithRest(conditional, thenExits, statements, i + 1);
                            return;
                        }
                    }
                }

                LowerStatement(statement);
                if (ControlFlow.DefinitelyJumps(statement))
                {
                    return; // the rest is unreachable
                }
                if (hasRest && ControlFlow.MayJump(statement))
                {
                    // The statements after one that may break, continue or return run only if it did not.
                    IrExpression notJumping = Emit(new IrBinary(IrBinaryOperator.Equals, Read(Jump()), IrConstant.Of(JumpState.None), IrType.Bool));
                    IrBlock rest = Nested(() => LowerStatementList(statements, i + 1));
                    Add(new IrIf(notJumping, rest, new IrBlock()));
                    return;
                }
            }
        }

        private void LowerIfWithRest(IConditionalOperation conditional, bool thenExits, IReadOnlyList<IOperation> statements, int restStart)
        {
            SetOrigin(conditional);
            IrExpression condition = LowerExpression(conditional.Condition);
            IrBlock exiting = Nested(() => LowerEmbedded(thenExits ? conditional.WhenTrue : conditional.WhenFalse!));
            IrBlock continuing = Nested(() =>
            {
                IOperation? branch = thenExits ? conditional.WhenFalse : conditional.WhenTrue;
                if (branch is not null) LowerEmbedded(branch);
                LowerStatementList(statements, restStart);
            });
            SetOrigin(conditional);
            Add(thenExits ? new IrIf(condition, exiting, continuing) : new IrIf(condition, continuing, exiting));
        }

        /// <summary>Lowers the statement of an if arm or loop body (a block or a single statement).</summary>
        private void LowerEmbedded(IOperation statement)
        {
            if (statement is IBlockOperation block)
            {
                LowerStatementList(block.Operations);
            }
            else
            {
                LowerStatementList(new[] { statement });
            }
        }

        private void LowerStatement(IOperation statement)
        {
            SetOrigin(statement);
            switch (statement)
            {
                case IBlockOperation block:
                    LowerStatementList(block.Operations);
                    break;
                case IVariableDeclarationGroupOperation group:
                    foreach (IVariableDeclarationOperation declaration in group.Declarations)
                    {
                        foreach (IVariableDeclaratorOperation declarator in declaration.Declarators)
                        {
                            LowerDeclarator(declarator, declaration.Initializer);
                        }
                    }
                    break;
                case IExpressionStatementOperation expressionStatement:
                    LowerEffect(expressionStatement.Operation);
                    break;
                case IConditionalOperation { Type: null } ifStatement:
                {
                    IrExpression condition = LowerExpression(ifStatement.Condition);
                    IrBlock then = Nested(() => LowerEmbedded(ifStatement.WhenTrue));
                    IrBlock otherwise = ifStatement.WhenFalse is null ? new IrBlock() : Nested(() => LowerEmbedded(ifStatement.WhenFalse));
                    SetOrigin(ifStatement);
                    Add(new IrIf(condition, then, otherwise));
                    break;
                }
                case IForLoopOperation forLoop:
                    foreach (IOperation before in forLoop.Before) LowerStatement(before);
                    LowerLoop(forLoop, forLoop.Condition, forLoop.Body, forLoop.AtLoopBottom, conditionAtTop: true);
                    break;
                case IWhileLoopOperation whileLoop when !whileLoop.ConditionIsUntil:
                    LowerLoop(whileLoop, whileLoop.Condition, whileLoop.Body, ImmutableArray<IOperation>.Empty, whileLoop.ConditionIsTop);
                    break;
                case IBranchOperation { BranchKind: BranchKind.Break }:
                    Add(new IrAssign(Jump(), IrConstant.Of(JumpState.Break)));
                    break;
                case IBranchOperation { BranchKind: BranchKind.Continue }:
                    Add(new IrAssign(Jump(), IrConstant.Of(JumpState.Continue)));
                    break;
                case IReturnOperation { ReturnedValue: { } returned }:
                    AssignTo(_resultVariable, LowerExpression(returned));
                    SetOrigin(statement);
                    Add(new IrAssign(Jump(), IrConstant.Of(JumpState.Return)));
                    break;
                case IEmptyOperation:
                    break;
                default:
                    Unsupported(statement, DescribeUnsupported(statement));
                    break;
            }
        }

        private void LowerDeclarator(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? sharedInitializer)
        {
            ILocalSymbol local = declarator.Symbol;
            if (local.IsConst)
            {
                return; // every use is folded to the constant
            }
            if (local.IsRef)
            {
                Unsupported(declarator, "a ref local");
                return;
            }
            IrVariable variable = _variables.Create(MethodParser.EscapeIdentifier(local.Name), TypeOf(local.Type), IrVariableRole.Local);
            _symbolVariables[local] = variable;
            IVariableInitializerOperation? initializer = declarator.Initializer ?? sharedInitializer;
            if (initializer is not null)
            {
                AssignTo(variable, LowerExpression(initializer.Value));
                if (_current.Statements.Count > 0 && _current.Statements[_current.Statements.Count - 1] is IrAssign { } declaration && declaration.Target == variable)
                {
                    _current.Statements[_current.Statements.Count - 1] = declaration with { IsDeclaration = true };
                }
            }
        }

        /// <summary>
        /// <c>for</c>, <c>while</c> and <c>do</c> as one <see cref="IrLoop"/>: the head computes whether to run the body;
        /// a break or return sets the control variable, which the head checks; a continue is reset at the body's end.
        /// </summary>
        private void LowerLoop(ILoopOperation loop, IOperation? condition, IOperation body, ImmutableArray<IOperation> step, bool conditionAtTop)
        {
            bool mayLeave = ControlFlow.MayBreakOrReturn(body);
            bool mayContinue = ControlFlow.MayContinue(body);
            bool mayBreak = ControlFlow.MayBreak(body);

            IrVariable? first = null;
            if (!conditionAtTop)
            {
                // do { … } while (c): the first test is skipped.
                first = _variables.Create("_first", IrType.Bool, IrVariableRole.Control);
                Add(new IrAssign(first, IrConstant.Of(true)));
            }

            IrVariable proceed = _variables.Create("_proceed", IrType.Bool, IrVariableRole.Control);
            IrBlock head = Nested(() =>
            {
                SetOrigin(loop);
                if (first is not null)
                {
                    // proceed = first || (still running && condition)
                    Add(new IrAssign(proceed, Read(first)));
                    IrBlock test = Nested(() => EmitLoopTest(proceed, condition, mayLeave));
                    Add(new IrIf(new IrUnary(IrUnaryOperator.Not, Read(proceed), IrType.Bool), test, new IrBlock()));
                    Add(new IrAssign(first, IrConstant.Of(false)));
                }
                else
                {
                    EmitLoopTest(proceed, condition, mayLeave);
                }
            });

            IrBlock loweredBody = Nested(() =>
            {
                LowerEmbedded(body);
                if (mayContinue)
                {
                    SetOrigin(loop);
                    IrExpression continued = Emit(new IrBinary(IrBinaryOperator.Equals, Read(Jump()), IrConstant.Of(JumpState.Continue), IrType.Bool));
                    Add(new IrIf(continued, new IrBlock(new[] { Stamp(new IrAssign(Jump(), IrConstant.Of(JumpState.None))) }), new IrBlock()));
                }
                if (!step.IsEmpty)
                {
                    if (mayLeave)
                    {
                        SetOrigin(loop);
                        IrExpression running = Emit(new IrBinary(IrBinaryOperator.Equals, Read(Jump()), IrConstant.Of(JumpState.None), IrType.Bool));
                        IrBlock steps = Nested(() => { foreach (IOperation s in step) LowerStatement(s); });
                        Add(new IrIf(running, steps, new IrBlock()));
                    }
                    else
                    {
                        foreach (IOperation s in step) LowerStatement(s);
                    }
                }
            });

            SetOrigin(loop);
            Add(new IrLoop(head, Read(proceed), loweredBody));
            if (mayBreak)
            {
                IrExpression broke = Emit(new IrBinary(IrBinaryOperator.Equals, Read(Jump()), IrConstant.Of(JumpState.Break), IrType.Bool));
                Add(new IrIf(broke, new IrBlock(new[] { Stamp(new IrAssign(Jump(), IrConstant.Of(JumpState.None))) }), new IrBlock()));
            }
        }

        private void EmitLoopTest(IrVariable proceed, IOperation? condition, bool checkJump)
        {
            if (checkJump)
            {
                Add(new IrAssign(proceed, new IrBinary(IrBinaryOperator.Equals, Read(Jump()), IrConstant.Of(JumpState.None), IrType.Bool)));
                if (condition is not null)
                {
                    IrBlock test = Nested(() => AssignTo(proceed, LowerExpression(condition)));
                    Add(new IrIf(Read(proceed), test, new IrBlock()));
                }
            }
            else
            {
                AssignTo(proceed, condition is null ? IrConstant.Of(true) : LowerExpression(condition));
            }
        }

        /// <summary>Lowers an expression evaluated for its side effects only.</summary>
        private void LowerEffect(IOperation operation)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation assignment:
                    LowerAssignment(assignment);
                    break;
                case ICompoundAssignmentOperation compound:
                    LowerCompoundAssignment(compound);
                    break;
                case IIncrementOrDecrementOperation increment:
                    LowerIncrement(increment, valueNeeded: false);
                    break;
                default:
                    LowerExpression(operation);
                    break;
            }
        }

        // ---------------------------------------------------------------- expressions

        /// <summary>Lowers an expression to an operand: a constant or a variable holding its value.</summary>
        private IrExpression LowerExpression(IOperation operation)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (operation.ConstantValue.HasValue && operation.Type is not null)
            {
                return new IrConstant(operation.ConstantValue.Value, TypeOf(operation.Type));
            }

            switch (operation)
            {
                case ILocalReferenceOperation local:
                    if (_symbolVariables.TryGetValue(local.Local, out IrVariable? localVariable)) return Read(localVariable);
                    return Unsupported(operation, "a local declared outside the method body");
                case IParameterReferenceOperation parameter:
                    if (_symbolVariables.TryGetValue(parameter.Parameter, out IrVariable? parameterVariable)) return Read(parameterVariable);
                    return Unsupported(operation, "a parameter of an enclosing method");
                case IConversionOperation conversion:
                    return LowerConversion(conversion);
                case IBinaryOperation binary:
                    return LowerBinary(binary);
                case IUnaryOperation unary:
                    return LowerUnary(unary);
                case IConditionalOperation conditional when conditional.Type is not null && conditional.WhenFalse is not null:
                {
                    IrExpression condition = LowerExpression(conditional.Condition);
                    IrVariable value = _variables.Temporary(TypeOf(conditional.Type));
                    IrBlock whenTrue = Nested(() => AssignTo(value, LowerExpression(conditional.WhenTrue)));
                    IrBlock whenFalse = Nested(() => AssignTo(value, LowerExpression(conditional.WhenFalse)));
                    Add(new IrIf(condition, whenTrue, whenFalse));
                    return Read(value);
                }
                case ISimpleAssignmentOperation assignment:
                    return Copy(LowerAssignment(assignment));
                case ICompoundAssignmentOperation compound:
                    return Copy(LowerCompoundAssignment(compound));
                case IIncrementOrDecrementOperation increment:
                    return LowerIncrement(increment, valueNeeded: true)!;
                case IInvocationOperation invocation:
                    return LowerInvocation(invocation);
                case IFieldReferenceOperation field:
                    return LowerMemberRead(field, field.Field, field.Instance, ImmutableArray<IArgumentOperation>.Empty);
                case IPropertyReferenceOperation property:
                    return LowerMemberRead(property, property.Property, property.Instance, property.Arguments);
                case IInstanceReferenceOperation instance when instance.Type is not null:
                    return new IrOpaque("this", ImmutableArray<IrExpression>.Empty, TypeOf(instance.Type));
                case IDefaultValueOperation defaultValue when defaultValue.Type is not null:
                    return new IrConstant(null, TypeOf(defaultValue.Type));
                case IParenthesizedOperation parenthesized:
                    return LowerExpression(parenthesized.Operand);
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
            if (operand.Type.IsDifferentiable)
            {
                // Boxing or a user-defined conversion of a possibly active value: the engine cannot follow it.
                AddPending(conversion, DiagnosticDescriptors.UnsupportedConstruct, operand, "the conversion '" + Describe(conversion) + "'", isError: true);
            }
            return Emit(new IrOpaque("((" + target.CSharpName + "){0})", ImmutableArray.Create(operand), target));
        }

        private IrExpression LowerBinary(IBinaryOperation binary)
        {
            IrType resultType = TypeOf(binary.Type!);
            if (binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr && binary.OperatorMethod is null)
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

            IrExpression l = LowerExpression(binary.LeftOperand);
            IrExpression r = LowerExpression(binary.RightOperand);
            if (binary.OperatorMethod is not null || !BinaryOperators.TryGetValue(binary.OperatorKind, out IrBinaryOperator op))
            {
                if (l.Type.IsDifferentiable || r.Type.IsDifferentiable)
                {
                    return Unsupported(binary, "the operator '" + binary.OperatorKind + "'");
                }
                string symbol = OperatorSymbol(binary);
                return Emit(new IrOpaque("({0} " + symbol + " {1})", ImmutableArray.Create(l, r), resultType));
            }
            if (op == IrBinaryOperator.Remainder && r.Type.IsDifferentiable)
            {
                AddPending(binary, DiagnosticDescriptors.ZeroDerivativeOperation, r, "The remainder '" + Describe(binary) + "' with respect to its divisor");
            }
            return Emit(new IrBinary(op, l, r, resultType));
        }

        private IrExpression LowerUnary(IUnaryOperation unary)
        {
            IrExpression operand = LowerExpression(unary.Operand);
            IrType type = TypeOf(unary.Type!);
            if (unary.OperatorMethod is not null)
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

        /// <summary>Lowers <c>target = value</c>; returns the variable assigned.</summary>
        private IrExpression LowerAssignment(ISimpleAssignmentOperation assignment)
        {
            IrVariable? target = AssignmentTarget(assignment.Target);
            IrExpression value = LowerExpression(assignment.Value);
            if (target is null) return value;
            SetOriginIfNone(assignment);
            AssignTo(target, value);
            return Read(target);
        }

        private IrExpression LowerCompoundAssignment(ICompoundAssignmentOperation compound)
        {
            IrVariable? target = AssignmentTarget(compound.Target);
            IrExpression value = LowerExpression(compound.Value);
            if (target is null) return value;
            if (compound.OperatorMethod is not null || !BinaryOperators.TryGetValue(compound.OperatorKind, out IrBinaryOperator op))
            {
                return Unsupported(compound, "the compound operator '" + compound.OperatorKind + "'");
            }
            // x op= v  is  x = (T)((U)x op v): the in-conversion widens x to the operator's type, the out-conversion narrows back.
            IrExpression current = Read(target);
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
            AssignTo(target, combined);
            return Read(target);
        }

        /// <summary>Lowers <c>++x</c>, <c>x--</c>…; returns the expression's value when needed.</summary>
        private IrExpression? LowerIncrement(IIncrementOrDecrementOperation increment, bool valueNeeded)
        {
            IrVariable? target = AssignmentTarget(increment.Target);
            if (target is null) return IrConstant.Of(0);
            if (!IsNumeric(target.Type) || increment.OperatorMethod is not null)
            {
                return Unsupported(increment, "'" + Describe(increment) + "' on a non-numeric value");
            }
            IrVariable? before = null;
            if (valueNeeded && increment.IsPostfix)
            {
                before = _variables.Temporary(target.Type);
                Add(new IrAssign(before, Read(target)));
            }
            var one = new IrConstant(Convert.ChangeType(1, ClrTypeOf(target.Type), System.Globalization.CultureInfo.InvariantCulture), target.Type);
            var op = increment.Kind == OperationKind.Increment ? IrBinaryOperator.Add : IrBinaryOperator.Subtract;
            AssignTo(target, Emit(new IrBinary(op, Read(target), one, target.Type), reuseTargetFor: target));
            if (!valueNeeded) return null;
            return before is not null ? Read(before) : Copy(Read(target));
        }

        private IrVariable? AssignmentTarget(IOperation target)
        {
            switch (target)
            {
                case ILocalReferenceOperation local when _symbolVariables.TryGetValue(local.Local, out IrVariable? variable):
                    return variable;
                case IParameterReferenceOperation parameter when _symbolVariables.TryGetValue(parameter.Parameter, out IrVariable? variable):
                    return variable;
                case IFieldReferenceOperation or IPropertyReferenceOperation:
                    Report(DiagnosticDescriptors.WriteToMember, target.Syntax.GetLocation(), target.Syntax.ToString(), _method.Name);
                    return null;
                case IArrayElementReferenceOperation:
                    Unsupported(target, "a write to an array element");
                    return null;
                default:
                    Unsupported(target, "an assignment to '" + target.Syntax + "'");
                    return null;
            }
        }

        private IrExpression LowerInvocation(IInvocationOperation invocation)
        {
            IMethodSymbol callee = invocation.TargetMethod;
            var arguments = new List<IrExpression>();
            foreach (IArgumentOperation argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
            {
                if (argument.Parameter is null || argument.Parameter.RefKind != RefKind.None || argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is not IArrayCreationOperation)
                {
                    return Unsupported(argument, "the argument '" + argument.Syntax + "' (passed by reference)");
                }
                arguments.Add(LowerExpression(argument.Value));
            }

            // Math / MathF / double / float functions of the derivative-rule table.
            string? containing = callee.ContainingType?.ToDisplayString();
            bool isMathType = containing is "System.Math" or "System.MathF" or "double" or "float";
            if (isMathType && callee.IsStatic && DerivativeRules.TryGetFunction(callee.Name, arguments.Count, out MathFunction function)
                && callee.ReturnType.SpecialType is SpecialType.System_Double or SpecialType.System_Single
                && callee.Parameters.All(p => p.Type.SpecialType == callee.ReturnType.SpecialType))
            {
                return Emit(new IrMathCall(function, arguments.ToImmutableArray(), TypeOf(callee.ReturnType)));
            }

            IrExpression? receiver = null;
            if (!callee.IsStatic && invocation.Instance is not null)
            {
                receiver = LowerExpression(invocation.Instance);
            }

            CallTarget? target = CallTargets.TryCreate(callee);
            if (target is not null)
            {
                if (receiver is not null && receiver.Type.IsDifferentiable)
                {
                    return Unsupported(invocation, "a call on a differentiable receiver");
                }
                return Emit(new IrDifferentiableCall(target, receiver, arguments.ToImmutableArray(), TypeOf(callee.ReturnType)));
            }

            // Any other call: fine while every argument is passive, an error (after activity analysis) otherwise.
            if (isMathType && DerivativeRules.ZeroDerivativeFunctions.Contains(callee.Name))
            {
                foreach (IrExpression argument in arguments.Where(a => a.Type.IsDifferentiable))
                {
                    AddPending(invocation, DiagnosticDescriptors.ZeroDerivativeOperation, argument, "'" + Describe(invocation) + "'");
                }
            }
            else
            {
                foreach (IrExpression argument in arguments.Concat(receiver is null ? Array.Empty<IrExpression>() : new[] { receiver }).Where(a => a.Type.IsDifferentiable))
                {
                    AddPending(invocation, DiagnosticDescriptors.NonDifferentiableCall, argument, callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), isError: true,
                        extraArgument: callee.Name + KnownNames.BackwardSuffix);
                }
            }
            if (callee.ReturnsVoid)
            {
                Unsupported(invocation, "a call of the void method '" + callee.Name + "'");
                return IrConstant.Of(0);
            }

            var operands = new List<IrExpression>();
            string callText;
            if (callee.IsStatic)
            {
                callText = MethodParser.TypeName(callee.ContainingType!) + "." + CalleeName(callee);
            }
            else if (receiver is not null)
            {
                operands.Add(receiver);
                callText = "{0}." + CalleeName(callee);
            }
            else
            {
                callText = "this." + CalleeName(callee);
            }
            var placeholders = new List<string>();
            foreach (IrExpression argument in arguments)
            {
                placeholders.Add("{" + operands.Count + "}");
                operands.Add(argument);
            }
            return Emit(new IrOpaque(callText + "(" + string.Join(", ", placeholders) + ")", operands.ToImmutableArray(), TypeOf(callee.ReturnType)));
        }

        private static string CalleeName(IMethodSymbol callee) =>
            callee.IsGenericMethod
                ? MethodParser.EscapeIdentifier(callee.Name) + "<" + string.Join(", ", callee.TypeArguments.Select(MethodParser.TypeName)) + ">"
                : MethodParser.EscapeIdentifier(callee.Name);

        /// <summary>A field or property read: a constant as far as differentiation goes.</summary>
        private IrExpression LowerMemberRead(IOperation operation, ISymbol member, IOperation? instance, ImmutableArray<IArgumentOperation> indexArguments)
        {
            var operands = new List<IrExpression>();
            string text;
            if (member.IsStatic)
            {
                text = MethodParser.TypeName(member.ContainingType) + "." + MethodParser.EscapeIdentifier(member.Name);
            }
            else if (instance is null or IInstanceReferenceOperation)
            {
                text = "this." + MethodParser.EscapeIdentifier(member.Name);
            }
            else
            {
                IrExpression receiver = LowerExpression(instance);
                if (receiver.Type.IsDifferentiable)
                {
                    return Unsupported(operation, "a member of a differentiable value");
                }
                operands.Add(receiver);
                text = "{0}." + MethodParser.EscapeIdentifier(member.Name);
            }
            if (member is IPropertySymbol { IsIndexer: true })
            {
                text = text.Substring(0, text.LastIndexOf('.'));
                var placeholders = new List<string>();
                foreach (IArgumentOperation argument in indexArguments)
                {
                    IrExpression index = LowerExpression(argument.Value);
                    if (index.Type.IsDifferentiable)
                    {
                        return Unsupported(argument, "an indexer with a differentiable index");
                    }
                    placeholders.Add("{" + operands.Count + "}");
                    operands.Add(index);
                }
                text += "[" + string.Join(", ", placeholders) + "]";
            }
            return Emit(new IrOpaque(text, operands.ToImmutableArray(), TypeOf(((IOperation)operation).Type!)));
        }

        // ---------------------------------------------------------------- helpers

        /// <summary>
        /// Emits <c>target = value</c>. When <paramref name="value"/> is a computation that reads a differentiable
        /// target (<c>x = x * y</c>), it goes through a temporary first, so the reverse sweep never needs a value the
        /// statement itself overwrote.
        /// </summary>
        private void AssignTo(IrVariable target, IrExpression value)
        {
            if (value is IrVariableReference reference && reference.Variable == target)
            {
                return;
            }
            if (value.Type.CSharpName != target.Type.CSharpName && IsNumeric(value.Type) && IsNumeric(target.Type))
            {
                value = Emit(new IrConvert(value, target.Type));
            }
            // y = x * x rather than _t0 = x * x; y = _t0: the computation just emitted into a fresh temporary goes
            // straight into the target (unless it reads a differentiable target, see above).
            List<IrStatement> statements = _current.Statements;
            if (value is IrVariableReference { Variable: { Role: IrVariableRole.Temporary } temporary }
                && statements.Count > 0 && statements[statements.Count - 1] is IrAssign last && last.Target == temporary
                && last.Value is not (IrVariableReference or IrConstant)
                && !(target.Type.IsDifferentiable && last.Value.ReadVariables().Contains(target))
                && _freshTemporaries.Remove(temporary))
            {
                statements[statements.Count - 1] = last with { Target = target };
                return;
            }
            Add(new IrAssign(target, value));
        }

        /// <summary>Evaluates a computation into a fresh temporary and returns it as an operand.</summary>
        private IrExpression Emit(IrExpression computation, IrVariable? reuseTargetFor = null)
        {
            if (computation is IrVariableReference or IrConstant)
            {
                return computation;
            }
            if (reuseTargetFor is not null && !reuseTargetFor.Type.IsDifferentiable)
            {
                // Passive counters update in place (i = i + 1): no adjoint, and the reverse sweep inverts it.
                Add(new IrAssign(reuseTargetFor, computation));
                return Read(reuseTargetFor);
            }
            IrVariable temporary = _variables.Temporary(computation.Type);
            Add(new IrAssign(temporary, computation));
            _freshTemporaries.Add(temporary);
            return Read(temporary);
        }

        /// <summary>Temporaries made by <see cref="Emit"/> and read by nothing yet: the next assignment may take their place.</summary>
        private readonly HashSet<IrVariable> _freshTemporaries = new();

        /// <summary>A snapshot of an operand's current value (an assignment's value may be overwritten later).</summary>
        private IrExpression Copy(IrExpression operand)
        {
            if (operand is not IrVariableReference) return operand;
            IrVariable temporary = _variables.Temporary(operand.Type);
            Add(new IrAssign(temporary, operand));
            return Read(temporary);
        }

        private static IrVariableReference Read(IrVariable variable) => new(variable);

        private IrVariable Jump() => _jump ??= _variables.Create("_jump", IrType.Int, IrVariableRole.Control);

        private void Add(IrStatement statement) => _current.Add(Stamp(statement));

        private IrStatement Stamp(IrStatement statement) => statement.Origin is null && _origin is not null ? statement with { Origin = _origin } : statement;

        private IrBlock Nested(Action lower)
        {
            IrBlock saved = _current;
            string? savedOrigin = _origin;
            var block = new IrBlock();
            _current = block;
            try
            {
                lower();
            }
            finally
            {
                _current = saved;
                _origin = savedOrigin;
            }
            return block;
        }

        private void SetOrigin(IOperation statement) => _origin = SourceText(statement.Syntax);

        private void SetOriginIfNone(IOperation operation) => _origin ??= SourceText(operation.Syntax);

        /// <summary>
        /// The source a statement came from, for the generated code's comments: one line, and for if/for/while/do only
        /// the header (the body's statements get their own comments).
        /// </summary>
        private static string SourceText(SyntaxNode syntax)
        {
            string text = syntax switch
            {
                IfStatementSyntax s => "if (" + s.Condition + ")",
                ForStatementSyntax s => syntax.ToString().Substring(0, s.CloseParenToken.Span.End - syntax.SpanStart),
                WhileStatementSyntax s => "while (" + s.Condition + ")",
                DoStatementSyntax s => "do … while (" + s.Condition + ")",
                _ => syntax.ToString(),
            };
            int newline = text.IndexOfAny(new[] { '\r', '\n' });
            if (newline >= 0) text = text.Substring(0, newline).TrimEnd() + " …";
            text = string.Join(" ", text.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries));
            if (text.Length > 100) text = text.Substring(0, 99) + "…";
            return text.Replace("*/", "* /");
        }

        private static string Describe(IOperation operation) => SourceText(operation.Syntax);

        private IrExpression Unsupported(IOperation operation, string construct)
        {
            Report(DiagnosticDescriptors.UnsupportedConstruct, operation.Syntax.GetLocation(), construct, _method.Name);
            return operation.Type is { } type ? new IrConstant(null, TypeOf(type)) : IrConstant.Of(0);
        }

        private void Report(DiagnosticDescriptor descriptor, Location location, params object[] arguments) =>
            _diagnostics.Add(new EngineDiagnostic(descriptor, location, arguments));

        /// <summary>A diagnostic that applies only if <paramref name="operand"/> turns out to be active.</summary>
        private void AddPending(IOperation operation, DiagnosticDescriptor descriptor, IrExpression operand, string subject, bool isError = false, string? extraArgument = null)
        {
            if (operand is not IrVariableReference reference) return;
            object[] arguments = extraArgument is null ? new object[] { subject, _method.Name } : new object[] { subject, _method.Name, extraArgument };
            _pending.Add(new PendingDiagnostic(new EngineDiagnostic(descriptor, operation.Syntax.GetLocation(), arguments), reference.Variable));
        }

        private static string DescribeUnsupported(IOperation operation) => operation switch
        {
            ITryOperation => "a try/catch/finally statement",
            IUsingOperation or IUsingDeclarationOperation => "a using statement",
            ILockOperation => "a lock statement",
            ISwitchOperation => "a switch statement",
            ISwitchExpressionOperation => "a switch expression",
            IForEachLoopOperation => "a foreach loop",
            IBranchOperation => "a goto statement",
            ILabeledOperation => "a labeled statement",
            IThrowOperation => "a throw",
            ILocalFunctionOperation => "a local function",
            IAnonymousFunctionOperation or IDelegateCreationOperation => "a lambda",
            IAwaitOperation => "an await",
            IArrayElementReferenceOperation => "an array element (arrays are not supported yet)",
            IArrayCreationOperation => "an array creation (arrays are not supported yet)",
            IObjectCreationOperation => "an object creation",
            IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicIndexerAccessOperation => "a dynamic operation",
            IAddressOfOperation => "a pointer operation",
            ITranslatedQueryOperation => "a LINQ query",
            IInvalidOperation => "code with errors",
            _ => "the " + operation.Kind + " '" + Describe(operation) + "'",
        };

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

        private static string OperatorSymbol(IBinaryOperation binary) => binary.OperatorKind switch
        {
            BinaryOperatorKind.Add => "+",
            BinaryOperatorKind.Subtract => "-",
            BinaryOperatorKind.Multiply => "*",
            BinaryOperatorKind.Divide => "/",
            BinaryOperatorKind.Remainder => "%",
            BinaryOperatorKind.Equals => "==",
            BinaryOperatorKind.NotEquals => "!=",
            BinaryOperatorKind.LessThan => "<",
            BinaryOperatorKind.LessThanOrEqual => "<=",
            BinaryOperatorKind.GreaterThan => ">",
            BinaryOperatorKind.GreaterThanOrEqual => ">=",
            BinaryOperatorKind.And => "&",
            BinaryOperatorKind.Or => "|",
            BinaryOperatorKind.ExclusiveOr => "^",
            BinaryOperatorKind.LeftShift => "<<",
            BinaryOperatorKind.RightShift => ">>",
            BinaryOperatorKind.UnsignedRightShift => ">>>",
            _ => "?",
        };

        /// <summary>Removes assignments to the control variable when no guard reads it (straight-line returns).</summary>
        private void RemoveUnreadControlAssignments(IrBlock root)
        {
            if (_jump is null) return;
            if (IrWalker.AllStatements(root).Any(s => IrWalker.ReadsOf(s).Contains(_jump)))
            {
                return;
            }
            IrWalker.RemoveAssignmentsTo(root, _jump);
        }

        // ---------------------------------------------------------------- types

        public static IrType TypeOf(ITypeSymbol type) => type.SpecialType switch
        {
            SpecialType.System_Double => IrType.Double,
            SpecialType.System_Single => IrType.Float,
            SpecialType.System_Boolean => IrType.Bool,
            SpecialType.System_Int32 => IrType.Int,
            SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_SByte or SpecialType.System_Byte
                or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Char
                => new IrType(IrTypeKind.Integer, MethodParser.TypeName(type)),
            _ => new IrType(IrTypeKind.Other, MethodParser.TypeName(type)),
        };

        private static bool IsNumeric(IrType type) =>
            type.Kind is IrTypeKind.Double or IrTypeKind.Float or IrTypeKind.Integer
            || type.CSharpName == "decimal";

        private static Type ClrTypeOf(IrType type) => type.CSharpName switch
        {
            "double" => typeof(double),
            "float" => typeof(float),
            "int" => typeof(int),
            "long" => typeof(long),
            "short" => typeof(short),
            "sbyte" => typeof(sbyte),
            "byte" => typeof(byte),
            "ushort" => typeof(ushort),
            "uint" => typeof(uint),
            "ulong" => typeof(ulong),
            "char" => typeof(char),
            "decimal" => typeof(decimal),
            _ => typeof(int),
        };
    }

    /// <summary>A diagnostic that stands only if its operand is active (depends on a differentiable input and reaches the result).</summary>
    internal sealed record PendingDiagnostic(EngineDiagnostic Diagnostic, IrVariable Operand);

    /// <summary>What lowering produced.</summary>
    internal sealed class LoweringResult
    {
        public LoweringResult(IrFunction function, List<EngineDiagnostic> diagnostics, List<PendingDiagnostic> pending)
        {
            Function = function;
            Diagnostics = diagnostics;
            Pending = pending;
        }

        public IrFunction Function { get; }

        /// <summary>Diagnostics that hold whatever the activity.</summary>
        public List<EngineDiagnostic> Diagnostics { get; }

        /// <summary>Diagnostics that hold only where their operand is active.</summary>
        public List<PendingDiagnostic> Pending { get; }
    }
}
