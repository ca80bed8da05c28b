using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>
    /// What a span rule's adjoint is written with, beside what every span rule builder has: the seed (a scalar adjoint for
    /// a reduction, the destination's adjoint view for a map) and the operands' adjoints (views of the adjoint arrays, or
    /// scalar adjoints; null when inactive), which the reverse transform supplies.
    /// </summary>
    /// <remarks>
    /// Two situations of a map change what its adjoint may do, both decided by the reverse transform
    /// (ReverseModeTransform.Spans.cs):
    /// <list type="bullet">
    /// <item><see cref="Output"/>: a rule that <see cref="SpanRule.ReadsOutput"/> reads the destination's contents after the
    /// call (exp(x), tanh(x), softmax(x) are there) instead of recomputing them from its input.</item>
    /// <item>In place: the destination is exactly one of the inputs (<c>Tanh(h, h)</c>, <c>Add(z, b, z)</c>), so that
    /// input's adjoint view is the seed itself. A rule that supports it (<see cref="SpanRule.InPlaceAdjoint"/>) gives that
    /// input's contribution with <see cref="Contribute"/>, which then overwrites the seed (<c>g ← g ⊙ f</c>) after every
    /// other contribution has read it: no copy of the seed, no clearing, often no work at all (<c>Add</c>).</item>
    /// </list>
    /// </remarks>
    internal sealed class SpanAdjointBuilder : SpanRuleBuilder
    {
        private readonly Func<int, IrExpression?> _adjointOf;
        private readonly IrSpan? _output;
        private readonly int _inPlace;
        private readonly bool _inPlaceInputOverwritten;
        private readonly List<IrStatement> _deferred = new();

        /// <param name="output">The destination's contents after the call, for rules that read them (null otherwise).</param>
        /// <param name="inPlace">The input the destination is (its adjoint is the seed), or −1.</param>
        /// <param name="inPlaceInputOverwritten">The adjoint runs before that input's old contents come back: it holds the output, not the input.</param>
        public SpanAdjointBuilder(IrType element, ImmutableArray<IrExpression> arguments, IrExpression seed, IrExpression? result,
            Func<int, IrExpression?> adjointOf, Func<IrType, string, IrVariable> variable, string? origin,
            IrSpan? output = null, int inPlace = -1, bool inPlaceInputOverwritten = false)
            : base(element, arguments, variable, origin)
        {
            Seed = seed;
            Result = result;
            _adjointOf = adjointOf;
            _output = output;
            _inPlace = inPlace;
            _inPlaceInputOverwritten = inPlaceInputOverwritten;
        }

        /// <summary>The scalar adjoint of a reduction's result, or the seed view of a map's destination.</summary>
        public IrExpression Seed { get; }

        public IrSpan SeedSpan => (IrSpan)Seed;

        /// <summary>A reduction's value (its variable, which the reverse sweep still holds).</summary>
        public IrExpression? Result { get; }

        /// <summary>A map's output, y (the destination as the call left it, or a pooled copy of it): only for rules that read it.</summary>
        public IrSpan Output => _output ?? throw new InvalidOperationException("The rule does not declare that it reads its output.");

        /// <summary>Whether <paramref name="argument"/> is the destination itself, its adjoint the seed (see the remarks).</summary>
        public bool InPlace(int argument) => argument == _inPlace;

        /// <summary>The view of a span argument (of an in-place input: only once its old contents are back).</summary>
        public new IrSpan Span(int argument) =>
            InPlace(argument) && _inPlaceInputOverwritten
                ? throw new InvalidOperationException("The input is the destination and still holds the output: read Output instead.")
                : base.Span(argument);

        /// <summary>The adjoint view of a span argument, or null when it is inactive.</summary>
        public IrSpan? AdjointSpan(int argument) => _adjointOf(argument) as IrSpan;

        /// <summary>The scalar adjoint of a scalar argument, or null when it is inactive.</summary>
        public IrVariable? AdjointScalar(int argument) => _adjointOf(argument) is IrVariableReference { Variable: var v } ? v : null;

        public bool IsActive(int argument) => _adjointOf(argument) is not null;

        /// <summary>d(argument) += v, for a span argument (v a view).</summary>
        public void AddTo(int argument, IrSpan v)
        {
            if (AdjointSpan(Accumulated(argument)) is { } d) Store(SpanFunction.Add, d, v, d);
        }

        /// <summary>d(argument) -= v, for a span argument.</summary>
        public void SubtractFrom(int argument, IrSpan v)
        {
            if (AdjointSpan(Accumulated(argument)) is { } d) Store(SpanFunction.Subtract, d, v, d);
        }

        /// <summary>d(argument) += a · b, elementwise; b a view or a scalar.</summary>
        public void MultiplyAddTo(int argument, IrSpan a, IrExpression b)
        {
            if (AdjointSpan(Accumulated(argument)) is not { } d) return;
            Store(b is IrSpan ? SpanFunction.MultiplyAdd : SpanFunction.MultiplyAddScalarMultiplier, a, b, d, d);
        }

        /// <summary>
        /// The contribution g ⊙ f of the seed to a span argument, f a view, a scalar or null (1), negated when asked: added
        /// into its adjoint, or — the argument in place — written over the seed once every other contribution has read it.
        /// </summary>
        public void Contribute(int argument, IrExpression? factor, bool negate = false)
        {
            if (AdjointSpan(argument) is not { } d) return;
            IrSpan g = SeedSpan;
            if (negate && factor is IrSpan) throw new InvalidOperationException("A negated contribution takes a scalar factor.");
            IrExpression? scalar = factor is null or IrSpan ? null : negate ? S.Neg(factor) : factor;
            if (!InPlace(argument))
            {
                if (factor is IrSpan view) Store(SpanFunction.MultiplyAdd, g, view, d, d);
                else if (scalar is not null) Store(SpanFunction.MultiplyAddScalarMultiplier, g, scalar, d, d);
                else Store(negate ? SpanFunction.Subtract : SpanFunction.Add, d, g, d);
                return;
            }
            // g ← g ⊙ f: nothing to do for f = 1.
            if (factor is IrSpan f) Defer(SpanFunction.Multiply, g, f, g);
            else if (scalar is not null) Defer(SpanFunction.MultiplyScalar, g, scalar, g);
            else if (negate) Defer(SpanFunction.Negate, g, g);
        }

        /// <summary>The contribution g / v (v a view) to a span argument: added into its adjoint, or, in place, over the seed.</summary>
        public void ContributeQuotient(int argument, IrSpan divisor)
        {
            if (AdjointSpan(argument) is not { } d) return;
            if (InPlace(argument))
            {
                Defer(SpanFunction.Divide, SeedSpan, divisor, SeedSpan);
                return;
            }
            IrSpan q = Scratch();
            Store(SpanFunction.Divide, SeedSpan, divisor, q);
            Store(SpanFunction.Add, d, q, d);
        }

        /// <summary>d(argument) += v, for a scalar argument.</summary>
        public void AccumulateScalar(int argument, Func<IrExpression> value)
        {
            if (AdjointScalar(argument) is { } d) Add(new IrAccumulate(d, value()));
        }

        /// <summary>
        /// A helper of <c>AutoDiffGen.Runtime.SpanAdjoints</c> (the subgradients of selections, powers): a scalar loop
        /// there, because TensorPrimitives has no masked select. Inactive adjoints are passed as empty spans.
        /// </summary>
        public IrExpression RuntimeCall(string method, params IrExpression?[] arguments) =>
            RuntimeHelper("SpanAdjoints", method, arguments, new IrConstant(null, IrType.ArrayOf(T, ArrayLayout.Span)), T);

        /// <summary>The in-place contribution, after every statement that reads the seed; called once the rule is done.</summary>
        public void Finish()
        {
            foreach (IrStatement statement in _deferred) Add(statement);
            _deferred.Clear();
        }

        private void Defer(SpanFunction function, params IrExpression[] arguments) => _deferred.Add(StoreOf(function, arguments));

        /// <summary>An argument whose adjoint is added into; the in-place one's is the seed, which only <see cref="Contribute"/> may write.</summary>
        private int Accumulated(int argument) =>
            InPlace(argument) ? throw new InvalidOperationException("The in-place input's contribution goes through Contribute.") : argument;
    }
}
