using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>
    /// What a span rule's tangent (forward mode) is written with: the call's arguments, the operands' tangents (views of
    /// the tangent arrays, or scalar tangents; null when inactive), the call's value (a reduction's result variable, or a
    /// view holding a map's output), pooled scratch buffers and span-level calls.
    /// </summary>
    /// <remarks>
    /// A map's tangent is a sum of terms written into <see cref="Target"/> with <see cref="Term"/>, each one
    /// TensorPrimitives call (the first term writes, the next ones add: <c>ṫ = ẋ ⊙ y</c> then <c>ṫ += x ⊙ ẏ</c> is one
    /// <c>Multiply</c> and one <c>MultiplyAdd</c>), then optionally scaled or divided element-wise. The terms never read
    /// the target, so a target that is also the tangent of an operand would be wrong: the tangent transform then gives a
    /// scratch target and copies it over. <see cref="Finish"/> clears the target when no operand had a tangent.
    /// </remarks>
    internal sealed class SpanTangentBuilder : SpanRuleBuilder
    {
        private readonly Func<int, IrExpression?> _tangentOf;
        private bool _written;

        public SpanTangentBuilder(IrType element, ImmutableArray<IrExpression> arguments, IrExpression result, IrSpan? target,
            Func<int, IrExpression?> tangentOf, Func<IrType, string, IrVariable> variable, string? origin)
            : base(element, arguments, variable, origin)
        {
            Result = result;
            Target = target;
            _tangentOf = tangentOf;
        }

        /// <summary>A reduction's value (its variable), or a view holding a map's output (the destination, or a scratch copy of it).</summary>
        public IrExpression Result { get; }

        public IrSpan ResultSpan => (IrSpan)Result;

        /// <summary>For a map: the view its tangent is written into.</summary>
        public IrSpan? Target { get; }

        /// <summary>The tangent of an argument: a view of a span's tangent array, a scalar's tangent, or null when it is passive.</summary>
        public IrExpression? TangentOf(int argument) => _tangentOf(argument);

        /// <summary>
        /// Adds <c>± tangent · factor</c> to the target (nothing when <paramref name="tangent"/> is null): the tangent is a
        /// view or a scalar, the factor a view, a scalar or null (1). A scalar tangent without a factor is broadcast.
        /// </summary>
        public void Term(IrExpression? tangent, IrExpression? factor = null, bool negate = false)
        {
            if (tangent is null) return;
            IrSpan target = Target!;
            if (tangent is not IrSpan && factor is not IrSpan)
            {
                // A scalar term: broadcast (a scalar tangent times a scalar factor).
                IrExpression value = factor is null ? tangent : S.Mul(tangent, factor);
                if (negate) value = S.Neg(value);
                if (_written) Store(SpanFunction.AddScalar, target, value, target);
                else Add(IrBufferCall.Effect(BufferOperation.Fill, target, value));
                _written = true;
                return;
            }
            // At least one view: (view, null) is a copy or a negation, (view, view) and (view, scalar) products.
            IrSpan span = tangent as IrSpan ?? (IrSpan)factor!;
            IrExpression? other = tangent is IrSpan ? factor : tangent;
            if (negate && other is not null && other is not IrSpan) { other = S.Neg(other); negate = false; }
            if (other is null)
            {
                if (!_written && negate) Store(SpanFunction.Negate, span, target);
                else if (!_written) Add(IrBufferCall.Effect(BufferOperation.CopySpan, span, target));
                else Store(negate ? SpanFunction.Subtract : SpanFunction.Add, target, span, target);
            }
            else if (!negate)
            {
                SpanFunction multiply = other is IrSpan ? SpanFunction.Multiply : SpanFunction.MultiplyScalar;
                if (!_written) Store(multiply, span, other, target);
                else Store(other is IrSpan ? SpanFunction.MultiplyAdd : SpanFunction.MultiplyAddScalarMultiplier, span, other, target, target);
            }
            else
            {
                // − view ⊙ view: the product into scratch, then subtracted (or negated into the target).
                IrSpan product = Scratch();
                Store(SpanFunction.Multiply, span, other, product);
                if (_written) Store(SpanFunction.Subtract, target, product, target);
                else Store(SpanFunction.Negate, product, target);
            }
            _written = true;
        }

        /// <summary>a + b for scalar tangent terms, either of which may be null (zero).</summary>
        public IrExpression? Plus(IrExpression? a, IrExpression? b) => a is null ? b : b is null ? a : S.Add(a, b);

        /// <summary>The target ⊙= factor (a view) or ·= factor (a scalar), once it has terms.</summary>
        public void ScaleBy(IrExpression factor)
        {
            if (_written) Store(factor is IrSpan ? SpanFunction.Multiply : SpanFunction.MultiplyScalar, Target!, factor, Target!);
        }

        /// <summary>The target ⊘= divisor (a view) or /= divisor (a scalar), once it has terms.</summary>
        public void DivideBy(IrExpression divisor)
        {
            if (_written) Store(divisor is IrSpan ? SpanFunction.Divide : SpanFunction.DivideScalar, Target!, divisor, Target!);
        }

        /// <summary>
        /// A helper of <c>AutoDiffGen.Runtime.SpanTangents</c> that writes the whole target (a select per element, which
        /// TensorPrimitives cannot express); passive tangents are passed as empty spans, passive scalar tangents as 0.
        /// </summary>
        public void WriteWith(string method, params IrExpression?[] arguments)
        {
            Effect(RuntimeHelper("SpanTangents", method, arguments, new IrConstant(null, IrType.ArrayOf(T, ArrayLayout.ReadOnlySpan)), new IrType(IrTypeKind.Other, "void")));
            _written = true;
        }

        /// <summary>A passive scalar tangent for <see cref="WriteWith"/>: zero.</summary>
        public IrExpression ScalarTangentOrZero(int argument) => TangentOf(argument) ?? S.Zero;

        /// <summary>Clears the target when no term was written (every operand passive: the tangent is zero).</summary>
        public void Finish()
        {
            if (!_written && Target is not null)
            {
                Add(IrBufferCall.Effect(BufferOperation.ClearSpan, Target));
            }
        }
    }
}
