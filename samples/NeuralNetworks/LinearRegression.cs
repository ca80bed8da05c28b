using AutoDiffGen;

namespace NeuralNetworks
{
    /// <summary>
    /// Linear and ridge regression on a data matrix <c>x</c> (one example per row) with targets <c>y</c>:
    /// prediction ŷᵢ = xᵢ·w + b, residual rᵢ = ŷᵢ − yᵢ, loss J = (1/2n) Σᵢ rᵢ², regularisation Ω = ½‖w‖²,
    /// ridge loss J + λΩ. Textbook gradient: ∇w = (1/n) Xᵀr (+ λw), ∂/∂b = (1/n) Σᵢ rᵢ.
    /// Each piece is its own <c>[Differentiable]</c> method; the callers' gradients call the callees' <c>…Backward</c>.
    /// </summary>
    public static partial class LinearRegression
    {
        /// <summary>The prediction for example <paramref name="i"/>: ŷᵢ = xᵢ·w + b.</summary>
        [Differentiable]
        public static double Predict(double[] w, double b, [NoDerivative] double[,] x, int i)
        {
            double prediction = b;
            for (int j = 0; j < w.Length; j++)
            {
                prediction += x[i, j] * w[j];
            }
            return prediction;
        }

        /// <summary>The residual rᵢ = ŷᵢ − yᵢ.</summary>
        [Differentiable]
        public static double Residual(double[] w, double b, [NoDerivative] double[,] x, [NoDerivative] double[] y, int i)
            => Predict(w, b, x, i) - y[i];

        /// <summary>The mean squared error J = (1/2n) Σᵢ rᵢ².</summary>
        [Differentiable]
        public static double Loss(double[] w, double b, [NoDerivative] double[,] x, [NoDerivative] double[] y)
        {
            int n = x.GetLength(0);
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                double r = Residual(w, b, x, y, i);
                sum += r * r;
            }
            return sum / (2 * n);
        }

        /// <summary>The weight penalty Ω = ½‖w‖² (the bias is not penalised).</summary>
        [Differentiable]
        public static double Regularisation(double[] w)
        {
            double sum = 0;
            for (int j = 0; j < w.Length; j++)
            {
                sum += w[j] * w[j];
            }
            return 0.5 * sum;
        }

        /// <summary>Ridge regression: J + λΩ.</summary>
        [Differentiable]
        public static double RidgeLoss(double[] w, double b, [NoDerivative] double[,] x, [NoDerivative] double[] y, [NoDerivative] double lambda)
            => Loss(w, b, x, y) + lambda * Regularisation(w);
    }
}
