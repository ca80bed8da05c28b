using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Statements: statement lists, the <c>if (…) return …;</c> shape whose rest becomes the else branch, embedded statements and local declarations.
    /// </summary>
    internal sealed partial class MethodLowering
    {
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
                    // An inlined body's result is a fresh local per call, assigned before the call's value is read.
                    if (_inlining.Count > 0) MarkDeclaration(_resultVariable);
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
            if (TryDeclareStructArrayLocal(declarator, initializer))
            {
                return; // one local array per leaf (MethodLowering.StructArrays.cs)
            }
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
                    or Microsoft.CodeAnalysis.CSharp.Syntax.StackAllocArrayCreationExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.ImplicitStackAllocArrayCreationExpressionSyntax)
                // A slice of a local the element-wise mechanism declared (a range, a stackalloc) is one of its views too.
                || initializer is not null && initializer.Value.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(r => _viewLocals.ContainsKey(r.Local));
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
                MarkDeclaration(variable);
            }
        }

        /// <summary>
        /// Marks the statement just added, when it assigns <paramref name="variable"/>, as its declaration: the variable
        /// starts there (a loop's passes then know it carries no value from one iteration to the next).
        /// </summary>
        private void MarkDeclaration(IrVariable variable)
        {
            if (_current.Statements.Count > 0 && _current.Statements[_current.Statements.Count - 1] is IrAssign { } declaration && declaration.Target == variable)
            {
                _current.Statements[_current.Statements.Count - 1] = declaration with { IsDeclaration = true };
            }
        }
    }
}
