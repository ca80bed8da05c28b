using System;
using System.Collections.Immutable;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Loops: <c>for</c>, <c>while</c>, <c>do</c> and <c>foreach</c> as one structured <see cref="IrLoop"/> with a head that decides whether to run the body; branch conditions.
    /// </summary>
    internal sealed partial class MethodLowering
    {
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
            if (TryLowerStructArrayForEach(forEach, collection))
            {
                return; // foreach (var q in p) over an array of structs (MethodLowering.StructArrays.cs)
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
    }
}
