using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>
    /// What both derivative builders of span rules write with (the adjoint's, <see cref="SpanAdjointBuilder"/>, and the
    /// tangent's, <see cref="SpanTangentBuilder"/>): the call's arguments, pooled scratch buffers, temporaries and
    /// span-level calls, emitted as IR statements in order. The transform gives the scratch buffers back after the last one.
    /// </summary>
    internal abstract class SpanRuleBuilder
    {
        private readonly Func<IrType, string, IrVariable> _variable;
        private readonly string? _origin;

        protected SpanRuleBuilder(IrType element, ImmutableArray<IrExpression> arguments, Func<IrType, string, IrVariable> variable, string? origin)
        {
            T = element;
            Arguments = arguments;
            _variable = variable;
            _origin = origin;
        }

        /// <summary>The element type: double or float.</summary>
        public IrType T { get; }

        /// <summary>Scalar expressions in <see cref="T"/>.</summary>
        public PartialBuilder S => new(T);

        public ImmutableArray<IrExpression> Arguments { get; }

        public List<IrStatement> Statements { get; } = new();

        /// <summary>Scratch buffers rented so far; the caller returns them after <see cref="Statements"/>.</summary>
        public List<IrVariable> ScratchBuffers { get; } = new();

        public IrSpan Span(int argument) => (IrSpan)Arguments[argument];

        public IrExpression Arg(int argument) => Arguments[argument];

        /// <summary>The element count of the call (its first span's).</summary>
        public IrExpression Length => Arguments.OfType<IrSpan>().First().LengthExpression;

        /// <summary>A pooled buffer of <see cref="Length"/> elements (its contents undefined until written).</summary>
        public IrSpan Scratch()
        {
            IrVariable buffer = _variable(IrType.ArrayOf(T, ArrayLayout.Vector), "_scratch");
            Add(new IrAssign(buffer, IrBufferCall.Rent(buffer.Type, Length)));
            ScratchBuffers.Add(buffer);
            return IrSpan.Prefix(buffer, Length);
        }

        /// <summary>A scalar computed once into a temporary.</summary>
        public IrExpression Let(IrExpression value, string name = "_t")
        {
            IrVariable variable = _variable(value.Type, name);
            Add(new IrAssign(variable, value));
            return new IrVariableReference(variable);
        }

        /// <summary><c>TensorPrimitives.F(args…)</c> writing its last argument.</summary>
        public void Store(SpanFunction function, params IrExpression[] arguments) => Add(StoreOf(function, arguments));

        /// <summary>The statement <c>TensorPrimitives.F(args…)</c>, writing its last argument.</summary>
        protected static IrSpanStore StoreOf(SpanFunction function, IrExpression[] arguments) =>
            new(new IrSpanCall(function, arguments.ToImmutableArray(), new IrType(IrTypeKind.Other, "void")));

        /// <summary>The value of a reduction (or a passive index) of the given arguments.</summary>
        public IrExpression Value(SpanFunction function, params IrExpression[] arguments)
        {
            IrType type = RuleTable.Of(function).Kind == SpanRuleKind.Passive ? IrType.Int : T;
            return new IrSpanCall(function, arguments.ToImmutableArray(), type);
        }

        public void Effect(IrExpression expression) => Add(new IrEffect(expression));

        public void Add(IrStatement statement) => Statements.Add(statement with { Origin = _origin });

        /// <summary>A call of a static helper of <c>AutoDiffGen.Runtime</c> with these operands (null: <paramref name="absent"/>).</summary>
        protected static IrOpaque RuntimeHelper(string owner, string method, IrExpression?[] arguments, IrExpression absent, IrType type)
        {
            var operands = arguments.Select(a => a ?? absent).ToImmutableArray();
            string placeholders = string.Join(", ", Enumerable.Range(0, operands.Length).Select(i => "{" + i + "}"));
            return new IrOpaque("global::AutoDiffGen.Runtime." + owner + "." + method + "(" + placeholders + ")", operands, type);
        }
    }
}
