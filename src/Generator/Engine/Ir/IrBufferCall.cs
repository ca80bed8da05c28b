using System.Collections.Generic;
using System.Collections.Immutable;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>
    /// What the transforms do with the buffers around adjoint and tangent arrays, beside <see cref="IrZeroedArray"/> and
    /// <see cref="IrPoolReturn"/>: rent scratch space, copy a view away and back, clear it, add an adjoint into the caller's
    /// gradient. Typed, so a later pass (fusion, a second transform, the interpreter) knows what each one reads and writes
    /// without reading C#; the emitter alone knows the runtime method that does it.
    /// </summary>
    internal enum BufferOperation
    {
        /// <summary>A pooled array of at least <c>length</c> elements, contents undefined: <c>SpanBuffers.Rent&lt;E&gt;(length)</c>.</summary>
        Rent,

        /// <summary>A pooled array holding a copy of the span: <c>SpanBuffers.RentCopy(source)</c>.</summary>
        RentCopy,

        /// <summary>Gives a <see cref="Rent"/> or <see cref="RentCopy"/> array back: <c>SpanBuffers.Return(buffer)</c>.</summary>
        Return,

        /// <summary>Copies a view into another of the same length: <c>SpanBuffers.Copy(source, destination)</c>.</summary>
        CopySpan,

        /// <summary>Zeroes a view: <c>SpanBuffers.Clear(span)</c>.</summary>
        ClearSpan,

        /// <summary>Zeroes a caller's span: <c>span.Clear()</c>.</summary>
        Clear,

        /// <summary>Sets every element of a view to a scalar: <c>span.Fill(value)</c>.</summary>
        Fill,

        /// <summary>Copies a whole span into an array at least as long: <c>source.CopyTo(destination)</c>.</summary>
        CopyTo,

        /// <summary>
        /// Copies the first <c>destination.Length</c> elements of a (longer, pooled) array back into the destination:
        /// <c>AsSpan(source, 0, destination.Length).CopyTo(destination)</c>.
        /// </summary>
        CopyPrefixTo,

        /// <summary>Adds an array into another of the same shape (vector, matrix or jagged): <c>AdjointArrays.AddTo(source, destination)</c>.</summary>
        AddTo,
    }

    /// <summary>
    /// A buffer operation (see <see cref="BufferOperation"/>) on its operands: <see cref="Rent"/> takes the element count
    /// and has the array's type; the others take their spans or arrays in the order the operation's summary names them,
    /// and are evaluated for their effect.
    /// </summary>
    internal sealed record IrBufferCall(BufferOperation Operation, ImmutableArray<IrExpression> Arguments, IrType ResultType) : IrExpression(ResultType)
    {
        public override IEnumerable<IrExpression> Children => Arguments;

        private static readonly IrType Void = new(IrTypeKind.Other, "void");

        /// <summary>A pooled array of type <paramref name="arrayType"/> with at least <paramref name="length"/> elements.</summary>
        public static IrBufferCall Rent(IrType arrayType, IrExpression length) => new(BufferOperation.Rent, ImmutableArray.Create(length), arrayType);

        /// <summary>A pooled copy of <paramref name="source"/>, of type <paramref name="arrayType"/>.</summary>
        public static IrBufferCall RentCopy(IrType arrayType, IrExpression source) => new(BufferOperation.RentCopy, ImmutableArray.Create(source), arrayType);

        /// <summary>An operation evaluated for its effect (every kind but <see cref="BufferOperation.Rent"/> and <see cref="BufferOperation.RentCopy"/>).</summary>
        public static IrEffect Effect(BufferOperation operation, params IrExpression[] arguments) =>
            new(new IrBufferCall(operation, ImmutableArray.Create(arguments), Void));

        /// <summary>
        /// Whether the operation is one of the pooled span buffers' (rent, copy, clear, return of a view): it reads and writes
        /// only what it names, so loop fusion may move it with the iteration that owns those buffers.
        /// </summary>
        public bool IsSpanBufferOperation =>
            Operation is BufferOperation.Rent or BufferOperation.RentCopy or BufferOperation.Return or BufferOperation.CopySpan or BufferOperation.ClearSpan;
    }
}
