using System;
using AutoDiffGen.Samples.Tests.Infrastructure;
using NeuralNetworks;
using static AutoDiffGen.Samples.Tests.Infrastructure.Matrices;

namespace AutoDiffGen.Samples.Tests
{
    /// <summary>
    /// Goodfellow et al. Algorithms 6.3/6.4: a 4 → 5 → 4 → 3 tanh network with weight decay; the generated gradient
    /// against back-propagation written as Algorithm 6.4. The point is (W1, b1, W2, b2, W3, b3).
    /// </summary>
    public sealed class FeedforwardNetworkTests : ModelTests
    {
        private const double Lambda = 0.05;
        private readonly double[] _x;
        private readonly double[] _y;
        private readonly float[] _xSingle;
        private readonly float[] _ySingle;
        private readonly Params _point;

        public FeedforwardNetworkTests()
        {
            var random = new Random(3);
            _x = Rounded(Vector(random, 4, scale: 2));
            _y = Rounded(Vector(random, 3, scale: 0.9));
            _xSingle = ToSingle(_x);
            _ySingle = ToSingle(_y);
            _point = new Params(
                Rounded(Matrix(random, 5, 4)), Rounded(Vector(random, 5, 0.5)),
                Rounded(Matrix(random, 4, 5)), Rounded(Vector(random, 4, 0.5)),
                Rounded(Matrix(random, 3, 4)), Rounded(Vector(random, 3, 0.5)));
        }

        protected override Params Point() => _point.Clone();

        protected override double Loss(Params p)
            => FeedforwardNetwork.Loss(p.M(0), p.V(1), p.M(2), p.V(3), p.M(4), p.V(5), _x, _y, Lambda);

        protected override double Gradient(Params p, Params g)
            => FeedforwardNetwork.LossGradient(p.M(0), p.V(1), p.M(2), p.V(3), p.M(4), p.V(5), _x, _y, Lambda,
                g.M(0), g.V(1), g.M(2), g.V(3), g.M(4), g.V(5));

        protected override double Backward(Params p, double seed, Params a)
            => FeedforwardNetwork.LossBackward(p.M(0), p.V(1), p.M(2), p.V(3), p.M(4), p.V(5), _x, _y, Lambda, seed,
                a.M(0), a.V(1), a.M(2), a.V(3), a.M(4), a.V(5));

        protected override (double, Params) Textbook(Params p)
        {
            double loss = ReferenceGradients.Feedforward(
                new[] { p.M(0), p.M(2), p.M(4) }, new[] { p.V(1), p.V(3), p.V(5) }, _x, _y, Lambda,
                out double[][,] dW, out double[][] db);
            return (loss, new Params(dW[0], db[0], dW[1], db[1], dW[2], db[2]));
        }

        protected override float LossSingle(Params p)
            => FeedforwardNetwork.Loss(p.MF(0), p.VF(1), p.MF(2), p.VF(3), p.MF(4), p.VF(5), _xSingle, _ySingle, (float)Lambda);

        protected override float GradientSingle(Params p, Params g)
            => FeedforwardNetwork.LossGradient(p.MF(0), p.VF(1), p.MF(2), p.VF(3), p.MF(4), p.VF(5), _xSingle, _ySingle, (float)Lambda,
                g.MF(0), g.VF(1), g.MF(2), g.VF(3), g.MF(4), g.VF(5));

        [Fact]
        public void Wrong_shape_gradient_buffers_throw_naming_the_parameter()
        {
            Params p = Point();
            Params g = p.Like();
            var ex = Assert.Throws<ArgumentException>(() => FeedforwardNetwork.LossGradient(
                p.M(0), p.V(1), p.M(2), p.V(3), p.M(4), p.V(5), _x, _y, Lambda,
                g.M(0), g.V(1), new double[5, 4], g.V(3), g.M(4), g.V(5)));
            Assert.Equal("dw2", ex.ParamName);

            ex = Assert.Throws<ArgumentException>(() => FeedforwardNetwork.LossGradient(
                p.M(0), p.V(1), p.M(2), p.V(3), p.M(4), p.V(5), _x, _y, Lambda,
                g.M(0), g.V(1), g.M(2), g.V(3), g.M(4), new double[4]));
            Assert.Equal("db3", ex.ParamName);
        }
    }
}
