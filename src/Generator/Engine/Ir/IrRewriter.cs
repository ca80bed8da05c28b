using System;
using System.Collections.Immutable;
using System.Linq;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>Rebuilds expressions with some variable reads replaced.</summary>
    internal static class IrRewriter
    {
        /// <summary>
        /// Returns <paramref name="expression"/> with every read of a variable for which <paramref name="replacement"/>
        /// returns an expression replaced by that expression (applied again inside it).
        /// </summary>
        /// <summary>The expression with each direct child mapped by <paramref name="map"/> (the node itself kept).</summary>
        public static IrExpression ReplaceChildren(IrExpression expression, Func<IrExpression, IrExpression> map)
        {
            ImmutableArray<IrExpression> All(ImmutableArray<IrExpression> items) => items.Select(map).ToImmutableArray();
            return expression switch
            {
                IrVariableReference or IrConstant or IrTapePop => expression,
                IrUnary unary => unary with { Operand = map(unary.Operand) },
                IrBinary binary => binary with { Left = map(binary.Left), Right = map(binary.Right) },
                IrConvert convert => convert with { Operand = map(convert.Operand) },
                IrConditional conditional => conditional with { Condition = map(conditional.Condition), WhenTrue = map(conditional.WhenTrue), WhenFalse = map(conditional.WhenFalse) },
                IrMathCall call => call with { Arguments = All(call.Arguments) },
                IrDifferentiableCall call => call with { Receiver = call.Receiver is null ? null : map(call.Receiver), Arguments = All(call.Arguments) },
                IrOpaque opaque => opaque with { Arguments = All(opaque.Arguments) },
                IrElementRead read => read with { Array = map(read.Array), Indices = All(read.Indices) },
                IrNewArray array => array with { Lengths = All(array.Lengths) },
                _ => throw new InvalidOperationException("Cannot rewrite " + expression.GetType().Name + "."),
            };
        }

        public static IrExpression Replace(IrExpression expression, Func<IrVariable, IrExpression?> replacement)
        {
            IrExpression Visit(IrExpression e) => Replace(e, replacement);
            ImmutableArray<IrExpression> VisitAll(ImmutableArray<IrExpression> items) => items.Select(Visit).ToImmutableArray();

            return expression switch
            {
                IrVariableReference reference => replacement(reference.Variable) is { } replaced ? Visit(replaced) : reference,
                IrConstant or IrTapePop => expression,
                IrUnary unary => unary with { Operand = Visit(unary.Operand) },
                IrBinary binary => binary with { Left = Visit(binary.Left), Right = Visit(binary.Right) },
                IrConvert convert => convert with { Operand = Visit(convert.Operand) },
                IrConditional conditional => conditional with { Condition = Visit(conditional.Condition), WhenTrue = Visit(conditional.WhenTrue), WhenFalse = Visit(conditional.WhenFalse) },
                IrMathCall call => call with { Arguments = VisitAll(call.Arguments) },
                IrDifferentiableCall call => call with { Receiver = call.Receiver is null ? null : Visit(call.Receiver), Arguments = VisitAll(call.Arguments) },
                IrOpaque opaque => opaque with { Arguments = VisitAll(opaque.Arguments) },
                IrElementRead read => read with { Array = Visit(read.Array), Indices = VisitAll(read.Indices) },
                IrNewArray array => array with { Lengths = VisitAll(array.Lengths) },
                _ => throw new InvalidOperationException("Cannot rewrite " + expression.GetType().Name + "."),
            };
        }
    }
}
