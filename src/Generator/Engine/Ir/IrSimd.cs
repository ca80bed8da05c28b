using System.Collections.Generic;
using System.Collections.Immutable;

namespace AutoDiffGen.Generator.Engine.Ir
{
    // SIMD vector code (issue 13): how Vector<T> and Vector64/128/256/512<T> live in the IR.
    //
    // * A vector of double or float lanes is a value of kind IrTypeKind.SimdVector, a new kind beside the scalars and the
    //   arrays. Everything the engine does with a scalar it does with a vector, lane by lane: its adjoint and its tangent
    //   are vectors of the same type (zero is Vector<T>.Zero), a vector overwritten in a loop is taped (Tape<Vector<T>>)
    //   or saved like a scalar, and the operators' rules (+ − * / and unary −) are the scalar rules applied lane-wise.
    // * Where a vector meets a scalar (v * s, s * v, v / s, new Vector<T>(s), Vector.Sum(v), Vector.Dot(a, b)) the scalar is
    //   broadcast to every lane forward, so its adjoint is the lane sum of the vector adjoint (broadcast forward, reduce
    //   backward), and a reduction's scalar adjoint is broadcast back. The transforms adapt a product to its target's
    //   type with exactly these two operations (Rules/SimdTypes.Adapt): multiply first, then reduce or broadcast.
    // * The vector operations are IrSimdCall expressions, one rule each in the rule table (RuleTable.Simd.cs): Load,
    //   Broadcast, Sum, Dot, Sqrt, Abs, Max, Min, and the passive lane-wise comparisons and select their partials use.
    // * A load reads Count lanes at the start of an IrSpan view of an array or span variable (new Vector<T>(x.Slice(i)),
    //   new Vector<T>(a, i), Vector256.Create(span)); a store (v.CopyTo(span), v.CopyTo(a, i)) is the statement
    //   IrSimdStore. Both work on the array variable, as a[i] does, so the restore and activity machinery works per array:
    //   in reverse a load adds the vector adjoint into the same window of the array's adjoint (load, add, store), and a
    //   store moves the window's adjoint into the stored vector's adjoint and clears the window, exactly like an
    //   element read and an element write, lane-wise. The gradient stays SIMD.

    /// <summary>A vector operation of the rule table (<see cref="Rules.SimdFunction"/>): its value is a vector, a scalar (Sum, Dot) or a lane mask.</summary>
    internal sealed record IrSimdCall(Rules.SimdFunction Function, ImmutableArray<IrExpression> Arguments, IrType ResultType) : IrExpression(ResultType)
    {
        public override IEnumerable<IrExpression> Children => Arguments;

        /// <summary>The vector type the operation works in (its result's, or its first vector argument's for a reduction).</summary>
        public IrType VectorType => ResultType.IsSimdVector ? ResultType : FirstVectorArgument();

        private IrType FirstVectorArgument()
        {
            foreach (IrExpression argument in Arguments)
            {
                if (argument.Type.IsSimdVector) return argument.Type;
            }
            return ResultType;
        }
    }

    /// <summary>
    /// <c>Vector&lt;T&gt;.Count</c> (or <c>Vector256&lt;T&gt;.Count</c>…): an int fixed for the whole run, used as an operand
    /// like a constant. So <c>i += Vector&lt;double&gt;.Count</c> is inverted in reverse (<c>i -= Count</c>) rather than taped,
    /// and nothing reads it into a temporary.
    /// </summary>
    internal sealed record IrSimdLaneCount(IrType VectorType) : IrExpression(IrType.Int)
    {
        public override IEnumerable<IrExpression> Children => ImmutableArray<IrExpression>.Empty;
    }

    /// <summary>Windows of Count lanes.</summary>
    internal static class SimdViews
    {
        /// <summary>
        /// The same window of another array (an adjoint or tangent), writable. Unlike <see cref="IrSpan.Over"/> the length
        /// stays open when the load or store left it open (<c>new Vector&lt;T&gt;(a, i)</c>): only the first Count lanes are
        /// touched, and the other array (a pooled adjoint) may be longer than the viewed one.
        /// </summary>
        public static IrSpan Over(IrSpan view, IrVariable other) =>
            new(new IrVariableReference(other), view.Start, view.Length, IrType.ArrayOf(view.SpanType.Element!, ArrayLayout.Span));
    }

    /// <summary>
    /// <c>Value.CopyTo(Destination)</c>: stores a vector's lanes at the start of a view; with <see cref="Accumulate"/>, adds
    /// them to what the view holds (how the reverse sweep accumulates a loaded vector's adjoint into an adjoint array).
    /// </summary>
    internal sealed record IrSimdStore(IrSpan Destination, IrExpression Value) : IrStatement
    {
        /// <summary>Whether the lanes are added to the view's elements rather than stored over them.</summary>
        public bool Accumulate { get; init; }

        /// <summary>The array or span variable written.</summary>
        public IrVariable DestinationArray => Destination.Variable!;
    }
}
