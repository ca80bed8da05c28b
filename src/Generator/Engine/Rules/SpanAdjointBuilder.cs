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
    internal sealed class SpanAdjointBuilder : SpanRuleBuilder
    {
        private readonly Func<int, IrExpression?> _adjointOf;

        public SpanAdjointBuilder(IrType element, ImmutableArray<IrExpression> arguments, IrExpression seed, IrExpression? result,
            Func<int, IrExpression?> adjointOf, Func<IrType, string, IrVariable> variable, string? origin)
            : base(element, arguments, variable, origin)
        {
            Seed = seed;
            Result = result;
            _adjointOf = adjointOf;
        }

        /// <summary>The scalar adjoint of a reduction's result, or the seed view of a map's destination.</summary>
        public IrExpression Seed { get; }

        public IrSpan SeedSpan => (IrSpan)Seed;

        /// <summary>A reduction's value (its variable, which the reverse sweep still holds).</summary>
        public IrExpression? Result { get; }

        /// <summary>The adjoint view of a span argument, or null when it is inactive.</summary>
        public IrSpan? AdjointSpan(int argument) => _adjointOf(argument) as IrSpan;

        /// <summary>The scalar adjoint of a scalar argument, or null when it is inactive.</summary>
        public IrVariable? AdjointScalar(int argument) => _adjointOf(argument) is IrVariableReference { Variable: var v } ? v : null;

        public bool IsActive(int argument) => _adjointOf(argument) is not null;

        /// <summary>d(argument) += v, for a span argument (v a view).</summary>
        public void AddTo(int argument, IrSpan v)
        {
            if (AdjointSpan(argument) is { } d) Store(SpanFunction.Add, d, v, d);
        }

        /// <summary>d(argument) -= v, for a span argument.</summary>
        public void SubtractFrom(int argument, IrSpan v)
        {
            if (AdjointSpan(argument) is { } d) Store(SpanFunction.Subtract, d, v, d);
        }

        /// <summary>d(argument) += a · b, elementwise; b a view or a scalar.</summary>
        public void MultiplyAddTo(int argument, IrSpan a, IrExpression b)
        {
            if (AdjointSpan(argument) is not { } d) return;
            Store(b is IrSpan ? SpanFunction.MultiplyAdd : SpanFunction.MultiplyAddScalarMultiplier, a, b, d, d);
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
    }
}
