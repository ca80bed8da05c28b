using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace AutoDiffGen.Generator.Engine.Ir
{
    // Span-level primitives (issue 13): how a TensorPrimitives call lives in the IR.
    //
    // * A span operand is never a variable of its own: it is a view, IrSpan(array, start, length), of an array or span
    //   variable (x, x.AsSpan(s, n), x.Slice(s, n), new ReadOnlySpan<T>(x, s, n)). The engine reasons about the array
    //   variable, as it does for a[i]: a view's adjoint is the same view of the array's adjoint, so slices need no
    //   aliasing analysis, and the existing restore/activity machinery works per array.
    // * A reduction (Dot, Sum, Norm, …) is an expression, IrSpanCall, assigned to a scalar temporary like a Math call;
    //   its reverse is TensorPrimitives calls on the adjoint views (Dot: two MultiplyAdds).
    // * A map (Add, Exp, SoftMax, … writing a destination) is the statement IrSpanStore; its destination is its call's
    //   last argument. In reverse: the destination's adjoint view is the seed g, g flows into the operands' adjoints
    //   through the rule's TensorPrimitives calls, the view is cleared, and the destination's old contents come back if
    //   the reverse sweep reads them (a pooled copy outside loops, the tape inside; liveness and fusion drop the restores
    //   nothing reads). Rules whose partials are functions of the output (exp, tanh, softmax) read it from the
    //   destination before its old contents come back: the reverse of every later write has restored it by then. When
    //   the destination is exactly one operand (Tanh(h, h)) that operand's contribution updates g in place; any other
    //   sharing of the destination's array copies g (and the output) to pooled buffers first
    //   (ReverseModeTransform.Spans.cs).
    // * Only code that calls TensorPrimitives produces these nodes, so generated code names TensorPrimitives only when
    //   the user's project references System.Numerics.Tensors; the helpers in AutoDiffGen.Runtime that the rules use
    //   (scratch buffers, span tapes, the subgradients of the selections) depend on nothing but System.Memory.

    /// <summary>A span view <c>Array[Start .. Start + Length]</c> of an array or span variable (the whole of it when Start is null).</summary>
    internal sealed record IrSpan(IrExpression Array, IrExpression? Start, IrExpression? Length, IrType SpanType) : IrExpression(SpanType)
    {
        public override IEnumerable<IrExpression> Children
        {
            get
            {
                yield return Array;
                if (Start is not null) yield return Start;
                if (Length is not null) yield return Length;
            }
        }

        /// <summary>The array variable viewed.</summary>
        public IrVariable? Variable => Array is IrVariableReference { Variable: var v } ? v : null;

        /// <summary>The same view of another array (an adjoint, a scratch buffer), as a writable span.</summary>
        /// <remarks>The length is always explicit: an adjoint or scratch array may be a longer pooled buffer.</remarks>
        public IrSpan Over(IrVariable other) =>
            new(new IrVariableReference(other), Start, LengthExpression, IrType.ArrayOf(SpanType.Element!, ArrayLayout.Span));

        /// <summary>The first <paramref name="length"/> elements of a (possibly longer, pooled) buffer.</summary>
        public static IrSpan Prefix(IrVariable buffer, IrExpression length) =>
            new(new IrVariableReference(buffer), IrConstant.Of(0), length, IrType.ArrayOf(buffer.Type.Element!, ArrayLayout.Span));

        /// <summary>How many elements the view has.</summary>
        public IrExpression LengthExpression => Length ?? new IrOpaque("{0}.Length", ImmutableArray.Create(Array), IrType.Int);
    }

    /// <summary>
    /// A call of a span-level primitive of the rule table (<see cref="Rules.SpanFunction"/>): a reduction's value, or,
    /// inside an <see cref="IrSpanStore"/>, a map writing its last argument.
    /// </summary>
    internal sealed record IrSpanCall(Rules.SpanFunction Function, ImmutableArray<IrExpression> Arguments, IrType ResultType) : IrExpression(ResultType)
    {
        public override IEnumerable<IrExpression> Children => Arguments;

        /// <summary>For a map: the destination view (its last argument).</summary>
        public IrSpan Destination => (IrSpan)Arguments[Arguments.Length - 1];

        /// <summary>The element type (double or float) the primitive works in.</summary>
        public IrType Element => Arguments.OfType<IrSpan>().First().SpanType.Element!;
    }

    /// <summary><c>TensorPrimitives.F(args…, destination)</c>: a map that writes its destination view.</summary>
    internal sealed record IrSpanStore(IrSpanCall Call) : IrStatement
    {
        public IrVariable DestinationArray => Call.Destination.Variable!;
    }

    /// <summary>Records a view's elements on the tape of its element type (a destination about to be overwritten inside a loop).</summary>
    internal sealed record IrTapePushSpan(IrSpan Source) : IrStatement;

    /// <summary>Takes the elements recorded last by <see cref="IrTapePushSpan"/> back into a view of the same length.</summary>
    internal sealed record IrTapePopSpan(IrSpan Target) : IrStatement;
}
