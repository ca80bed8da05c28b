using System;
using AutoDiffGen.Samples.Tests.Infrastructure;
using NeuralNetworks;
using static AutoDiffGen.Samples.Tests.Infrastructure.Matrices;

namespace AutoDiffGen.Samples.Tests
{
    /// <summary>
    /// Valid cross-correlation of a 7×8 image with a 3×3 kernel (5×6 feature map), ReLU, 2×2 stride-2 max pooling
    /// (2×3 pooled; the feature map's last row is dropped), squared error. The point is (I, K, b):
    /// δK = I ⋆ δC, δI = pad(δC) ⋆ flip(K).
    /// </summary>
    public sealed class ConvolutionLayerTests : ModelTests
    {
        private readonly double[,] _target;
        private readonly float[,] _targetSingle;
        private readonly Params _point;

        public ConvolutionLayerTests()
        {
            var random = new Random(5);
            _target = Rounded(Matrix(random, 2, 3));
            _targetSingle = ToSingle(_target);
            _point = new Params(Rounded(Matrix(random, 7, 8)), Rounded(Matrix(random, 3, 3)), Rounded(new[] { 0.1 }));
        }

        protected override Params Point() => _point.Clone();

        protected override double Loss(Params p) => ConvolutionLayer.Loss(p.M(0), p.M(1), p.V(2)[0], _target);

        protected override double Gradient(Params p, Params g)
            => ConvolutionLayer.LossGradient(p.M(0), p.M(1), p.V(2)[0], _target, g.M(0), g.M(1), out g.V(2)[0]);

        protected override double Backward(Params p, double seed, Params a)
            => ConvolutionLayer.LossBackward(p.M(0), p.M(1), p.V(2)[0], _target, seed, a.M(0), a.M(1), ref a.V(2)[0]);

        protected override (double, Params) Textbook(Params p)
        {
            double loss = ReferenceGradients.Convolution(p.M(0), p.M(1), p.V(2)[0], _target,
                out double[,] dImage, out double[,] dKernel, out double dBias);
            return (loss, new Params(dImage, dKernel, new[] { dBias }));
        }

        protected override float LossSingle(Params p) => ConvolutionLayer.Loss(p.MF(0), p.MF(1), p.VF(2)[0], _targetSingle);

        protected override float GradientSingle(Params p, Params g)
            => ConvolutionLayer.LossGradient(p.MF(0), p.MF(1), p.VF(2)[0], _targetSingle, g.MF(0), g.MF(1), out g.VF(2)[0]);

        [Fact]
        public void Every_pooling_window_routes_its_gradient_to_one_element()
        {
            // Each of the 2×3 windows has a positive maximum here, so δK is nonzero and δI has at most 6·9 terms.
            Params p = Point();
            Params g = p.Like();
            Gradient(p, g);
            double[,] c = ReferenceGradients.CrossCorrelate(p.M(0), p.M(1));
            int positiveWindows = 0;
            for (int pr = 0; pr < 2; pr++)
            {
                for (int q = 0; q < 3; q++)
                {
                    double m = double.NegativeInfinity;
                    for (int r = 2 * pr; r < 2 * pr + 2; r++) for (int col = 2 * q; col < 2 * q + 2; col++) m = Math.Max(m, c[r, col] + p.V(2)[0]);
                    if (m > 0) positiveWindows++;
                }
            }
            Assert.True(positiveWindows >= 4, $"{positiveWindows} windows with a positive maximum");
            Assert.NotEqual(0.0, g.V(2)[0]);
        }

        [Fact]
        public void Wrong_shape_gradient_buffer_throws_naming_the_parameter()
        {
            Params p = Point();
            var ex = Assert.Throws<ArgumentException>(() => ConvolutionLayer.LossGradient(p.M(0), p.M(1), 0.1, _target, new double[7, 8], new double[3, 2], out _));
            Assert.Equal("dkernel", ex.ParamName);
        }
    }

    /// <summary>Shared weights Y = ReLU(X·W)·W, J = ½‖Y − T‖²: ∇W sums both uses. X is 6×4, W is 4×4.</summary>
    public sealed class SharedWeightsTests : ModelTests
    {
        private readonly double[,] _x;
        private readonly double[,] _target;
        private readonly float[,] _xSingle;
        private readonly float[,] _targetSingle;
        private readonly Params _point;

        public SharedWeightsTests()
        {
            var random = new Random(6);
            _x = Rounded(Matrix(random, 6, 4));
            _target = Rounded(Matrix(random, 6, 4));
            _xSingle = ToSingle(_x);
            _targetSingle = ToSingle(_target);
            _point = new Params(Rounded(Matrix(random, 4, 4)));
        }

        protected override Params Point() => _point.Clone();

        protected override double Loss(Params p) => SharedWeights.Loss(p.M(0), _x, _target);

        protected override double Gradient(Params p, Params g) => SharedWeights.LossGradient(p.M(0), _x, _target, g.M(0));

        protected override double Backward(Params p, double seed, Params a) => SharedWeights.LossBackward(p.M(0), _x, _target, seed, a.M(0));

        protected override (double, Params) Textbook(Params p)
        {
            double loss = ReferenceGradients.SharedWeights(p.M(0), _x, _target, out double[,] dw);
            return (loss, new Params(dw));
        }

        protected override float LossSingle(Params p) => SharedWeights.Loss(p.MF(0), _xSingle, _targetSingle);

        protected override float GradientSingle(Params p, Params g) => SharedWeights.LossGradient(p.MF(0), _xSingle, _targetSingle, g.MF(0));

        [Fact]
        public void Gradient_is_the_sum_over_both_uses_of_W_not_either_one()
        {
            Params p = Point();
            Params g = p.Like();
            Gradient(p, g);
            ReferenceGradients.SharedWeights(p.M(0), _x, _target, out double[,] both);

            // The second use alone: Hᵀ δY.
            double[,] a = ReferenceGradients.MatMul(_x, p.M(0));
            var h = new double[6, 4];
            for (int i = 0; i < 6; i++) for (int k = 0; k < 4; k++) h[i, k] = Math.Max(0, a[i, k]);
            double[,] deltaY = ReferenceGradients.MatMul(h, p.M(0));
            ReferenceGradients.AddScaled(deltaY, _target, -1);
            double[,] second = ReferenceGradients.MatMul(ReferenceGradients.Transpose(h), deltaY);

            Close.Assert(new Params(both).Flatten(), g.Flatten(), TextbookTolerance, "both paths");
            double difference = 0;
            for (int i = 0; i < 4; i++) for (int k = 0; k < 4; k++) difference = Math.Max(difference, Math.Abs(g.M(0)[i, k] - second[i, k]));
            Assert.True(difference > 0.01, "the first use contributes");
        }

        [Fact]
        public void Wrong_shape_gradient_buffer_throws_naming_the_parameter()
        {
            var ex = Assert.Throws<ArgumentException>(() => SharedWeights.LossGradient(Point().M(0), _x, _target, new double[4, 3]));
            Assert.Equal("dw", ex.ParamName);
        }
    }
}
