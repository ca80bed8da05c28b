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
