using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>
    /// The span-level part of the rule table: <c>System.Numerics.Tensors.TensorPrimitives</c> on spans of double or float.
    /// Each adjoint is written with TensorPrimitives calls on the adjoint views (the reverse of <c>Dot</c> is two
    /// <c>MultiplyAdd</c>s), so the gradient runs at the primal's SIMD speed; only the selections (Abs, element-wise
    /// Max/Min) and Pow, whose partials need a masked select or a logarithm guarded at 0, use the scalar loops of
    /// <c>AutoDiffGen.Runtime.SpanAdjoints</c>. Maps whose partials are functions of their output (exp, tanh, sigmoid,
    /// softmax, sqrt) read it from the destination (the reverse sweep restores later overwrites first) instead of
    /// recomputing it; element-wise maps whose destination is one of their inputs update the seed in place.
    /// </summary>
    internal static partial class RuleTable
    {
        private static readonly SpanRule[] SpanByFunction = BuildSpanRules();

        public static SpanRule Of(SpanFunction function) => SpanByFunction[(int)function];

        /// <summary>Every span-level rule, in <see cref="SpanFunction"/> order.</summary>
        public static IReadOnlyList<SpanRule> SpanRules => SpanByFunction;

        /// <summary>The span rule for <c>TensorPrimitives.<paramref name="name"/></c> with these parameters, if the table has one.</summary>
        public static SpanRule? FindSpan(string name, IReadOnlyList<SpanParameter> parameters, bool returnsValue) =>
            SpanByFunction.FirstOrDefault(r => r.Name == name && r.Kind != SpanRuleKind.Passive
                && (r.Kind == SpanRuleKind.Reduction) == returnsValue && r.Parameters.SequenceEqual(parameters));

        private static readonly NonSmoothness SelectionTies = new("where its arguments are equal", "the derivative of the first argument");

        private static SpanRule[] BuildSpanRules()
        {
            const SpanParameter X = SpanParameter.Span, S = SpanParameter.Scalar, D = SpanParameter.Destination;
            var rules = new List<SpanRule>();
            void Reduction(SpanFunction f, string name, SpanParameter[] ps, SpanAdjoint adjoint, NonSmoothness? nonSmooth = null) =>
                rules.Add(new SpanRule(f, name, SpanRuleKind.Reduction, ps.ToImmutableArray(), adjoint) { NonSmooth = nonSmooth });
            void Map(SpanFunction f, string name, SpanParameter[] ps, SpanAdjoint adjoint, NonSmoothness? nonSmooth = null, bool output = false) =>
                rules.Add(new SpanRule(f, name, SpanRuleKind.Map, ps.ToImmutableArray(), adjoint) { NonSmooth = nonSmooth, ReadsOutput = output });

            // ---- reductions; b.Seed is the scalar adjoint s of the result r.
            Reduction(SpanFunction.Dot, "Dot", new[] { X, X }, b =>
            {
                // r = x·y: dx += s·y, dy += s·x.
                b.MultiplyAddTo(0, b.Span(1), b.Seed);
                b.MultiplyAddTo(1, b.Span(0), b.Seed);
            });
            Reduction(SpanFunction.Sum, "Sum", new[] { X }, b =>
            {
                if (b.AdjointSpan(0) is { } d) b.Store(SpanFunction.AddScalar, d, b.Seed, d);
            });
            Reduction(SpanFunction.SumOfSquares, "SumOfSquares", new[] { X }, b => b.MultiplyAddTo(0, b.Span(0), b.S.Mul(b.S.Constant(2), b.Seed)));
            Reduction(SpanFunction.Norm, "Norm", new[] { X }, b =>
            {
                // r = |x|: dx += (s / r)·x, 0 where r = 0 (the convention of Hypot and Sqrt at the origin).
                IrExpression c = b.Let(b.S.If(b.S.Compare(IrBinaryOperator.Equals, b.Result!, b.S.Zero), b.S.Zero, b.S.Div(b.Seed, b.Result!)));
                b.MultiplyAddTo(0, b.Span(0), c);
            });
            Reduction(SpanFunction.CosineSimilarity, "CosineSimilarity", new[] { X, X }, b =>
            {
                // r = x·y / (|x||y|): dx += s·y/(|x||y|) − s·r·x/|x|², dy symmetric.
                var t = b.S;
                IrExpression nx = b.Let(b.Value(SpanFunction.Norm, b.Span(0)));
                IrExpression ny = b.Let(b.Value(SpanFunction.Norm, b.Span(1)));
                IrExpression cross = b.Let(t.Div(b.Seed, t.Mul(nx, ny)));
                IrExpression selfX = b.Let(t.Neg(t.Div(t.Mul(b.Seed, b.Result!), t.Mul(nx, nx))));
                IrExpression selfY = b.Let(t.Neg(t.Div(t.Mul(b.Seed, b.Result!), t.Mul(ny, ny))));
                b.MultiplyAddTo(0, b.Span(1), cross);
                b.MultiplyAddTo(0, b.Span(0), selfX);
                b.MultiplyAddTo(1, b.Span(0), cross);
                b.MultiplyAddTo(1, b.Span(1), selfY);
            });
            Reduction(SpanFunction.Distance, "Distance", new[] { X, X }, b =>
            {
                // r = |x − y|: dx += (s/r)(x − y), dy −= (s/r)(x − y); 0 where r = 0.
                var t = b.S;
                IrExpression c = b.Let(t.If(t.Compare(IrBinaryOperator.Equals, b.Result!, t.Zero), t.Zero, t.Div(b.Seed, b.Result!)));
                IrExpression minusC = b.Let(t.Neg(c));
                b.MultiplyAddTo(0, b.Span(0), c);
                b.MultiplyAddTo(0, b.Span(1), minusC);
                b.MultiplyAddTo(1, b.Span(1), c);
                b.MultiplyAddTo(1, b.Span(0), minusC);
            });
            SpanAdjoint selected(SpanFunction index) => b =>
            {
                // The seed goes to the element selected (the first one on ties, as IndexOfMax/IndexOfMin report).
                if (b.AdjointSpan(0) is not { } d) return;
                IrExpression at = b.Let(b.Value(index, b.Span(0)), "_selected");
                IrExpression offset = d.Start is null ? at : new IrBinary(IrBinaryOperator.Add, d.Start, at, IrType.Int);
                b.Add(new IrElementAccumulate(d.Variable!, ImmutableArray.Create(offset), b.Seed));
            };
            Reduction(SpanFunction.MaxOf, "Max", new[] { X }, selected(SpanFunction.IndexOfMax), new("where two elements share the largest value", "the derivative of the first of them"));
            Reduction(SpanFunction.MinOf, "Min", new[] { X }, selected(SpanFunction.IndexOfMin), new("where two elements share the smallest value", "the derivative of the first of them"));

            // ---- maps; b.SeedSpan is the destination's adjoint g. Those built with `InPlace` give each input's
            // contribution through Contribute, so that Tanh(h, h) or Add(z, b, z) updates g in place (SpanAdjointBuilder);
            // `output: true` marks those that read their output y instead of recomputing it.
            void InPlace(SpanFunction f, string name, SpanParameter[] ps, SpanAdjoint adjoint, bool output = false) =>
                rules.Add(new SpanRule(f, name, SpanRuleKind.Map, ps.ToImmutableArray(), adjoint) { InPlaceAdjoint = true, ReadsOutput = output });
            InPlace(SpanFunction.Add, "Add", new[] { X, X, D }, b =>
            {
                b.Contribute(0, null);
                b.Contribute(1, null);
            });
            InPlace(SpanFunction.AddScalar, "Add", new[] { X, S, D }, b =>
            {
                b.AccumulateScalar(1, () => b.Value(SpanFunction.Sum, b.SeedSpan));
                b.Contribute(0, null);
            });
            InPlace(SpanFunction.Subtract, "Subtract", new[] { X, X, D }, b =>
            {
                b.Contribute(0, null);
                b.Contribute(1, null, negate: true);
            });
            InPlace(SpanFunction.SubtractScalar, "Subtract", new[] { X, S, D }, b =>
            {
                b.AccumulateScalar(1, () => b.S.Neg(b.Value(SpanFunction.Sum, b.SeedSpan)));
                b.Contribute(0, null);
            });
            InPlace(SpanFunction.ScalarSubtract, "Subtract", new[] { S, X, D }, b =>
            {
                b.AccumulateScalar(0, () => b.Value(SpanFunction.Sum, b.SeedSpan));
                b.Contribute(1, null, negate: true);
            });
            InPlace(SpanFunction.Multiply, "Multiply", new[] { X, X, D }, b =>
            {
                b.Contribute(0, b.Span(1));
                b.Contribute(1, b.Span(0));
            });
            InPlace(SpanFunction.MultiplyScalar, "Multiply", new[] { X, S, D }, b =>
            {
                b.AccumulateScalar(1, () => b.Value(SpanFunction.Dot, b.SeedSpan, b.Span(0)));
                b.Contribute(0, b.Arg(1));
            });
            Map(SpanFunction.Divide, "Divide", new[] { X, X, D }, b =>
            {
                // d = x / y: dx += g / y, dy −= (g / y)·x / y.
                IrSpan q = b.Scratch();
                b.Store(SpanFunction.Divide, b.SeedSpan, b.Span(1), q);
                b.AddTo(0, q);
                if (!b.IsActive(1)) return;
                b.Store(SpanFunction.Multiply, q, b.Span(0), q);
                b.Store(SpanFunction.Divide, q, b.Span(1), q);
                b.SubtractFrom(1, q);
            });
            InPlace(SpanFunction.DivideScalar, "Divide", new[] { X, S, D }, b =>
            {
                // d = x / s: dx += g / s, ds −= (g·x) / s².
                b.AccumulateScalar(1, () => b.S.Neg(b.S.Div(b.Value(SpanFunction.Dot, b.SeedSpan, b.Span(0)), b.S.Mul(b.Arg(1), b.Arg(1)))));
                b.Contribute(0, b.S.Div(b.S.One, b.Arg(1)));
            });
            Map(SpanFunction.ScalarDivide, "Divide", new[] { S, X, D }, b =>
            {
                // d = s / x: ds += Σ g / x, dx −= (g / x)·s / x.
                IrSpan q = b.Scratch();
                b.Store(SpanFunction.Divide, b.SeedSpan, b.Span(1), q);
                b.AccumulateScalar(0, () => b.Value(SpanFunction.Sum, q));
                if (!b.IsActive(1)) return;
                b.Store(SpanFunction.MultiplyScalar, q, b.Arg(0), q);
                b.Store(SpanFunction.Divide, q, b.Span(1), q);
                b.SubtractFrom(1, q);
            });
            InPlace(SpanFunction.MultiplyAdd, "MultiplyAdd", new[] { X, X, X, D }, b =>
            {
                b.Contribute(0, b.Span(1));
                b.Contribute(1, b.Span(0));
                b.Contribute(2, null);
            });
            InPlace(SpanFunction.MultiplyAddScalarAddend, "MultiplyAdd", new[] { X, X, S, D }, b =>
            {
                b.AccumulateScalar(2, () => b.Value(SpanFunction.Sum, b.SeedSpan));
                b.Contribute(0, b.Span(1));
                b.Contribute(1, b.Span(0));
            });
            InPlace(SpanFunction.MultiplyAddScalarMultiplier, "MultiplyAdd", new[] { X, S, X, D }, b =>
            {
                b.AccumulateScalar(1, () => b.Value(SpanFunction.Dot, b.SeedSpan, b.Span(0)));
                b.Contribute(0, b.Arg(1));
                b.Contribute(2, null);
            });
            InPlace(SpanFunction.Negate, "Negate", new[] { X, D }, b => b.Contribute(0, null, negate: true));
            InPlace(SpanFunction.Exp, "Exp", new[] { X, D }, b => b.Contribute(0, b.Output), output: true);
            InPlace(SpanFunction.Log, "Log", new[] { X, D }, b => b.ContributeQuotient(0, b.Span(0)));
            Map(SpanFunction.Sqrt, "Sqrt", new[] { X, D }, b =>
            {
                // dx += g / (2√x), 0 where √x = 0: Math.Sqrt's rule (the subgradient at the origin, as for Norm and Hypot).
                // The square roots are the output; the division needs a per-element select, a runtime loop.
                if (b.IsActive(0)) b.Effect(b.RuntimeCall("SqrtAdjoint", b.SeedSpan, b.Output, b.AdjointSpan(0)));
            }, output: true);
            InPlace(SpanFunction.Tanh, "Tanh", new[] { X, D }, b =>
            {
                // dx += g·(1 − y²), y = tanh x.
                if (!b.IsActive(0)) return;
                IrSpan q = b.Scratch();
                b.Store(SpanFunction.Multiply, b.Output, b.Output, q);
                b.Store(SpanFunction.ScalarSubtract, b.S.One, q, q);
                b.Contribute(0, q);
            }, output: true);
            InPlace(SpanFunction.Sigmoid, "Sigmoid", new[] { X, D }, b =>
            {
                // dx += g·y·(1 − y), y = σ(x).
                if (!b.IsActive(0)) return;
                IrSpan q = b.Scratch();
                b.Store(SpanFunction.ScalarSubtract, b.S.One, b.Output, q);
                b.Store(SpanFunction.Multiply, q, b.Output, q);
                b.Contribute(0, q);
            }, output: true);
            InPlace(SpanFunction.SoftMax, "SoftMax", new[] { X, D }, b =>
            {
                // y = softmax(x): dx += y ⊙ (g − g·y); in place, g ← (g − g·y) ⊙ y with no scratch at all.
                if (!b.IsActive(0)) return;
                IrExpression mean = b.Let(b.Value(SpanFunction.Dot, b.SeedSpan, b.Output));
                if (b.InPlace(0))
                {
                    b.Store(SpanFunction.SubtractScalar, b.SeedSpan, mean, b.SeedSpan);
                    b.Store(SpanFunction.Multiply, b.SeedSpan, b.Output, b.SeedSpan);
                    return;
                }
                IrSpan centered = b.Scratch();
                b.Store(SpanFunction.SubtractScalar, b.SeedSpan, mean, centered);
                b.MultiplyAddTo(0, centered, b.Output);
            }, output: true);
            Map(SpanFunction.Abs, "Abs", new[] { X, D }, b =>
            {
                if (b.IsActive(0)) b.Effect(b.RuntimeCall("AbsAdjoint", b.SeedSpan, b.Span(0), b.AdjointSpan(0)));
            }, new("at 0", "0 (elsewhere the sign of the element)"));
            Map(SpanFunction.Max, "Max", new[] { X, X, D }, b => b.Effect(b.RuntimeCall("MaxAdjoint", b.SeedSpan, b.Span(0), b.Span(1), b.AdjointSpan(0), b.AdjointSpan(1))), SelectionTies);
            Map(SpanFunction.Min, "Min", new[] { X, X, D }, b => b.Effect(b.RuntimeCall("MinAdjoint", b.SeedSpan, b.Span(0), b.Span(1), b.AdjointSpan(0), b.AdjointSpan(1))), SelectionTies);
            Map(SpanFunction.MaxScalar, "Max", new[] { X, S, D }, b => ScalarSelection(b, "MaxScalarAdjoint"), SelectionTies);
            Map(SpanFunction.MinScalar, "Min", new[] { X, S, D }, b => ScalarSelection(b, "MinScalarAdjoint"), SelectionTies);
            Map(SpanFunction.Pow, "Pow", new[] { X, X, D }, b => b.Effect(b.RuntimeCall("PowAdjoint", b.SeedSpan, b.Span(0), b.Span(1), b.AdjointSpan(0), b.AdjointSpan(1))));
            Map(SpanFunction.PowScalar, "Pow", new[] { X, S, D }, b =>
            {
                // dx += g·s·x^(s−1) (returned: ds's contribution Σ g·x^s·ln x over x > 0).
                IrExpression call = b.RuntimeCall("PowScalarAdjoint", b.SeedSpan, b.Span(0), b.Arg(1), b.AdjointSpan(0));
                if (b.AdjointScalar(1) is { } ds) b.Add(new IrAccumulate(ds, call));
                else if (b.IsActive(0)) b.Effect(call);
            });

            rules.Add(new SpanRule(SpanFunction.IndexOfMax, "IndexOfMax", SpanRuleKind.Passive, ImmutableArray.Create(X), null));
            rules.Add(new SpanRule(SpanFunction.IndexOfMin, "IndexOfMin", SpanRuleKind.Passive, ImmutableArray.Create(X), null));

            var byFunction = new SpanRule[Enum.GetValues(typeof(SpanFunction)).Length];
            foreach (SpanRule rule in rules)
            {
                if (byFunction[(int)rule.Function] is not null) throw new InvalidOperationException("Two span rules for " + rule.Function + ".");
                byFunction[(int)rule.Function] = rule;
            }
            if (Array.IndexOf(byFunction, null) is int missing and >= 0) throw new InvalidOperationException("No span rule for " + (SpanFunction)missing + ".");
            return byFunction;
        }

        /// <summary>Max(x, s, d) / Min(x, s, d): the helper adds g into dx where x is selected and returns the rest for ds.</summary>
        private static void ScalarSelection(SpanAdjointBuilder b, string helper)
        {
            IrExpression call = b.RuntimeCall(helper, b.SeedSpan, b.Span(0), b.Arg(1), b.AdjointSpan(0));
            if (b.AdjointScalar(1) is { } ds) b.Add(new IrAccumulate(ds, call));
            else if (b.IsActive(0)) b.Effect(call);
        }
    }
}
