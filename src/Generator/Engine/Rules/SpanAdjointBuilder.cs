using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>
    /// What a span rule's adjoint is written with: the call's arguments, the seed (a scalar adjoint for a reduction, the
    /// destination's adjoint view for a map), the operands' adjoints (views of the adjoint arrays, or scalar adjoints;
    /// null when inactive), pooled scratch buffers, and span-level calls. It emits IR statements in order; the reverse
    /// transform supplies the adjoints and gives the scratch buffers back after the last statement.
    /// </summary>
    internal sealed class SpanAdjointBuilder
    {
        private readonly Func<int, IrExpression?> _adjointOf;
        private readonly Func<IrType, string, IrVariable> _variable;
        private readonly string? _origin;

        public SpanAdjointBuilder(IrType element, ImmutableArray<IrExpression> arguments, IrExpression seed, IrExpression? result,
            Func<int, IrExpression?> adjointOf, Func<IrType, string, IrVariable> variable, string? origin)
        {
            T = element;
            Arguments = arguments;
            Seed = seed;
            Result = result;
            _adjointOf = adjointOf;
            _variable = variable;
            _origin = origin;
        }

        /// <summary>The element type: double or float.</summary>
        public IrType T { get; }

        /// <summary>Scalar expressions in <see cref="T"/>.</summary>
        public PartialBuilder S => new(T);

        public ImmutableArray<IrExpression> Arguments { get; }

        /// <summary>The scalar adjoint of a reduction's result, or the seed view of a map's destination.</summary>
        public IrExpression Seed { get; }

        public IrSpan SeedSpan => (IrSpan)Seed;

        /// <summary>A reduction's value (its variable, which the reverse sweep still holds).</summary>
        public IrExpression? Result { get; }

        public List<IrStatement> Statements { get; } = new();

        /// <summary>Scratch buffers rented so far; the caller returns them after <see cref="Statements"/>.</summary>
        public List<IrVariable> ScratchBuffers { get; } = new();

        public IrSpan Span(int argument) => (IrSpan)Arguments[argument];

        public IrExpression Arg(int argument) => Arguments[argument];

        /// <summary>The element count of the call (its first span's).</summary>
        public IrExpression Length => Arguments.OfType<IrSpan>().First().LengthExpression;

        /// <summary>The adjoint view of a span argument, or null when it is inactive.</summary>
        public IrSpan? AdjointSpan(int argument) => _adjointOf(argument) as IrSpan;

        /// <summary>The scalar adjoint of a scalar argument, or null when it is inactive.</summary>
        public IrVariable? AdjointScalar(int argument) => _adjointOf(argument) is IrVariableReference { Variable: var v } ? v : null;

        public bool IsActive(int argument) => _adjointOf(argument) is not null;

        /// <summary>A pooled buffer of <see cref="Length"/> elements (its contents undefined until written).</summary>
        public IrSpan Scratch()
        {
            IrVariable buffer = _variable(IrType.ArrayOf(T, ArrayLayout.Vector), "_scratch");
            Add(new IrAssign(buffer, new IrOpaque("global::AutoDiffGen.Runtime.SpanBuffers.Rent<" + T.CSharpName + ">({0})", ImmutableArray.Create(Length), buffer.Type)));
            ScratchBuffers.Add(buffer);
            return IrSpan.Prefix(buffer, Length);
        }

        /// <summary>A scalar computed once into a temporary of the reverse sweep.</summary>
        public IrExpression Let(IrExpression value, string name = "_t")
        {
            IrVariable variable = _variable(value.Type, name);
            Add(new IrAssign(variable, value));
            return new IrVariableReference(variable);
        }

        /// <summary><c>TensorPrimitives.F(args…)</c> writing its last argument.</summary>
        public void Store(SpanFunction function, params IrExpression[] arguments) =>
            Add(new IrSpanStore(new IrSpanCall(function, arguments.ToImmutableArray(), new IrType(IrTypeKind.Other, "void"))));

        /// <summary>The value of a reduction (or a passive index) of the given arguments.</summary>
        public IrExpression Value(SpanFunction function, params IrExpression[] arguments)
        {
            IrType type = RuleTable.Of(function).Kind == SpanRuleKind.Passive ? IrType.Int : T;
            return new IrSpanCall(function, arguments.ToImmutableArray(), type);
        }

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
        public IrExpression RuntimeCall(string method, params IrExpression?[] arguments)
        {
            var operands = arguments.Select(a => a ?? new IrConstant(null, IrType.ArrayOf(T, ArrayLayout.Span))).ToImmutableArray();
            string placeholders = string.Join(", ", Enumerable.Range(0, operands.Length).Select(i => "{" + i + "}"));
            return new IrOpaque("global::AutoDiffGen.Runtime.SpanAdjoints." + method + "(" + placeholders + ")", operands, T);
        }

        public void Effect(IrExpression expression) => Add(new IrEffect(expression));

        public void Add(IrStatement statement) => Statements.Add(statement with { Origin = _origin });
    }
}
