using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    /// <summary>
    /// The smallest neural network: one input, one sigmoid hidden unit, one linear output.
    /// Yp = σ(X·W1 + b1)·W2 + b2 with the squared-error loss J = ½(Yp − Y)².
    /// Textbook gradient (with h = σ(a), a = X·W1 + b1, δ = Yp − Y):
    /// ∂J/∂W2 = δ·h, ∂J/∂b2 = δ, ∂J/∂W1 = δ·W2·σ′(a)·X, ∂J/∂b1 = δ·W2·σ′(a), σ′(a) = σ(a)(1 − σ(a)).
    /// </summary>
    public static partial class ScalarNet
    {
        /// <summary>The logistic sigmoid σ(a) = 1 / (1 + e⁻ᵃ).</summary>
        [Differentiable]
        public static double Sigmoid(double a) => 1 / (1 + Math.Exp(-a));

        /// <summary>The network's output Yp = σ(X·W1 + b1)·W2 + b2.</summary>
        [Differentiable]
        public static double Predict(double w1, double b1, double w2, double b2, [NoDerivative] double x)
        {
            double h = Sigmoid(x * w1 + b1);
            return h * w2 + b2;
        }

        /// <summary>The loss of one example, J = ½(Yp − Y)².</summary>
        [Differentiable]
        public static double Loss(double w1, double b1, double w2, double b2, [NoDerivative] double x, [NoDerivative] double y)
        {
            double error = Predict(w1, b1, w2, b2, x) - y;
            return 0.5 * error * error;
        }

        /// <summary>The mean loss over a batch of examples (xᵢ, yᵢ); the data may be arrays or slices of them.</summary>
        [Differentiable]
        public static double BatchLoss(double w1, double b1, double w2, double b2, [NoDerivative] ReadOnlySpan<double> x, [NoDerivative] ReadOnlySpan<double> y)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                sum += Loss(w1, b1, w2, b2, x[i], y[i]);
            }
            return sum / x.Length;
        }
    }
}
