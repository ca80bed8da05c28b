using System;
using AutoDiffGen.Samples.Tests.Infrastructure;
using NeuralNetworks;
using static AutoDiffGen.Samples.Tests.Infrastructure.Matrices;

namespace AutoDiffGen.Samples.Tests
{
    /// <summary>
    /// The scalar net Yp = σ(X·W1 + b1)·W2 + b2, J = ½(Yp − Y)², averaged over a batch of 12 examples;
    /// the point is (W1, b1, W2, b2).
    /// </summary>
    public sealed class ScalarNetTests : ModelTests
    {
        private readonly double[] _x;
        private readonly double[] _y;
        private readonly float[] _xSingle;
        private readonly float[] _ySingle;

        public ScalarNetTests()
        {
            var random = new Random(2);
            _x = Rounded(Vector(random, 12, scale: 2));
            _y = Rounded(Vector(random, 12));
            _xSingle = ToSingle(_x);
            _ySingle = ToSingle(_y);
        }

        protected override Params Point() => new(Rounded(new[] { 0.8 }), Rounded(new[] { -0.3 }), Rounded(new[] { 1.7 }), Rounded(new[] { 0.1 }));

        protected override double Loss(Params p) => ScalarNet.BatchLoss(p.V(0)[0], p.V(1)[0], p.V(2)[0], p.V(3)[0], _x, _y);

        protected override double Gradient(Params p, Params g)
            => ScalarNet.BatchLossGradient(p.V(0)[0], p.V(1)[0], p.V(2)[0], p.V(3)[0], _x, _y,
                out g.V(0)[0], out g.V(1)[0], out g.V(2)[0], out g.V(3)[0]);

        protected override double Backward(Params p, double seed, Params a)
            => ScalarNet.BatchLossBackward(p.V(0)[0], p.V(1)[0], p.V(2)[0], p.V(3)[0], _x, _y, seed,
                ref a.V(0)[0], ref a.V(1)[0], ref a.V(2)[0], ref a.V(3)[0]);

        protected override (double, Params) Textbook(Params p)
        {
            double loss = ReferenceGradients.ScalarNet(p.V(0)[0], p.V(1)[0], p.V(2)[0], p.V(3)[0], _x, _y,
                out double dw1, out double db1, out double dw2, out double db2);
            return (loss, new Params(new[] { dw1 }, new[] { db1 }, new[] { dw2 }, new[] { db2 }));
        }

        protected override float LossSingle(Params p) => ScalarNet.BatchLoss(p.VF(0)[0], p.VF(1)[0], p.VF(2)[0], p.VF(3)[0], _xSingle, _ySingle);

        protected override float GradientSingle(Params p, Params g)
            => ScalarNet.BatchLossGradient(p.VF(0)[0], p.VF(1)[0], p.VF(2)[0], p.VF(3)[0], _xSingle, _ySingle,
                out g.VF(0)[0], out g.VF(1)[0], out g.VF(2)[0], out g.VF(3)[0]);

        [Fact]
        public void Batch_may_be_a_slice_of_the_data()
        {
            // The data parameters are ReadOnlySpan<double>: a minibatch is a slice, no copy.
            double value = ScalarNet.BatchLossGradient(0.8, -0.3, 1.7, 0.1, _x.AsSpan(4, 6), _y.AsSpan(4, 6),
                out double dw1, out double db1, out double dw2, out double db2);
            double loss = ReferenceGradients.ScalarNet(0.8, -0.3, 1.7, 0.1, _x[4..10], _y[4..10],
                out double ew1, out double eb1, out double ew2, out double eb2);
            Close.Assert(loss, value, TextbookTolerance, "value");
            Close.Assert(new[] { ew1, eb1, ew2, eb2 }, new[] { dw1, db1, dw2, db2 }, TextbookTolerance, "gradient");
        }

        [Fact]
        public void Single_example_gradient_matches_the_textbook_formula()
        {
            double x = 1.25, y = -0.5, w1 = 0.8, b1 = -0.3, w2 = 1.7, b2 = 0.1;
            double value = ScalarNet.LossGradient(w1, b1, w2, b2, x, y, out double dw1, out double db1, out double dw2, out double db2);
            double loss = ReferenceGradients.ScalarNet(w1, b1, w2, b2, new[] { x }, new[] { y },
                out double ew1, out double eb1, out double ew2, out double eb2);
            Close.Assert(loss, value, TextbookTolerance, "value");
            Close.Assert(new[] { ew1, eb1, ew2, eb2 }, new[] { dw1, db1, dw2, db2 }, TextbookTolerance, "gradient");

            // σ′(a) = σ(a)(1 − σ(a)) from the generated sigmoid on its own.
            double s = ScalarNet.SigmoidGradient(0.7, out double ds);
            Close.Assert(s * (1 - s), ds, TextbookTolerance, "σ′");
        }
    }
}
