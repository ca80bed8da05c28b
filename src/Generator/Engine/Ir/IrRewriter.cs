using System;
using System.Collections.Immutable;
using System.Linq;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>Rebuilds expressions with some variable reads replaced.</summary>
    internal static class IrRewriter
    {
        /// <summary>The expression with each direct child mapped by <paramref name="map"/> (the node itself kept).</summary>
        public static IrExpression ReplaceChildren(IrExpression expression, Func<IrExpression, IrExpression> map)
        {
            ImmutableArray<IrExpression> All(ImmutableArray<IrExpression> items) => items.Select(map).ToImmutableArray();
            return expression switch
            {
                IrVariableReference or IrConstant or IrTapePop or IrSimdLaneCount => expression,
                IrUnary unary => unary with { Operand = map(unary.Operand) },
                IrBinary binary => binary with { Left = map(binary.Left), Right = map(binary.Right) },
                IrConvert convert => convert with { Operand = map(convert.Operand) },
                IrConditional conditional => conditional with { Condition = map(conditional.Condition), WhenTrue = map(conditional.WhenTrue), WhenFalse = map(conditional.WhenFalse) },
                IrMathCall call => call with { Arguments = All(call.Arguments) },
                IrDifferentiableCall call => call with { Receiver = call.Receiver is null ? null : map(call.Receiver), Arguments = All(call.Arguments) },
                IrOpaque opaque => opaque with { Arguments = All(opaque.Arguments) },
                IrElementRead read => read with { Array = map(read.Array), Indices = All(read.Indices) },
                IrNewArray array => array with { Lengths = All(array.Lengths) },
                IrZeroedArray zeroed => zeroed with { ShapeOf = map(zeroed.ShapeOf) },
                IrPoolReturn returned => returned with { Array = map(returned.Array) },
                IrBufferCall call => call with { Arguments = All(call.Arguments) },
                IrArrayView view => view with { Array = map(view.Array), Row = view.Row is null ? null : map(view.Row), Start = view.Start is null ? null : map(view.Start), Length = map(view.Length) },
                IrSpan span => span with { Array = map(span.Array), Start = span.Start is null ? null : map(span.Start), Length = span.Length is null ? null : map(span.Length) },
                IrSpanCall call => call with { Arguments = All(call.Arguments) },
                IrSimdCall call => call with { Arguments = All(call.Arguments) },
                _ => throw new InvalidOperationException("Cannot rewrite " + expression.GetType().Name + "."),
            };
        }

        /// <summary>
        /// Returns <paramref name="expression"/> with every read of a variable for which <paramref name="replacement"/>
        /// returns an expression replaced by that expression (applied again inside it).
        /// </summary>
        public static IrExpression Replace(IrExpression expression, Func<IrVariable, IrExpression?> replacement) =>
            expression is IrVariableReference reference
                ? replacement(reference.Variable) is { } replaced ? Replace(replaced, replacement) : reference
                : ReplaceChildren(expression, e => Replace(e, replacement));
    }
}
