using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    // The same network in single precision: float overloads of the same methods.
    public static partial class ScalarNet
    {
        /// <summary>The logistic sigmoid σ(a) = 1 / (1 + e⁻ᵃ), in single precision.</summary>
        [Differentiable]
        public static float Sigmoid(float a) => 1 / (1 + MathF.Exp(-a));

        /// <summary>The network's output Yp = σ(X·W1 + b1)·W2 + b2, in single precision.</summary>
        [Differentiable]
        public static float Predict(float w1, float b1, float w2, float b2, [NoDerivative] float x)
        {
            float h = Sigmoid(x * w1 + b1);
            return h * w2 + b2;
        }

        /// <summary>The loss of one example, J = ½(Yp − Y)², in single precision.</summary>
        [Differentiable]
        public static float Loss(float w1, float b1, float w2, float b2, [NoDerivative] float x, [NoDerivative] float y)
        {
            float error = Predict(w1, b1, w2, b2, x) - y;
            return 0.5f * error * error;
        }

        /// <summary>The mean loss over a batch of examples, in single precision.</summary>
        [Differentiable]
        public static float BatchLoss(float w1, float b1, float w2, float b2, [NoDerivative] ReadOnlySpan<float> x, [NoDerivative] ReadOnlySpan<float> y)
        {
            float sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                sum += Loss(w1, b1, w2, b2, x[i], y[i]);
            }
            return sum / x.Length;
        }
    }
}
