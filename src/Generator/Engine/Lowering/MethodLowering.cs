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
using Microsoft.CodeAnalysis.CSharp;
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
    internal sealed partial class MethodLowering
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

        private readonly Func<IMethodSymbol, bool>? _calleeGetsCompanions;

        private MethodLowering(IMethodSymbol method, CancellationToken cancellationToken, Func<IMethodSymbol, bool>? calleeGetsCompanions)
        {
            _method = method;
            _cancellationToken = cancellationToken;
            _calleeGetsCompanions = calleeGetsCompanions;
        }

        /// <summary>Lowers <paramref name="body"/>; the result says what could not be lowered.</summary>
        /// <param name="calleeGetsCompanions">
        /// For a [Differentiable] callee declared in source: whether the generator will give it its companions (it has
        /// no error of its own). A call whose <c>…Backward</c> will not exist is reported instead of emitted.
        /// </param>
        public static LoweringResult Lower(IMethodSymbol method, IBlockOperation body, CancellationToken cancellationToken, Func<IMethodSymbol, bool>? calleeGetsCompanions = null)
        {
            var lowering = new MethodLowering(method, cancellationToken, calleeGetsCompanions);
            return lowering.Run(body);
        }

        private LoweringResult Run(IBlockOperation body)
        {
            var parameters = ImmutableArray.CreateBuilder<IrVariable>();
            var outputs = ImmutableArray.CreateBuilder<IrOutput>();
            foreach (IParameterSymbol parameter in _method.Parameters)
            {
                if (MethodParser.IsDifferentiableParameter(parameter) && ShapeOf(parameter.Type) is { } shape)
                {
                    DeclareStructParameter(parameter, shape, parameters, body); // one parameter per leaf (MethodLowering.Structs.cs)
                    continue;
                }
                IrVariable variable = _variables.Create(MethodParser.EscapeIdentifier(parameter.Name), TypeOf(parameter.Type), IrVariableRole.Parameter,
                    MethodParser.IsDifferentiableParameter(parameter));
                _symbolVariables[parameter] = variable;
                parameters.Add(variable);
                if (MethodParser.IsOutScalar(parameter))
                {
                    // The body assigns a local; the out parameter receives its final value (IrOutput).
                    IrVariable local = _variables.Create(MethodParser.EscapeIdentifier(parameter.Name), variable.Type, IrVariableRole.Local);
                    _symbolVariables[parameter] = local;
                    outputs.Add(new IrOutput(variable, local));
                }
                else if (KnownNames.HasAttribute(parameter, KnownNames.OutputAttribute) && variable.Type.IsDifferentiableArray)
                {
                    outputs.Add(new IrOutput(variable, variable));
                }
            }
            // A void method (vector-valued: its outputs are parameters) keeps a double placeholder result nothing assigns.
            IrType returnType = _method.ReturnsVoid ? IrType.Double : TypeOf(_method.ReturnType);
            IrVariable result = _variables.Create("_result", returnType, IrVariableRole.Result);
            _resultVariable = _method.ReturnsVoid ? null : result;

            IrBlock root = _current;
            LowerStatementList(body.Operations);

            RemoveUnreadControlAssignments(root);
            var function = new IrFunction(_method.Name, returnType, parameters.ToImmutable(), _variables.Variables, result, root)
            {
                Outputs = outputs.ToImmutable(),
                ReturnsValue = !_method.ReturnsVoid,
            };
            return new LoweringResult(function, _diagnostics, _pending);
        }

        /// <summary>Where a return stores its value: the method's result, or the result of the local function being inlined (null: void).</summary>
        private IrVariable? _resultVariable;

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
            IrExpression condition = LowerCondition(conditional.Condition);
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
                case IExpressionStatementOperation { Operation: IThrowOperation thrown }:
                    LowerThrow(thrown);
                    break;
                case IThrowOperation thrown:
                    LowerThrow(thrown);
                    break;
                case IExpressionStatementOperation expressionStatement:
                    LowerEffect(expressionStatement.Operation);
                    break;
                case ISwitchOperation switchStatement:
                    LowerSwitch(switchStatement);
                    break;
                case ILocalFunctionOperation:
                    break; // inlined where it is called
                case IConditionalOperation { Type: null } ifStatement:
                {
                    IrExpression condition = LowerCondition(ifStatement.Condition);
                    IrBlock then = Nested(() => LowerEmbedded(ifStatement.WhenTrue));
                    IrBlock otherwise = ifStatement.WhenFalse is null ? new IrBlock() : Nested(() => LowerEmbedded(ifStatement.WhenFalse));
                    SetOrigin(ifStatement);
                    Add(new IrIf(condition, then, otherwise));
                    break;
                }
                case IForLoopOperation forLoop:
                    foreach (IOperation before in forLoop.Before) LowerStatement(before);
                    LowerLoop(forLoop, Condition(forLoop.Condition), forLoop.Body, Steps(forLoop.AtLoopBottom), null, conditionAtTop: true);
                    break;
                case IWhileLoopOperation whileLoop when !whileLoop.ConditionIsUntil:
                    LowerLoop(whileLoop, Condition(whileLoop.Condition), whileLoop.Body, null, null, whileLoop.ConditionIsTop);
                    break;
                case IForEachLoopOperation forEach:
                    LowerForEach(forEach);
                    break;
                case IBranchOperation { BranchKind: BranchKind.Break }:
                    Add(new IrAssign(Jump(), IrConstant.Of(JumpState.Break)));
                    break;
                case IBranchOperation { BranchKind: BranchKind.Continue }:
                    Add(new IrAssign(Jump(), IrConstant.Of(JumpState.Continue)));
                    break;
                case IReturnOperation { ReturnedValue: { } returned } when _structResult is not null:
                    StoreStruct(_structResult, LowerStruct(returned, _structResult.Shape));
                    SetOrigin(statement);
                    Add(new IrAssign(Jump(), IrConstant.Of(JumpState.Return)));
                    break;
                case IReturnOperation { ReturnedValue: { } returned } when _resultVariable is not null:
                    AssignTo(_resultVariable, LowerExpression(returned));
                    SetOrigin(statement);
                    Add(new IrAssign(Jump(), IrConstant.Of(JumpState.Return)));
                    break;
                case IReturnOperation { ReturnedValue: null, Kind: OperationKind.Return } when _inlining.Count > 0 || _method.ReturnsVoid:
                    Add(new IrAssign(Jump(), IrConstant.Of(JumpState.Return))); // return from a void local function or method
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
            IVariableInitializerOperation? initializer = declarator.Initializer ?? sharedInitializer;
            if (ShapeOf(local.Type) is { } shape)
            {
                DeclareStructLocal(local, shape, initializer); // one local per leaf (MethodLowering.Structs.cs)
                return;
            }
            // In a method that calls TensorPrimitives, a span local never reassigned names a view those calls can take
            // (MethodLowering.Spans.cs); otherwise, and for what that declines, a scratch span or a local naming a window
            // of another array is read and written element by element (MethodLowering.Views.cs).
            // TODO: one view mechanism for both (the two were built side by side).
            bool elementWiseOnly = initializer is not null && initializer.Value.Syntax.DescendantNodesAndSelf().Any(n =>
                n is Microsoft.CodeAnalysis.CSharp.Syntax.RangeExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.PrefixUnaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.IndexExpression }
                    or Microsoft.CodeAnalysis.CSharp.Syntax.StackAllocArrayCreationExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.ImplicitStackAllocArrayCreationExpressionSyntax);
            if (UsesTensorPrimitives && !elementWiseOnly && TryDeclareSpanView(local, initializer)
                || initializer is not null && (TryDeclareStackalloc(local, declarator, initializer.Value) || TryDeclareView(local, initializer.Value)))
            {
                return;
            }
            IrVariable variable = _variables.Create(MethodParser.EscapeIdentifier(local.Name), TypeOf(local.Type), IrVariableRole.Local);
            _symbolVariables[local] = variable;
            if (initializer is not null && IsArrayRange(initializer.Value))
            {
                LowerArrayRange((IArrayElementReferenceOperation)initializer.Value, variable); // var t = x[1..]: a copy, into t itself
                return;
            }
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
        private Func<IrExpression>? Condition(IOperation? condition) => condition is null ? null : () => LowerExpression(condition);

        private Action? Steps(ImmutableArray<IOperation> steps) => steps.IsEmpty ? null : () => { foreach (IOperation s in steps) LowerStatement(s); };

        /// <summary>
        /// <c>foreach (var v in a)</c> over an array or span of scalars, as <c>for (int k = 0; k &lt; a.Length; k++) { v = a[k]; … }</c>.
        /// </summary>
        private void LowerForEach(IForEachLoopOperation forEach)
        {
            // Roslyn wraps an array collection in an implicit conversion to IEnumerable; the loop still indexes the array.
            IOperation collection = forEach.Collection is IConversionOperation { IsImplicit: true } c
                && (c.Conversion.IsIdentity || c.Operand.Type is IArrayTypeSymbol)
                ? c.Operand : forEach.Collection;
            if (TryLowerForEachRow(forEach, collection))
            {
                return; // foreach (double[] row in m): each row a view (MethodLowering.Views.cs)
            }
            if (collection.Type is not { } collectionType || TypeOf(collectionType) is not { Kind: IrTypeKind.Array, Layout: ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.ReadOnlySpan }
                || forEach.LoopControlVariable is not IVariableDeclaratorOperation declarator || forEach.IsAsynchronous)
            {
                Unsupported(forEach, "a foreach loop over '" + collection.Syntax + "' (foreach is supported over arrays and spans of scalars)");
                return;
            }
            // Over a slice or row: its elements are its storage's (MethodLowering.Views.cs); the bounds are taken once.
            View? view = IsViewSyntax(collection) && TryLowerView(collection) is { } v
                ? v with { Row = v.Row is null ? null : Snapshot(v.Row), Start = v.Start is null ? null : Snapshot(v.Start), Length = Snapshot(v.Length), Checked = false }
                : null;
            IrExpression array = view?.Array ?? LowerArrayOperand(collection);
            IrVariable index = _variables.Create("_index", IrType.Int, IrVariableRole.Local);
            Add(new IrAssign(index, IrConstant.Of(0)) { IsDeclaration = true });
            IrVariable element = _variables.Create(MethodParser.EscapeIdentifier(declarator.Symbol.Name), TypeOf(declarator.Symbol.Type), IrVariableRole.Local);
            _symbolVariables[declarator.Symbol] = element;
            LowerLoop(forEach,
                () => Emit(new IrBinary(IrBinaryOperator.LessThan, Read(index), view?.Length ?? Emit(new IrOpaque("{0}.Length", ImmutableArray.Create(array), IrType.Int)), IrType.Bool)),
                forEach.Body,
                () => Add(new IrAssign(index, new IrBinary(IrBinaryOperator.Add, Read(index), IrConstant.Of(1), IrType.Int))),
                () => AssignTo(element, Emit(view is null ? new IrElementRead(array, ImmutableArray.Create<IrExpression>(Read(index)), array.Type.Element!) : ViewElement(view, Read(index)))),
                conditionAtTop: true);
        }

        private void LowerLoop(ILoopOperation loop, Func<IrExpression>? condition, IOperation body, Action? step, Action? bodyPrefix, bool conditionAtTop)
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
                if (bodyPrefix is not null)
                {
                    SetOrigin(loop);
                    bodyPrefix();
                }
                LowerEmbedded(body);
                if (mayContinue)
                {
                    SetOrigin(loop);
                    IrExpression continued = Emit(new IrBinary(IrBinaryOperator.Equals, Read(Jump()), IrConstant.Of(JumpState.Continue), IrType.Bool));
                    Add(new IrIf(continued, new IrBlock(new[] { Stamp(new IrAssign(Jump(), IrConstant.Of(JumpState.None))) }), new IrBlock()));
                }
                if (step is not null)
                {
                    SetOrigin(loop);
                    if (mayLeave)
                    {
                        IrExpression running = Emit(new IrBinary(IrBinaryOperator.Equals, Read(Jump()), IrConstant.Of(JumpState.None), IrType.Bool));
                        IrBlock steps = Nested(step);
                        Add(new IrIf(running, steps, new IrBlock()));
                    }
                    else
                    {
                        step();
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

        private void EmitLoopTest(IrVariable proceed, Func<IrExpression>? condition, bool checkJump)
        {
            if (checkJump)
            {
                Add(new IrAssign(proceed, new IrBinary(IrBinaryOperator.Equals, Read(Jump()), IrConstant.Of(JumpState.None), IrType.Bool)));
                if (condition is not null)
                {
                    IrBlock test = Nested(() => AssignTo(proceed, condition()));
                    Add(new IrIf(Read(proceed), test, new IrBlock()));
                }
            }
            else
            {
                AssignTo(proceed, condition is null ? IrConstant.Of(true) : condition());
            }
        }

        /// <summary>
        /// Lowers a branch condition to an operand nothing reassigns: the reverse sweep tests it again to choose the
        /// arm to reverse, after the arms ran (a flag the taken arm resets must still select that arm).
        /// </summary>
        private IrExpression LowerCondition(IOperation condition)
        {
            IrExpression lowered = LowerExpression(condition);
            return lowered is IrVariableReference { Variable.Role: not IrVariableRole.Temporary } ? Copy(lowered) : lowered;
        }

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

        // ---------------------------------------------------------------- expressions

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
                {
                    IrExpression condition = LowerCondition(conditional.Condition);
                    IrVariable value = _variables.Temporary(TypeOf(conditional.Type));
                    IrBlock whenTrue = Nested(() => AssignBranch(value, conditional.WhenTrue));
                    IrBlock whenFalse = Nested(() => AssignBranch(value, conditional.WhenFalse));
                    Add(new IrIf(condition, whenTrue, whenFalse));
                    return Read(value);
                }
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
                    return LowerPattern(SwitchInput(isPattern.Value), isPattern.Pattern);
                case ICoalesceOperation { WhenNull: IThrowOperation or IConversionOperation { Operand: IThrowOperation } } coalesce:
                    return LowerCoalesceThrow(coalesce);
                case IThrowOperation thrown:
                    return Unsupported(thrown, "a throw expression here (a throw is supported as a statement, as an arm of ?: and as an arm of a switch expression)");
                case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } or IImplicitIndexerReferenceOperation when ElementAccess(operation) is { } element:
                    return Emit(element);
                case IArrayCreationOperation creation when creation.Type is not null:
                    return LowerArrayCreation(creation, TypeOf(creation.Type), creation.DimensionSizes, creation.Initializer?.ElementValues);
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
                case IObjectCreationOperation { Constructor: not null } creation when IsSimdVectorType(creation.Type):
                {
                    ImmutableArray<IrExpression> operands = LowerOperands(creation.Arguments.Select(a => WithoutArrayToSpanConversion(a.Value)).ToList(), null);
                    ReportSimdVectorOperands(creation, operands);
                    string placeholders = string.Join(", ", Enumerable.Range(0, operands.Length).Select(i => "{" + i + "}"));
                    return Emit(new IrOpaque("new " + MethodParser.TypeName(creation.Type!) + "(" + placeholders + ")", operands, TypeOf(creation.Type!)));
                }
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

            IrExpression l = LowerOperand(binary.LeftOperand, binary.RightOperand);
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
            // What the rule table says the analyzers should report about this operator's operands.
            OperatorRule rule = RuleTable.Of(op);
            IrExpression[] operands = { l, r };
            foreach (var (index, name) in rule.ZeroDerivativeOperands.Where(z => operands[z.Operand].Type.IsDifferentiable))
            {
                AddPending(binary, DiagnosticDescriptors.ZeroDerivativeOperation, operands[index], "The " + rule.Noun + " '" + Describe(binary) + "' with respect to its " + name);
            }
            if (rule.NonSmooth is { } nonSmooth)
            {
                foreach (int index in rule.NonSmoothOperands.Where(i => operands[i].Type.IsDifferentiable))
                {
                    AddNonSmoothPending(binary, operands[index], "The " + rule.Noun + " '" + Describe(binary) + "'", nonSmooth.Where, nonSmooth.Subgradient);
                }
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

        /// <summary>Lowers <c>target = value</c>; returns the value assigned.</summary>
        private IrExpression LowerAssignment(ISimpleAssignmentOperation assignment, bool valueNeeded)
        {
            if (TryAssignView(assignment) is { } view)
            {
                return view; // t = t.Slice(1) (MethodLowering.Views.cs)
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
            if (compound.OperatorMethod is not null || !BinaryOperators.TryGetValue(compound.OperatorKind, out IrBinaryOperator op))
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
            if (!IsNumeric(target.Type) || increment.OperatorMethod is not null)
            {
                return Unsupported(increment, "'" + Describe(increment) + "' on a non-numeric value");
            }
            IrExpression before = ReadPlace(target);
            if (valueNeeded && increment.IsPostfix)
            {
                before = Copy(before);
            }
            var one = new IrConstant(Convert.ChangeType(1, ClrTypeOf(target.Type), System.Globalization.CultureInfo.InvariantCulture), target.Type);
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

        /// <summary>
        /// Whether a callee declared in source assigns an element of <paramref name="parameter"/> (<c>a[i] = …</c>,
        /// <c>a[i] += …</c>, <c>a[i]++</c>) — read from its syntax, which is all the callee's declaration offers here.
        /// A callee compiled elsewhere is assumed not to (its companions were generated where it is declared).
        /// </summary>
        private static bool WritesIntoParameter(IMethodSymbol callee, IParameterSymbol parameter)
        {
            foreach (SyntaxReference reference in callee.OriginalDefinition.DeclaringSyntaxReferences)
            {
                foreach (SyntaxNode node in reference.GetSyntax().DescendantNodes())
                {
                    ExpressionSyntax? written = node switch
                    {
                        AssignmentExpressionSyntax assignment => assignment.Left,
                        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } prefix => prefix.Operand,
                        PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } postfix => postfix.Operand,
                        _ => null,
                    };
                    while (written is ElementAccessExpressionSyntax element)
                    {
                        if (element.Expression is IdentifierNameSyntax name && name.Identifier.ValueText == parameter.Name) return true;
                        written = element.Expression;
                    }
                }
            }
            return false;
        }

        private static IOperation WithoutArrayToSpanConversion(IOperation value) =>
            value is IConversionOperation { IsImplicit: true, Operand.Type: IArrayTypeSymbol { Rank: 1 } array } conversion
            && conversion.Type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", TypeArguments.Length: 1 } span
            && SymbolEqualityComparer.Default.Equals(span.TypeArguments[0], array.ElementType)
                ? conversion.Operand
                : value;

        /// <param name="resultUsed">False for a call evaluated as a statement: its value, if any, is discarded.</param>
        private IrExpression LowerInvocation(IInvocationOperation invocation, bool resultUsed)
        {
            IMethodSymbol callee = invocation.TargetMethod;
            if (callee.MethodKind == MethodKind.LocalFunction)
            {
                return LowerLocalFunctionCall(invocation, resultUsed);
            }
            if (IsTensorPrimitives(callee))
            {
                return LowerTensorPrimitive(invocation, resultUsed);
            }
            if (KnownNames.HasAttribute(callee.OriginalDefinition, KnownNames.DifferentiableAttribute) && KnownNames.IsVectorValued(callee))
            {
                // Its MBackward takes a seed per output; call lowering passes one seed (the result's) today.
                Report(DiagnosticDescriptors.VectorValuedNotSupported, invocation.Syntax.GetLocation(), Describe(invocation), _method.Name,
                    "'" + callee.Name + "' is vector-valued (it has out or [Output] parameters), and calls of vector-valued methods are not differentiated yet: "
                    + "call a scalar-valued [Differentiable] method per output, or inline the computation");
                return IrConstant.Of(0);
            }
            if (callee.ReturnsVoid && ShapeOf(callee.ContainingType) is not null
                && InlineMember(invocation, callee, invocation.Instance, invocation.Arguments, null, null, resultUsed: false))
            {
                return IrConstant.Of(0); // p.Scale(2) on a user struct: inlined from source (MethodLowering.StructMembers.cs)
            }
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                bool interpolationHandler = argument.Value is IInterpolatedStringHandlerCreationOperation; // Debug.Assert(c, $"…"): written the same way
                if (argument.Parameter is null || argument.Parameter.RefKind is not (RefKind.None or RefKind.In) && !interpolationHandler
                    || argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is not IArrayCreationOperation)
                {
                    return Unsupported(argument, "the argument '" + argument.Syntax + "' (passed by reference)");
                }
            }
            // A void call (Debug.Assert, Console.WriteLine) only reads its arguments: a comparison there selects no branch.
            bool effectOnly = callee.ReturnsVoid || !resultUsed;
            if (callee.ReturnsVoid) _effectArguments++;
            ImmutableArray<IrExpression> evaluated;
            try
            {
                // Evaluated in source order, passed in parameter order. An array passed to a span parameter is passed as is:
                // the generated call converts it the same way (and an adjoint array converts to the callee's Span adjoint).
                evaluated = LowerOperands(invocation.Arguments.Select(a => WithoutArrayToSpanConversion(a.Value)).ToList(), null);
            }
            finally
            {
                if (callee.ReturnsVoid) _effectArguments--;
            }
            var arguments = invocation.Arguments.Select((a, i) => (a.Parameter!.Ordinal, Value: evaluated[i]))
                .OrderBy(a => a.Ordinal).Select(a => a.Value).ToList();

            // Math / MathF / double / float functions of the rule table.
            FunctionRule? rule = MathMembers.Find(callee);
            if (rule is { Function: MathFunction function })
            {
                if (rule.NonSmooth is { } nonSmooth)
                {
                    foreach (IrExpression argument in arguments.Where(a => a.Type.IsDifferentiable))
                    {
                        AddNonSmoothPending(invocation, argument, "'" + Describe(invocation) + "'", nonSmooth.Where, nonSmooth.Subgradient);
                    }
                }
                foreach (int flat in rule.FlatArguments)
                {
                    IArgumentOperation argument = invocation.Arguments.First(a => a.Parameter!.Ordinal == flat);
                    AddPending(argument, DiagnosticDescriptors.ZeroDerivativeOperation, arguments[flat],
                        "'" + Describe(invocation) + "' with respect to '" + Describe(argument) + "'");
                }
                return Emit(new IrMathCall(function, arguments.ToImmutableArray(), TypeOf(callee.ReturnType)));
            }

            IrExpression? receiver = null;
            if (!callee.IsStatic && invocation.Instance is not null)
            {
                receiver = LowerExpression(invocation.Instance);
            }

            CallTarget? target = CallTargets.TryCreate(callee);
            bool calleeHasErrors = target is not null && _calleeGetsCompanions is not null
                && callee.DeclaringSyntaxReferences.Length > 0 && !HasHandWrittenBackward(callee)
                && !_calleeGetsCompanions(callee.OriginalDefinition);
            if (calleeHasErrors)
            {
                // Its …Backward will not be generated: calling it would be generated code that does not compile.
                foreach (IrExpression argument in DerivativeCarrying(arguments.Concat(receiver is null ? Array.Empty<IrExpression>() : new[] { receiver })))
                {
                    AddPending(invocation, DiagnosticDescriptors.UnsupportedConstruct, argument,
                        "the call '" + Describe(invocation) + "': '" + callee.Name + "' is [Differentiable] but gets no companions until its own errors are fixed", isError: true);
                }
                target = null;
            }
            if (target is not null && callee.Parameters.Any(p => MethodParser.IsDifferentiableParameter(p) && MethodParser.IsDifferentiableStruct(p.Type)))
            {
                return Unsupported(invocation, "the call '" + Describe(invocation) + "': '" + callee.Name
                    + "' takes a struct of reals, and calls of a [Differentiable] method with a struct parameter are not supported yet (make it a local function, which is inlined, or pass the fields as double or float parameters)");
            }
            if (target is not null)
            {
                if (receiver is not null && receiver.Type.IsDifferentiable)
                {
                    return Unsupported(invocation, "a call on a differentiable receiver");
                }
                foreach (IArgumentOperation argument in invocation.Arguments)
                {
                    int ordinal = argument.Parameter!.Ordinal;
                    if (!target.ParameterIsDifferentiable[ordinal] && arguments[ordinal].Type.CarriesDerivative)
                    {
                        // The callee treats the parameter as data: a value that depends on a differentiable parameter
                        // would lose its gradient there, silently.
                        AddPending(argument, DiagnosticDescriptors.UnsupportedConstruct, arguments[ordinal],
                            "the argument '" + argument.Syntax + "': '" + callee.Name + "' takes it as data (parameter '" + argument.Parameter.Name
                            + "' is [NoDerivative]), so its gradient would be lost; remove [NoDerivative] there, or pass a value that does not depend on a differentiable parameter",
                            isError: true);
                    }
                    if (arguments[ordinal].Type.Kind == IrTypeKind.Array && WritesIntoParameter(callee, argument.Parameter))
                    {
                        // The reverse sweep reads the array again (the callee's …Backward reruns the callee on it, and
                        // recomputed reads see it): after the call it no longer holds the values the call started from.
                        Report(DiagnosticDescriptors.UnsupportedConstruct, argument.Syntax.GetLocation(),
                            "the argument '" + argument.Syntax + "': '" + callee.Name + "' writes into its parameter '" + argument.Parameter.Name
                            + "', and a call that changes an array argument is not supported (let the callee copy it, or pass a copy)", _method.Name);
                    }
                }
                if (!target.HasTangent && (KnownNames.ModesOf(_method) & Model.DerivativeModes.Forward) != 0)
                {
                    // MTangent of this method will call the callee's …Tangent; without one it would not compile.
                    foreach (IrExpression argument in DerivativeCarrying(arguments.Concat(receiver is null ? Array.Empty<IrExpression>() : new[] { receiver })))
                    {
                        AddPending(invocation, DiagnosticDescriptors.CalleeWithoutTangent, argument, callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
                            isError: true, extraArgument: target.TangentName);
                    }
                }
                return Emit(new IrDifferentiableCall(target, receiver, arguments.ToImmutableArray(), TypeOf(callee.ReturnType)));
            }

            // An array's shape is data.
            if (receiver is { Type.Kind: IrTypeKind.Array } && callee.Name is "GetLength" or "GetUpperBound" or "GetLowerBound" or "GetLongLength")
            {
                return Emit(new IrOpaque("{0}." + callee.Name + "({1})", ImmutableArray.Create(receiver, arguments[0]), TypeOf(callee.ReturnType)));
            }

            // Any other call: fine while every argument is passive, an error (after activity analysis) otherwise.
            if (callee.MethodKind == MethodKind.DelegateInvoke || IsLinq(callee))
            {
                // Neither can get a derivative: a delegate's target is unknown, LINQ's lambdas cannot be differentiated.
                string construct = callee.MethodKind == MethodKind.DelegateInvoke
                    ? "the delegate call '" + Describe(invocation) + "'"
                    : "the LINQ call '" + Describe(invocation) + "' (write the loop instead)";
                foreach (IrExpression argument in DerivativeCarrying(arguments.Concat(receiver is null ? Array.Empty<IrExpression>() : new[] { receiver })))
                {
                    AddPending(invocation, DiagnosticDescriptors.UnsupportedConstruct, argument, construct, isError: true);
                }
            }
            else if (calleeHasErrors)
            {
                // Reported above.
            }
            else if (rule is { Kind: RuleKind.Predicate })
            {
                // double.IsNaN(x) and the like: no gradient flows through a bool, so there is nothing to report.
            }
            else if (rule is { Kind: RuleKind.ZeroDerivative })
            {
                foreach (IrExpression argument in arguments.Where(a => a.Type.IsDifferentiable))
                {
                    AddPending(invocation, DiagnosticDescriptors.ZeroDerivativeOperation, argument, "'" + Describe(invocation) + "'");
                }
            }
            else
            {
                if (IsSimdVectorType(callee.ContainingType) || IsSimdVectorType(callee.ReturnType))
                {
                    // Vector<T>, Vector128<T>…: lane-wise differentiation is not implemented; say so precisely (ADG0403).
                    ReportSimdVectorOperands(invocation, arguments.Concat(receiver is null ? Array.Empty<IrExpression>() : new[] { receiver }));
                }
                else foreach (IrExpression argument in NonDifferentiableCallOperands(invocation, callee, arguments, receiver, effectOnly))
                {
                    AddPending(invocation, DiagnosticDescriptors.NonDifferentiableCall, argument, callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), isError: true,
                        extraArgument: callee.Name + KnownNames.BackwardSuffix);
                }
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
            var call = new IrOpaque(callText + "(" + string.Join(", ", placeholders) + ")", operands.ToImmutableArray(),
                callee.ReturnsVoid ? new IrType(IrTypeKind.Other, "void") : TypeOf(callee.ReturnType));
            if (effectOnly)
            {
                // Run for its effect in the forward sweep (Debug.Assert, logging, a guard): it contributes nothing to the gradient.
                Add(new IrEffect(call));
                return IrConstant.Of(0);
            }
            return Emit(call);
        }

        /// <summary>Whether the callee's type has a member named like its <c>…Backward</c> that the user wrote.</summary>
        private static bool HasHandWrittenBackward(IMethodSymbol callee) =>
            callee.ContainingType?.GetMembers(callee.Name + KnownNames.BackwardSuffix).Any(m => !m.IsImplicitlyDeclared && !MethodParser.IsGeneratedByUs(m)) == true;

        private static bool IsLinq(IMethodSymbol callee) =>
            callee.ContainingNamespace?.ToDisplayString() is "System.Linq" or "System.Linq.Parallel";

        private static string CalleeName(IMethodSymbol callee) =>
            callee.IsGenericMethod
                ? MethodParser.EscapeIdentifier(callee.Name) + "<" + string.Join(", ", callee.TypeArguments.Select(MethodParser.TypeName)) + ">"
                : MethodParser.EscapeIdentifier(callee.Name);

        /// <summary>A field or property read: a constant as far as differentiation goes.</summary>
        private IrExpression LowerMemberRead(IOperation operation, ISymbol member, IOperation? instance, ImmutableArray<IArgumentOperation> indexArguments)
        {
            if (ViewMember(member, instance) is { } viewMember)
            {
                return viewMember; // t.Length of a slice (MethodLowering.Views.cs)
            }
            if (SpanViewMember(member, instance) is { } spanViewMember) return spanViewMember;
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
            else if (instance is IArrayElementReferenceOperation { ArrayReference.Type: { } rowOwner, Indices.Length: 1 } row
                && TypeOf(rowOwner).Layout == ArrayLayout.Jagged && member.Name is "Length" or "LongLength")
            {
                // m[i].Length: the length of a jagged array's row.
                operands.Add(LowerArrayOperand(row.ArrayReference));
                operands.Add(LowerExpression(row.Indices[0]));
                text = "{0}[{1}]." + member.Name;
            }
            else
            {
                IrExpression receiver = LowerExpression(instance);
                foreach (IrExpression leaf in DerivativeCarrying(new[] { receiver }).Where(l => l != receiver))
                {
                    // A member of a struct of reals that is not one of its fields and whose code is not in the compilation.
                    AddPending(operation, DiagnosticDescriptors.UnsupportedConstruct, leaf, "the member '" + member.Name + "' of the struct value '" + Describe(instance)
                        + "' (" + StructSupportHint + ")", isError: true);
                }
                bool isShape = receiver.Type.Kind == IrTypeKind.Array && member.Name is "Length" or "LongLength" or "Rank" or "IsEmpty";
                if (receiver.Type.CarriesDerivative && !isShape)
                {
                    return Unsupported(operation, "the member '" + member.Name + "' of a differentiable value");
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
        /// Lowers operands left to right. An operand that is just a variable is read again when it is used, so when a
        /// later operand (or <paramref name="evaluatedAfter"/>) assigns that variable (<c>a * a++</c>), its value is
        /// snapshotted first: C# evaluates operands in order.
        /// </summary>
        private ImmutableArray<IrExpression> LowerOperands(IReadOnlyList<IOperation> operands, IOperation? evaluatedAfter)
        {
            var lowered = ImmutableArray.CreateBuilder<IrExpression>(operands.Count);
            for (int i = 0; i < operands.Count; i++)
            {
                IEnumerable<IOperation> later = operands.Skip(i + 1);
                if (evaluatedAfter is not null) later = later.Append(evaluatedAfter);
                lowered.Add(LowerOperand(operands[i], later.ToArray()));
            }
            return lowered.MoveToImmutable();
        }

        private IrExpression LowerOperand(IOperation operand, params IOperation[] evaluatedLater)
        {
            IrExpression lowered = LowerExpression(operand);
            if (lowered is IrVariableReference { Variable: var variable } && evaluatedLater.Any(o => Writes(o, variable)))
            {
                return Copy(lowered);
            }
            return lowered;
        }

        /// <summary>Whether evaluating <paramref name="operation"/> may assign <paramref name="variable"/>.</summary>
        private bool Writes(IOperation operation, IrVariable variable)
        {
            foreach (IOperation node in operation.DescendantsAndSelf())
            {
                IOperation? target = node switch
                {
                    ISimpleAssignmentOperation a => a.Target,
                    ICompoundAssignmentOperation c => c.Target,
                    IIncrementOrDecrementOperation i => i.Target,
                    _ => null,
                };
                ISymbol? symbol = target switch
                {
                    ILocalReferenceOperation l => l.Local,
                    IParameterReferenceOperation p => p.Parameter,
                    _ => null,
                };
                if (symbol is not null && _symbolVariables.TryGetValue(symbol, out IrVariable? written) && written == variable) return true;
            }
            return false;
        }

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
            if (target.Type.Kind == IrTypeKind.Array && value is IrVariableReference { Variable: var created } && _freshTemporaries.Contains(created)
                && _current.Statements.FindIndex(st => st is IrAssign { Value: IrNewArray } a && a.Target == created) is var creation and >= 0)
            {
                // new[] { … } assigned to a variable: allocate and fill the variable itself, not a temporary alias of it.
                for (int i = creation; i < _current.Statements.Count; i++)
                {
                    _current.Statements[i] = _current.Statements[i] switch
                    {
                        IrAssign a when a.Target == created => a with { Target = target },
                        IrElementWrite w when w.Array == created => w with { Array = target },
                        var other => other,
                    };
                }
                _freshTemporaries.Remove(created);
                return;
            }
            if (target.Type.Kind == IrTypeKind.Array && value is IrVariableReference { Variable: var source } && !_freshTemporaries.Contains(source))
            {
                // Two names for one array would hide writes through one from the other's gradient.
                Report(DiagnosticDescriptors.UnsupportedConstruct, _originNode?.GetLocation() ?? Location.None,
                    "an array variable that aliases another array ('" + target.PreferredName + "' = '" + source.PreferredName + "')", _method.Name);
                return;
            }
            if (target.Type.Kind == IrTypeKind.Array && value is IrVariableReference { Variable: var fresh }
                && _current.Statements.LastOrDefault() is IrAssign { Value: not IrNewArray } definition && definition.Target == fresh)
            {
                _sharedArrays.Add(target); // a field's or a call's array: data the method reads but does not own
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
                && !(target.Type.IsDifferentiable && last.Value.ReadVariables().Contains(target) && SelfUpdate.Match(target, last.Value) is null)
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

        /// <summary>Temporaries holding a differentiable value converted to another type (boxed, or an array as an interface), and that value.</summary>
        private readonly Dictionary<IrVariable, IrVariable> _conversionSources = new();

        /// <summary>The operands through which a derivative would have to flow into a call: differentiable values, also when converted.</summary>
        private IEnumerable<IrExpression> DerivativeCarrying(IEnumerable<IrExpression> operands) =>
            operands.Select(o => o is IrVariableReference { Variable: var v } && _conversionSources.TryGetValue(v, out IrVariable? source) ? Read(source) : o)
                .SelectMany(o => o is IrVariableReference { Variable: var v } && _rebuiltStructs.TryGetValue(v, out ImmutableArray<IrExpression> leaves) ? leaves : ImmutableArray.Create(o))
                .Where(o => o.Type.CarriesDerivative);

        /// <summary>Array locals holding an array the method does not own (from a field, a property or a call).</summary>
        private readonly HashSet<IrVariable> _sharedArrays = new();

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

        private IrVariable Jump()
        {
            if (_jump is null)
            {
                _jump = _variables.Create("_jump", IrType.Int, IrVariableRole.Control);
                _jumpVariables.Add(_jump);
            }
            return _jump;
        }

        /// <summary>Every control variable made: the method's and one per inlined local function call.</summary>
        private readonly List<IrVariable> _jumpVariables = new();

        /// <summary>Above zero while the arguments of a void call are lowered.</summary>
        private int _effectArguments;

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

        private void SetOrigin(IOperation statement)
        {
            _origin = SourceText(statement.Syntax);
            _originNode = statement.Syntax;
        }

        private SyntaxNode? _originNode;

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

        /// <remarks>A local function inlined at several calls would report the same construct once per call: once is enough.</remarks>
        private void Report(DiagnosticDescriptor descriptor, Location location, params object[] arguments)
        {
            var diagnostic = new EngineDiagnostic(descriptor, location, arguments);
            if (!_diagnostics.Any(d => d.IsSameAs(diagnostic))) _diagnostics.Add(diagnostic);
        }

        /// <summary>A diagnostic that applies only if <paramref name="operand"/> turns out to be active.</summary>
        private void AddPending(IOperation operation, DiagnosticDescriptor descriptor, IrExpression operand, string subject, bool isError = false, string? extraArgument = null)
        {
            if (operand is IrArrayView { Array: var storage }) operand = storage; // a slice is active when its storage is
            if (operand is not IrVariableReference reference) return;
            object[] arguments = extraArgument is null ? new object[] { subject, _method.Name } : new object[] { subject, _method.Name, extraArgument };
            _pending.Add(new PendingDiagnostic(new EngineDiagnostic(descriptor, operation.Syntax.GetLocation(), arguments), reference.Variable));
        }

        /// <summary>ADG0204 for a non-smooth operation on <paramref name="operand"/>, should it turn out varied (off by default).</summary>
        private void AddNonSmoothPending(IOperation operation, IrExpression operand, string subject, string where, string subgradient)
        {
            if (operand is not IrVariableReference reference || _effectArguments > 0) return;
            var diagnostic = new EngineDiagnostic(DiagnosticDescriptors.NonSmoothOperation, operation.Syntax.GetLocation(), subject, _method.Name, where, subgradient);
            _pending.Add(new PendingDiagnostic(diagnostic, reference.Variable));
        }

        private static string DescribeUnsupported(IOperation operation) => DescribeUnsafe(operation.Syntax) ?? operation switch
        {
            ITryOperation => "a try/catch/finally statement",
            IUsingOperation or IUsingDeclarationOperation => "a using statement",
            ILockOperation => "a lock statement",
            IForEachLoopOperation => "a foreach loop",
            IBranchOperation { BranchKind: BranchKind.GoTo } => "a goto statement",
            IReturnOperation { Kind: OperationKind.YieldReturn or OperationKind.YieldBreak } => "a yield statement",
            ILabeledOperation => "a labeled statement",
            IDelegateCreationOperation { Target: IMethodReferenceOperation method } => "the method group '" + method.Method.Name + "' used as a delegate",
            IAnonymousFunctionOperation or IDelegateCreationOperation => "a lambda",
            IAwaitOperation => "an await",
            IArrayElementReferenceOperation { Type.TypeKind: TypeKind.Struct } => "'" + Describe(operation) + "', an element of an array of structs (arrays and spans of structs are not supported yet: keep the fields in arrays of doubles)",
            IArrayElementReferenceOperation => "'" + Describe(operation) + "' (a row of a jagged array is not a value: index it fully, m[i][j])",
            IArrayCreationOperation => "creating '" + Describe(operation) + "'",
            IObjectCreationOperation { Type: { } created } when StructParameters.Classify(created).Kind != StructKind.NotDifferentiable =>
                "the struct value '" + Describe(operation) + "' (struct values are not differentiated yet: keep its fields in double or float locals)",
            IWithOperation { Type: { } copied } when StructParameters.Classify(copied).Kind != StructKind.NotDifferentiable =>
                "the struct value '" + Describe(operation) + "' (struct values are not differentiated yet: keep its fields in double or float locals)",
            IObjectCreationOperation => "an object creation",
            IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicIndexerAccessOperation => "a dynamic operation",
            IAddressOfOperation => "a pointer operation",
            ITranslatedQueryOperation => "a LINQ query",
            IInvalidOperation => "code with errors",
            _ => "the " + operation.Kind + " '" + Describe(operation) + "'",
        };

        /// <summary>Pointers and unsafe code, named from the syntax (several of them have no IOperation of their own).</summary>
        private static string? DescribeUnsafe(SyntaxNode syntax) => syntax switch
        {
            FixedStatementSyntax => "a fixed statement (unsafe code)",
            UnsafeStatementSyntax => "an unsafe block",
            StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax => "stackalloc",
            PrefixUnaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.PointerIndirectionExpression } => "a pointer dereference (unsafe code)",
            PrefixUnaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.AddressOfExpression } => "taking an address (unsafe code)",
            MemberAccessExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.PointerMemberAccessExpression } => "a pointer member access (unsafe code)",
            SizeOfExpressionSyntax => "sizeof (unsafe code)",
            _ => null,
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

        /// <summary>Removes assignments to a control variable (the method's, or an inlined local function's) that no guard reads.</summary>
        private void RemoveUnreadControlAssignments(IrBlock root)
        {
            foreach (IrVariable jump in _jumpVariables)
            {
                if (IrWalker.AllStatements(root).Any(s => IrWalker.ReadsOf(s).Contains(jump))) continue;
                IrWalker.RemoveAssignmentsTo(root, jump);
            }
        }

        // ---------------------------------------------------------------- types

        public static IrType TypeOf(ITypeSymbol type) => TypeMapper.TypeOf(type);

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
