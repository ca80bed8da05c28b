using AutoDiffGen;

namespace NeuralNetworks
{
    // The same models in single precision: float overloads of the same methods.
    public static partial class LinearRegression
    {
        /// <summary>The prediction ŷᵢ = xᵢ·w + b, in single precision.</summary>
        [Differentiable]
        public static float Predict(float[] w, float b, [NoDerivative] float[,] x, int i)
        {
            float prediction = b;
            for (int j = 0; j < w.Length; j++)
            {
                prediction += x[i, j] * w[j];
            }
            return prediction;
        }

        /// <summary>The residual rᵢ = ŷᵢ − yᵢ, in single precision.</summary>
        [Differentiable]
        public static float Residual(float[] w, float b, [NoDerivative] float[,] x, [NoDerivative] float[] y, int i)
            => Predict(w, b, x, i) - y[i];

        /// <summary>The mean squared error J = (1/2n) Σᵢ rᵢ², in single precision.</summary>
        [Differentiable]
        public static float Loss(float[] w, float b, [NoDerivative] float[,] x, [NoDerivative] float[] y)
        {
            int n = x.GetLength(0);
            float sum = 0;
            for (int i = 0; i < n; i++)
            {
                float r = Residual(w, b, x, y, i);
                sum += r * r;
            }
            return sum / (2 * n);
        }

        /// <summary>The weight penalty Ω = ½‖w‖², in single precision.</summary>
        [Differentiable]
        public static float Regularisation(float[] w)
        {
            float sum = 0;
            for (int j = 0; j < w.Length; j++)
            {
                sum += w[j] * w[j];
            }
            return 0.5f * sum;
        }

        /// <summary>Ridge regression J + λΩ, in single precision.</summary>
        [Differentiable]
        public static float RidgeLoss(float[] w, float b, [NoDerivative] float[,] x, [NoDerivative] float[] y, [NoDerivative] float lambda)
            => Loss(w, b, x, y) + lambda * Regularisation(w);
    }
}
