using System;
using AutoDiffGen.Samples.Tests.Infrastructure;
using NeuralNetworks;
using static AutoDiffGen.Samples.Tests.Infrastructure.Matrices;

namespace AutoDiffGen.Samples.Tests
{
    /// <summary>
    /// The residual block z = Conv(ReLU(Conv(x, w1)), w2) + x on a signal of 10 samples with kernels of 3,
    /// J = ½‖z − t‖²; the point is (x, w1, w2), and δx sums the skip and the convolution paths.
    /// </summary>
    public sealed class ResidualBlockTests : ModelTests
    {
        private readonly double[] _target;
        private readonly float[] _targetSingle;
        private readonly Params _point;

        public ResidualBlockTests()
        {
            var random = new Random(7);
            _target = Rounded(Vector(random, 10));
            _targetSingle = ToSingle(_target);
            _point = new Params(Rounded(Vector(random, 10)), Rounded(Vector(random, 3)), Rounded(Vector(random, 3)));
        }

        protected override Params Point() => _point.Clone();

        protected override double Loss(Params p) => ResidualBlock.Loss(p.V(0), p.V(1), p.V(2), _target);

        protected override double Gradient(Params p, Params g) => ResidualBlock.LossGradient(p.V(0), p.V(1), p.V(2), _target, g.V(0), g.V(1), g.V(2));

        protected override double Backward(Params p, double seed, Params a)
            => ResidualBlock.LossBackward(p.V(0), p.V(1), p.V(2), _target, seed, a.V(0), a.V(1), a.V(2));

        protected override (double, Params) Textbook(Params p)
        {
            double loss = ReferenceGradients.ResidualBlock(p.V(0), p.V(1), p.V(2), _target, out double[] dx, out double[] dw1, out double[] dw2);
            return (loss, new Params(dx, dw1, dw2));
        }

        protected override float LossSingle(Params p) => ResidualBlock.Loss(p.VF(0), p.VF(1), p.VF(2), _targetSingle);

        protected override float GradientSingle(Params p, Params g)
            => ResidualBlock.LossGradient(p.VF(0), p.VF(1), p.VF(2), _targetSingle, g.VF(0), g.VF(1), g.VF(2));

        [Fact]
        public void Input_gradient_is_the_skip_path_plus_the_convolution_path()
        {
            Params p = Point();
            Params g = p.Like();
            Gradient(p, g);
            // The skip path alone would give δx = δz = z − t.
            double[] h = ReferenceGradients.SameConv(p.V(0), p.V(1));
            for (int i = 0; i < h.Length; i++) h[i] = Math.Max(0, h[i]);
            double[] z = ReferenceGradients.SameConv(h, p.V(2));
            double largest = 0;
            for (int i = 0; i < z.Length; i++) largest = Math.Max(largest, Math.Abs(g.V(0)[i] - (z[i] + p.V(0)[i] - _target[i])));
            Assert.True(largest > 0.01, "the convolution path contributes to δx");
        }

        [Fact]
        public void Wrong_length_gradient_buffer_throws_naming_the_parameter()
        {
            Params p = Point();
            var ex = Assert.Throws<ArgumentException>(() => ResidualBlock.LossGradient(p.V(0), p.V(1), p.V(2), _target, new double[9], new double[3], new double[3]));
            Assert.Equal("dx", ex.ParamName);
        }
    }

    /// <summary>
    /// The attention-style block with 3 queries and 5 keys of width 4 and values of width 2, as jagged arrays:
    /// sᵢ = softmax(xᵢ·Y), oᵢ = Σⱼ sᵢⱼ vⱼ, J = ½Σ‖oᵢ − tᵢ‖², δzᵢ = Jⁱ δsᵢ. The point is (X, Y, V).
    /// </summary>
    public sealed class AttentionTests : ModelTests
    {
        private readonly double[][] _target;
        private readonly float[][] _targetSingle;
        private readonly Params _point;

        public AttentionTests()
        {
            var random = new Random(8);
            _target = Jagged(random, 3, 2);
            _targetSingle = Array.ConvertAll(_target, ToSingle);
            _point = new Params(Jagged(random, 3, 4), Jagged(random, 5, 4), Jagged(random, 5, 2));
        }

        private static double[][] Jagged(Random random, int rows, int cols)
        {
            var result = new double[rows][];
            for (int i = 0; i < rows; i++) result[i] = Rounded(Vector(random, cols));
            return result;
        }

        protected override Params Point() => _point.Clone();

        protected override double Loss(Params p) => Attention.Loss(p.J(0), p.J(1), p.J(2), _target);

        protected override double Gradient(Params p, Params g) => Attention.LossGradient(p.J(0), p.J(1), p.J(2), _target, g.J(0), g.J(1), g.J(2));

        protected override double Backward(Params p, double seed, Params a)
            => Attention.LossBackward(p.J(0), p.J(1), p.J(2), _target, seed, a.J(0), a.J(1), a.J(2));

        protected override (double, Params) Textbook(Params p)
        {
            double loss = ReferenceGradients.Attention(p.J(0), p.J(1), p.J(2), _target, out double[][] dx, out double[][] dy, out double[][] dv);
            return (loss, new Params(dx, dy, dv));
        }

        protected override float LossSingle(Params p) => Attention.Loss(p.JF(0), p.JF(1), p.JF(2), _targetSingle);

        protected override float GradientSingle(Params p, Params g)
            => Attention.LossGradient(p.JF(0), p.JF(1), p.JF(2), _targetSingle, g.JF(0), g.JF(1), g.JF(2));

        [Fact]
        public void Large_scores_do_not_overflow()
        {
            // Scores of several hundred: exp would overflow without the largest score subtracted.
            Params p = Point();
            foreach (double[] row in p.J(0)) for (int k = 0; k < row.Length; k++) row[k] *= 200;
            Params g = p.Like();
            double value = Gradient(p, g);
            Assert.True(double.IsFinite(value));
            Assert.All(g.Flatten(), e => Assert.True(double.IsFinite(e)));
        }

        [Fact]
        public void Wrong_shape_gradient_buffers_throw_naming_the_parameter()
        {
            Params p = Point();
            Params g = p.Like();
            // Too few rows.
            var ex = Assert.Throws<ArgumentException>(() => Attention.LossGradient(p.J(0), p.J(1), p.J(2), _target, g.J(0), g.J(1), new double[4][]));
            Assert.Equal("dv", ex.ParamName);
            // One row too short.
            g.J(1)[3] = new double[3];
            ex = Assert.Throws<ArgumentException>(() => Attention.LossGradient(p.J(0), p.J(1), p.J(2), _target, g.J(0), g.J(1), g.J(2)));
            Assert.Equal("dy", ex.ParamName);
        }
    }
}
