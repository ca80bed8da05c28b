using System;
using System.Collections.Generic;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>
    /// Writes the tangent (forward mode) of one span primitive call: a map's into the builder's target view, returning
    /// null; a reduction's as a scalar expression (null when zero).
    /// </summary>
    internal delegate IrExpression? SpanTangent(SpanTangentBuilder b);

    /// <summary>
    /// Forward-mode rules of the span-level primitives, beside their adjoints (RuleTable.Spans.cs) and with the same
    /// conventions: Sqrt and Norm have partial 0 where the root is 0, selections take the first argument on ties, Pow's
    /// ∂/∂y is 0 where x ≤ 0. Each tangent is TensorPrimitives calls (the tangent of a product is one Multiply and one
    /// MultiplyAdd), except the selections, Abs, Sqrt and Pow, whose per-element selects are loops in
    /// AutoDiffGen.Runtime.SpanTangents. b.Result is the map's output (never recomputed): exp(x), tanh(x), softmax(x).
    /// </summary>
    internal static partial class RuleTable
    {
        private static readonly Dictionary<SpanFunction, SpanTangent> SpanTangents = BuildSpanTangents();

        /// <summary>The forward-mode rule of a differentiable span primitive.</summary>
        public static SpanTangent TangentOf(SpanFunction function) =>
            SpanTangents.TryGetValue(function, out SpanTangent? tangent) ? tangent : throw new InvalidOperationException("No tangent rule for " + function + ".");

        private static Dictionary<SpanFunction, SpanTangent> BuildSpanTangents()
        {
            var rules = new Dictionary<SpanFunction, SpanTangent>();
            void Map(SpanFunction f, Action<SpanTangentBuilder> write) => rules.Add(f, b => { write(b); return null; });

            // ---- reductions: ṙ as a scalar expression.
            rules.Add(SpanFunction.Dot, b => b.Plus(
                b.TangentOf(0) is { } t0 ? b.Value(SpanFunction.Dot, t0, b.Span(1)) : null,
                b.TangentOf(1) is { } t1 ? b.Value(SpanFunction.Dot, b.Span(0), t1) : null));
            rules.Add(SpanFunction.Sum, b => b.TangentOf(0) is { } t ? b.Value(SpanFunction.Sum, t) : null);
            rules.Add(SpanFunction.SumOfSquares, b => b.TangentOf(0) is { } t ? b.S.Mul(b.S.Constant(2), b.Value(SpanFunction.Dot, b.Span(0), t)) : null);
            rules.Add(SpanFunction.Norm, b =>
            {
                // r = |x|: ṙ = x·ẋ / r, 0 where r = 0.
                if (b.TangentOf(0) is not { } t) return null;
                return b.S.If(b.S.Compare(IrBinaryOperator.Equals, b.Result, b.S.Zero), b.S.Zero, b.S.Div(b.Value(SpanFunction.Dot, b.Span(0), t), b.Result));
            });
            rules.Add(SpanFunction.CosineSimilarity, b =>
            {
                // r = x·y / (|x||y|): ṙ = (ẋ·y + x·ẏ) / (|x||y|) − r (x·ẋ / |x|² + y·ẏ / |y|²).
                IrExpression? tx = b.TangentOf(0), ty = b.TangentOf(1);
                if (tx is null && ty is null) return null;
                var t = b.S;
                IrExpression nx = b.Let(b.Value(SpanFunction.Norm, b.Span(0)));
                IrExpression ny = b.Let(b.Value(SpanFunction.Norm, b.Span(1)));
                IrExpression? cross = b.Plus(tx is null ? null : b.Value(SpanFunction.Dot, tx, b.Span(1)), ty is null ? null : b.Value(SpanFunction.Dot, b.Span(0), ty));
                IrExpression? self = b.Plus(tx is null ? null : t.Div(b.Value(SpanFunction.Dot, b.Span(0), tx), t.Mul(nx, nx)),
                    ty is null ? null : t.Div(b.Value(SpanFunction.Dot, b.Span(1), ty), t.Mul(ny, ny)));
                return t.Sub(t.Div(cross!, t.Mul(nx, ny)), t.Mul(b.Result, self!));
            });
            rules.Add(SpanFunction.Distance, b =>
            {
                // r = |x − y|: ṙ = (x − y)·(ẋ − ẏ) / r, 0 where r = 0.
                IrExpression? tx = b.TangentOf(0), ty = b.TangentOf(1);
                if (tx is null && ty is null) return null;
                var t = b.S;
                IrExpression? along = b.Plus(
                    tx is null ? null : t.Sub(b.Value(SpanFunction.Dot, b.Span(0), tx), b.Value(SpanFunction.Dot, b.Span(1), tx)),
                    ty is null ? null : t.Sub(b.Value(SpanFunction.Dot, b.Span(1), ty), b.Value(SpanFunction.Dot, b.Span(0), ty)));
                return t.If(t.Compare(IrBinaryOperator.Equals, b.Result, t.Zero), t.Zero, t.Div(along!, b.Result));
            });
            SpanTangent selected(SpanFunction index) => b =>
            {
                // The tangent of the element selected (the first one on ties, as IndexOfMax/IndexOfMin report).
                if (b.TangentOf(0) is not IrSpan { Variable: { } tangentArray } view) return null;
                IrExpression at = b.Let(b.Value(index, b.Span(0)), "_selected");
                IrExpression offset = view.Start is null ? at : new IrBinary(IrBinaryOperator.Add, view.Start, at, IrType.Int);
                return new IrElementRead(new IrVariableReference(tangentArray), System.Collections.Immutable.ImmutableArray.Create(offset), b.T);
            };
            rules.Add(SpanFunction.MaxOf, selected(SpanFunction.IndexOfMax));
            rules.Add(SpanFunction.MinOf, selected(SpanFunction.IndexOfMin));

            // ---- maps: ḋ written into b.Target.
            Map(SpanFunction.Add, b => { b.Term(b.TangentOf(0)); b.Term(b.TangentOf(1)); });
            Map(SpanFunction.AddScalar, b => { b.Term(b.TangentOf(0)); b.Term(b.TangentOf(1)); });
            Map(SpanFunction.Subtract, b => { b.Term(b.TangentOf(0)); b.Term(b.TangentOf(1), negate: true); });
            Map(SpanFunction.SubtractScalar, b => { b.Term(b.TangentOf(0)); b.Term(b.TangentOf(1), negate: true); });
            Map(SpanFunction.ScalarSubtract, b => { b.Term(b.TangentOf(0)); b.Term(b.TangentOf(1), negate: true); });
            Map(SpanFunction.Multiply, b => { b.Term(b.TangentOf(0), b.Span(1)); b.Term(b.TangentOf(1), b.Span(0)); });
            Map(SpanFunction.MultiplyScalar, b => { b.Term(b.TangentOf(0), b.Arg(1)); b.Term(b.TangentOf(1), b.Span(0)); });
            // d = x / y: ḋ = (ẋ − d ⊙ ẏ) / y; d = x / s: (ẋ − d·ṡ) / s; d = s / x: (ṡ − d ⊙ ẋ) / x.
            Map(SpanFunction.Divide, b => { b.Term(b.TangentOf(0)); b.Term(b.TangentOf(1), b.ResultSpan, negate: true); b.DivideBy(b.Span(1)); });
            Map(SpanFunction.DivideScalar, b => { b.Term(b.TangentOf(0)); b.Term(b.TangentOf(1), b.ResultSpan, negate: true); b.DivideBy(b.Arg(1)); });
            Map(SpanFunction.ScalarDivide, b => { b.Term(b.TangentOf(0)); b.Term(b.TangentOf(1), b.ResultSpan, negate: true); b.DivideBy(b.Span(1)); });
            Map(SpanFunction.MultiplyAdd, b => { b.Term(b.TangentOf(0), b.Span(1)); b.Term(b.TangentOf(1), b.Span(0)); b.Term(b.TangentOf(2)); });
            Map(SpanFunction.MultiplyAddScalarAddend, b => { b.Term(b.TangentOf(0), b.Span(1)); b.Term(b.TangentOf(1), b.Span(0)); b.Term(b.TangentOf(2)); });
            Map(SpanFunction.MultiplyAddScalarMultiplier, b => { b.Term(b.TangentOf(0), b.Arg(1)); b.Term(b.TangentOf(1), b.Span(0)); b.Term(b.TangentOf(2)); });
            Map(SpanFunction.Negate, b => b.Term(b.TangentOf(0), negate: true));
            Map(SpanFunction.Exp, b => b.Term(b.TangentOf(0), b.ResultSpan));
            Map(SpanFunction.Log, b => { b.Term(b.TangentOf(0)); b.DivideBy(b.Span(0)); });
            Map(SpanFunction.Tanh, b =>
            {
                // ḋ = ẋ ⊙ (1 − d²).
                if (b.TangentOf(0) is not { } t) return;
                IrSpan q = b.Scratch();
                b.Store(SpanFunction.Multiply, b.ResultSpan, b.ResultSpan, q);
                b.Store(SpanFunction.ScalarSubtract, b.S.One, q, q);
                b.Term(t, q);
            });
            Map(SpanFunction.Sigmoid, b =>
            {
                // ḋ = ẋ ⊙ d ⊙ (1 − d).
                if (b.TangentOf(0) is not { } t) return;
                IrSpan q = b.Scratch();
                b.Store(SpanFunction.ScalarSubtract, b.S.One, b.ResultSpan, q);
                b.Store(SpanFunction.Multiply, q, b.ResultSpan, q);
                b.Term(t, q);
            });
            Map(SpanFunction.SoftMax, b =>
            {
                // ḋ = d ⊙ (ẋ − d·ẋ).
                if (b.TangentOf(0) is not { } t) return;
                IrExpression mean = b.Let(b.Value(SpanFunction.Dot, b.ResultSpan, t));
                b.Term(t);
                b.Term(mean, negate: true);
                b.ScaleBy(b.ResultSpan);
            });
            Map(SpanFunction.Sqrt, b => { if (b.TangentOf(0) is { } t) b.WriteWith("SqrtTangent", b.ResultSpan, t, b.Target); });
            Map(SpanFunction.Abs, b => { if (b.TangentOf(0) is { } t) b.WriteWith("AbsTangent", b.Span(0), t, b.Target); });
            Map(SpanFunction.Max, b => Selection(b, "MaxTangent"));
            Map(SpanFunction.Min, b => Selection(b, "MinTangent"));
            Map(SpanFunction.MaxScalar, b => ScalarSelection(b, "MaxScalarTangent"));
            Map(SpanFunction.MinScalar, b => ScalarSelection(b, "MinScalarTangent"));
            Map(SpanFunction.Pow, b =>
            {
                if (b.TangentOf(0) is null && b.TangentOf(1) is null) return;
                b.WriteWith("PowTangent", b.Span(0), b.Span(1), b.ResultSpan, b.TangentOf(0), b.TangentOf(1), b.Target);
            });
            Map(SpanFunction.PowScalar, b =>
            {
                if (b.TangentOf(0) is null && b.TangentOf(1) is null) return;
                b.WriteWith("PowScalarTangent", b.Span(0), b.Arg(1), b.ResultSpan, b.TangentOf(0), b.ScalarTangentOrZero(1), b.Target);
            });
            return rules;
        }

        private static void Selection(SpanTangentBuilder b, string helper)
        {
            if (b.TangentOf(0) is null && b.TangentOf(1) is null) return;
            b.WriteWith(helper, b.Span(0), b.Span(1), b.TangentOf(0), b.TangentOf(1), b.Target);
        }

        private static void ScalarSelection(SpanTangentBuilder b, string helper)
        {
            if (b.TangentOf(0) is null && b.TangentOf(1) is null) return;
            b.WriteWith(helper, b.Span(0), b.Arg(1), b.TangentOf(0), b.ScalarTangentOrZero(1), b.Target);
        }
    }
}
