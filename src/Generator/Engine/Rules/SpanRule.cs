using System;
using System.Collections.Immutable;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>The span-level primitives of the rule table: one member per TensorPrimitives overload shape.</summary>
    internal enum SpanFunction
    {
        // Reductions: a scalar of the spans.
        Dot, Sum, SumOfSquares, Norm, CosineSimilarity, Distance, MaxOf, MinOf,
        // Maps: element-wise into a destination. "Scalar" is a T argument in that position.
        Add, AddScalar, Subtract, SubtractScalar, ScalarSubtract, Multiply, MultiplyScalar,
        Divide, DivideScalar, ScalarDivide,
        MultiplyAdd, MultiplyAddScalarAddend, MultiplyAddScalarMultiplier,
        Negate, Abs, Exp, Log, Sqrt, Tanh, Sigmoid, SoftMax,
        Max, MaxScalar, Min, MinScalar, Pow, PowScalar,
        // Used by adjoints only (passive: an index).
        IndexOfMax, IndexOfMin,
    }

    /// <summary>A parameter of a span-level primitive.</summary>
    internal enum SpanParameter
    {
        /// <summary>A <c>ReadOnlySpan&lt;T&gt;</c> input.</summary>
        Span,
        /// <summary>A <c>T</c> input.</summary>
        Scalar,
        /// <summary>The <c>Span&lt;T&gt;</c> destination (last).</summary>
        Destination,
    }

    internal enum SpanRuleKind
    {
        /// <summary>Returns a T computed from its spans.</summary>
        Reduction,
        /// <summary>Writes its destination element-wise (SoftMax: from all of its input).</summary>
        Map,
        /// <summary>Returns a passive value (an index): used by adjoints, never differentiated.</summary>
        Passive,
    }

    /// <summary>Writes the reverse of one primitive call as statements (mostly TensorPrimitives calls): see <see cref="SpanAdjointBuilder"/>.</summary>
    internal delegate void SpanAdjoint(SpanAdjointBuilder b);

    /// <summary>
    /// One span-level entry of the rule table (<see cref="RuleTable"/>): what lowering matches (owner, name and parameter
    /// shape), how generated code spells it, and its adjoint, written as span-level calls so the gradient stays
    /// vectorized. Non-smooth entries (Abs, Max, Min) name the subgradient they use, as the scalar rules do.
    /// </summary>
    internal sealed class SpanRule
    {
        public SpanRule(SpanFunction function, string name, SpanRuleKind kind, ImmutableArray<SpanParameter> parameters, SpanAdjoint? adjoint)
        {
            Function = function;
            Name = name;
            Kind = kind;
            Parameters = parameters;
            Adjoint = adjoint;
        }

        public SpanFunction Function { get; }

        /// <summary>The member name of <c>System.Numerics.Tensors.TensorPrimitives</c>.</summary>
        public string Name { get; }

        public SpanRuleKind Kind { get; }

        public ImmutableArray<SpanParameter> Parameters { get; }

        public SpanAdjoint? Adjoint { get; }

        /// <summary>Where it is not differentiable and the subgradient used there (ADG0204 wording); null when smooth.</summary>
        public NonSmoothness? NonSmooth { get; init; }

        /// <summary>
        /// A map whose adjoint reads its output (<see cref="SpanAdjointBuilder.Output"/>: exp(x), tanh(x), softmax(x)) rather
        /// than recomputing it from its input; the reverse sweep then runs it before the destination's old contents come back.
        /// </summary>
        public bool ReadsOutput { get; init; }

        /// <summary>
        /// A map whose adjoint supports the destination being exactly one of its inputs by giving that input's contribution
        /// through <see cref="SpanAdjointBuilder.Contribute"/> (or <see cref="SpanAdjointBuilder.InPlace"/>): the seed is then
        /// updated in place, not copied. Other maps get a pooled copy of the seed in that case.
        /// </summary>
        public bool InPlaceAdjoint { get; init; }

        /// <summary>Whether the destination may be the very same memory as a span input (TensorPrimitives allows exact overlap for element-wise maps).</summary>
        public bool AllowsInPlace => Kind == SpanRuleKind.Map;

        public const string Owner = "global::System.Numerics.Tensors.TensorPrimitives";

        public string Spelling => Owner + "." + Name;

        public override string ToString() => Function.ToString();

        public void BuildAdjoint(SpanAdjointBuilder builder)
        {
            (Adjoint ?? throw new InvalidOperationException("No adjoint for " + Name + "."))(builder);
            builder.Finish();
        }
    }
}
