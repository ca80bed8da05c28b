using System;
using AutoDiffGen.Samples.Tests.Infrastructure;
using NeuralNetworks;
using static AutoDiffGen.Samples.Tests.Infrastructure.Matrices;

namespace AutoDiffGen.Samples.Tests
{
    /// <summary>Shared data: 20 examples with 3 features; the point is (w, b).</summary>
    public abstract class RegressionTestsBase : ModelTests
    {
        protected readonly double[,] X;
        protected readonly double[] Y;
        protected readonly float[,] XSingle;
        protected readonly float[] YSingle;
        private readonly Params _point;

        protected RegressionTestsBase()
        {
            var random = new Random(1);
            X = Rounded(Matrix(random, 20, 3, scale: 2));
            Y = Rounded(Vector(random, 20, scale: 3));
            XSingle = ToSingle(X);
            YSingle = ToSingle(Y);
            _point = new Params(Rounded(Vector(random, 3)), Rounded(new[] { 0.3 }));
        }

        protected override Params Point() => _point.Clone();
    }

    /// <summary>Linear regression J = (1/2n)‖Xw + b − y‖²: ∇w = (1/n)Xᵀr, ∂b = (1/n)Σr.</summary>
    public sealed class LinearRegressionTests : RegressionTestsBase
    {
        protected override double Loss(Params p) => LinearRegression.Loss(p.V(0), p.V(1)[0], X, Y);

        protected override double Gradient(Params p, Params g)
            => LinearRegression.LossGradient(p.V(0), p.V(1)[0], X, Y, g.V(0), out g.V(1)[0]);

        protected override double Backward(Params p, double seed, Params a)
            => LinearRegression.LossBackward(p.V(0), p.V(1)[0], X, Y, seed, a.V(0), ref a.V(1)[0]);

        protected override (double, Params) Textbook(Params p)
        {
            double loss = ReferenceGradients.LinearRegression(p.V(0), p.V(1)[0], X, Y, out double[] dw, out double db);
            return (loss, new Params(dw, new[] { db }));
        }

        protected override float LossSingle(Params p) => LinearRegression.Loss(p.VF(0), p.VF(1)[0], XSingle, YSingle);

        protected override float GradientSingle(Params p, Params g)
            => LinearRegression.LossGradient(p.VF(0), p.VF(1)[0], XSingle, YSingle, g.VF(0), out g.VF(1)[0]);

        [Fact]
        public void Wrong_length_gradient_buffer_throws_naming_the_parameter()
        {
            Params p = Point();
            var ex = Assert.Throws<ArgumentException>(() => LinearRegression.LossGradient(p.V(0), p.V(1)[0], X, Y, new double[2], out _));
            Assert.Equal("dw", ex.ParamName);
        }

        [Fact]
        public void Gradient_of_the_prediction_is_the_example()
        {
            // ∂ŷᵢ/∂w = xᵢ, ∂ŷᵢ/∂b = 1: the callee on its own.
            Params p = Point();
            var dw = new double[3];
            LinearRegression.PredictGradient(p.V(0), p.V(1)[0], X, 4, dw, out double db);
            Assert.Equal(new[] { X[4, 0], X[4, 1], X[4, 2] }, dw);
            Assert.Equal(1.0, db);
        }
    }

    /// <summary>Ridge regression J + (λ/2)‖w‖²: ∇w = (1/n)Xᵀr + λw.</summary>
    public sealed class RidgeRegressionTests : RegressionTestsBase
    {
        private const double Lambda = 0.25;

        protected override double Loss(Params p) => LinearRegression.RidgeLoss(p.V(0), p.V(1)[0], X, Y, Lambda);

        protected override double Gradient(Params p, Params g)
            => LinearRegression.RidgeLossGradient(p.V(0), p.V(1)[0], X, Y, Lambda, g.V(0), out g.V(1)[0]);

        protected override double Backward(Params p, double seed, Params a)
            => LinearRegression.RidgeLossBackward(p.V(0), p.V(1)[0], X, Y, Lambda, seed, a.V(0), ref a.V(1)[0]);

        protected override (double, Params) Textbook(Params p)
        {
            double loss = ReferenceGradients.Ridge(p.V(0), p.V(1)[0], X, Y, Lambda, out double[] dw, out double db);
            return (loss, new Params(dw, new[] { db }));
        }

        protected override float LossSingle(Params p) => LinearRegression.RidgeLoss(p.VF(0), p.VF(1)[0], XSingle, YSingle, (float)Lambda);

        protected override float GradientSingle(Params p, Params g)
            => LinearRegression.RidgeLossGradient(p.VF(0), p.VF(1)[0], XSingle, YSingle, (float)Lambda, g.VF(0), out g.VF(1)[0]);

        [Fact]
        public void Wrong_length_gradient_buffer_throws_naming_the_parameter()
        {
            Params p = Point().ToSingle();
            var ex = Assert.Throws<ArgumentException>(() => LinearRegression.RidgeLossGradient(p.VF(0), p.VF(1)[0], XSingle, YSingle, 0.1f, new float[4], out _));
            Assert.Equal("dw", ex.ParamName);
        }
    }
}
