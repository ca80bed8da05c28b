using System;
using AutoDiffGen.Samples.Tests.Infrastructure;
using NeuralNetworks;
using static AutoDiffGen.Samples.Tests.Infrastructure.Matrices;

namespace AutoDiffGen.Samples.Tests
{
    /// <summary>
    /// The one-hidden-layer ReLU classifier with softmax cross-entropy and weight decay: 16 examples, 4 features,
    /// 6 hidden units, 3 classes. The point is (W1, b1, W2, b2).
    /// </summary>
    public sealed class SoftmaxMlpTests : ModelTests
    {
        private const double Lambda = 0.01;
        private readonly double[,] _x;
        private readonly int[] _labels;
        private readonly float[,] _xSingle;
        private readonly Params _point;

        public SoftmaxMlpTests()
        {
            var random = new Random(4);
            _x = Rounded(Matrix(random, 16, 4, scale: 2));
            _labels = new int[16];
            for (int i = 0; i < _labels.Length; i++) _labels[i] = random.Next(3);
            _xSingle = ToSingle(_x);
            _point = new Params(Rounded(Matrix(random, 6, 4)), Rounded(Vector(random, 6, 0.2)), Rounded(Matrix(random, 3, 6)), Rounded(Vector(random, 3, 0.2)));
        }

        protected override Params Point() => _point.Clone();

        protected override double Loss(Params p) => SoftmaxMlp.Loss(p.M(0), p.V(1), p.M(2), p.V(3), _x, _labels, Lambda);

        protected override double Gradient(Params p, Params g)
            => SoftmaxMlp.LossGradient(p.M(0), p.V(1), p.M(2), p.V(3), _x, _labels, Lambda, g.M(0), g.V(1), g.M(2), g.V(3));

        protected override double Backward(Params p, double seed, Params a)
            => SoftmaxMlp.LossBackward(p.M(0), p.V(1), p.M(2), p.V(3), _x, _labels, Lambda, seed, a.M(0), a.V(1), a.M(2), a.V(3));

        protected override (double, Params) Textbook(Params p)
        {
            double loss = ReferenceGradients.SoftmaxMlp(p.M(0), p.V(1), p.M(2), p.V(3), _x, _labels, Lambda,
                out double[,] dw1, out double[] db1, out double[,] dw2, out double[] db2);
            return (loss, new Params(dw1, db1, dw2, db2));
        }

        protected override float LossSingle(Params p) => SoftmaxMlp.Loss(p.MF(0), p.VF(1), p.MF(2), p.VF(3), _xSingle, _labels, (float)Lambda);

        protected override float GradientSingle(Params p, Params g)
            => SoftmaxMlp.LossGradient(p.MF(0), p.VF(1), p.MF(2), p.VF(3), _xSingle, _labels, (float)Lambda, g.MF(0), g.VF(1), g.MF(2), g.VF(3));

        [Fact]
        public void Some_hidden_units_are_inactive_so_the_relu_kink_is_exercised()
        {
            Params p = Point();
            int inactive = 0, active = 0;
            for (int row = 0; row < _x.GetLength(0); row++)
            {
                for (int i = 0; i < 6; i++)
                {
                    double a = p.V(1)[i];
                    for (int j = 0; j < 4; j++) a += p.M(0)[i, j] * _x[row, j];
                    if (a > 0) active++; else inactive++;
                }
            }
            Assert.True(inactive > 10 && active > 10, $"{active} active, {inactive} inactive");
        }

        [Fact]
        public void Minibatch_gradient_accumulated_with_Backward_equals_the_full_gradient()
        {
            // The training loop's pattern: per example CrossEntropyBackward with seed 1/n, and the weight decay once.
            Params p = Point();
            Params full = p.Like();
            double expectedLoss = Gradient(p, full);

            Params sum = p.Like();
            int n = _x.GetLength(0);
            double loss = 0;
            for (int row = 0; row < n; row++)
            {
                loss += SoftmaxMlp.CrossEntropyBackward(p.M(0), p.V(1), p.M(2), p.V(3), _x, row, _labels[row], 1.0 / n,
                    sum.M(0), sum.V(1), sum.M(2), sum.V(3)) / n;
            }
            loss += SoftmaxMlp.WeightDecayBackward(p.M(0), p.M(2), Lambda, 1.0, sum.M(0), sum.M(2));

            Close.Assert(expectedLoss, loss, TextbookTolerance, "loss");
            Close.Assert(full.Flatten(), sum.Flatten(), TextbookTolerance, "accumulated gradient");
        }

        [Fact]
        public void Cross_entropy_logit_gradient_is_softmax_minus_onehot()
        {
            // With W1 = 0 and b1 = 1 every hidden unit is 1, so ∂J/∂b2 = δlogits = softmax(z) − onehot(label).
            var w1 = new double[2, 4];
            double[] b1 = { 1, 1 };
            var w2 = new double[3, 2] { { 0.5, -0.25 }, { 1, 0.75 }, { -1.5, 0.5 } };
            double[] b2 = { 0.1, -0.2, 0.3 };
            var db2 = new double[3];
            SoftmaxMlp.CrossEntropyGradient(w1, b1, w2, b2, _x, 0, 2, new double[2, 4], new double[2], new double[3, 2], db2);

            double[] z = { 0.1 + 0.25, -0.2 + 1.75, 0.3 - 1.0 };
            double[] expected = ReferenceGradients.Softmax(z);
            expected[2] -= 1;
            Close.Assert(expected, db2, TextbookTolerance, "δlogits");
        }

        [Fact]
        public void Wrong_shape_gradient_buffers_throw_naming_the_parameter()
        {
            Params p = Point();
            Params g = p.Like();
            var ex = Assert.Throws<ArgumentException>(() => SoftmaxMlp.LossGradient(
                p.M(0), p.V(1), p.M(2), p.V(3), _x, _labels, Lambda, new double[4, 6], g.V(1), g.M(2), g.V(3)));
            Assert.Equal("dw1", ex.ParamName);

            Params f = Point().ToSingle();
            Params gf = f.Like();
            ex = Assert.Throws<ArgumentException>(() => SoftmaxMlp.LossGradient(
                f.MF(0), f.VF(1), f.MF(2), f.VF(3), _xSingle, _labels, 0.01f, gf.MF(0), new float[7], gf.MF(2), gf.VF(3)));
            Assert.Equal("db1", ex.ParamName);
        }
    }
}
