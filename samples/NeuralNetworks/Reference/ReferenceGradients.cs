using System;

namespace NeuralNetworks
{
    /// <summary>
    /// The textbook gradients of the sample models, written by hand from the formulas in each model's documentation
    /// (no automatic differentiation): the independent answer the tests compare the generated gradients with.
    /// Each method returns the loss and allocates its gradients. All in double precision.
    /// </summary>
    public static partial class ReferenceGradients
    {
        // Small dense linear algebra for the formulas: matrices are double[rows, columns].

        /// <summary>The matrix product A·B.</summary>
        public static double[,] MatMul(double[,] a, double[,] b)
        {
            int n = a.GetLength(0), inner = a.GetLength(1), m = b.GetLength(1);
            if (b.GetLength(0) != inner) throw new ArgumentException("The inner dimensions differ.", nameof(b));
            var product = new double[n, m];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    double sum = 0;
                    for (int k = 0; k < inner; k++)
                    {
                        sum += a[i, k] * b[k, j];
                    }
                    product[i, j] = sum;
                }
            }
            return product;
        }

        /// <summary>The transpose Aᵀ.</summary>
        public static double[,] Transpose(double[,] a)
        {
            var transposed = new double[a.GetLength(1), a.GetLength(0)];
            for (int i = 0; i < a.GetLength(0); i++)
            {
                for (int j = 0; j < a.GetLength(1); j++)
                {
                    transposed[j, i] = a[i, j];
                }
            }
            return transposed;
        }

        /// <summary>The matrix-vector product A·v.</summary>
        public static double[] MatVec(double[,] a, double[] v)
        {
            var product = new double[a.GetLength(0)];
            for (int i = 0; i < a.GetLength(0); i++)
            {
                double sum = 0;
                for (int j = 0; j < a.GetLength(1); j++)
                {
                    sum += a[i, j] * v[j];
                }
                product[i] = sum;
            }
            return product;
        }

        /// <summary>The outer product u·vᵀ.</summary>
        public static double[,] Outer(double[] u, double[] v)
        {
            var product = new double[u.Length, v.Length];
            for (int i = 0; i < u.Length; i++)
            {
                for (int j = 0; j < v.Length; j++)
                {
                    product[i, j] = u[i] * v[j];
                }
            }
            return product;
        }

        /// <summary>A += scale·B, element-wise.</summary>
        public static void AddScaled(double[,] a, double[,] b, double scale = 1)
        {
            for (int i = 0; i < a.GetLength(0); i++)
            {
                for (int j = 0; j < a.GetLength(1); j++)
                {
                    a[i, j] += scale * b[i, j];
                }
            }
        }

        /// <summary>a += scale·b, element-wise.</summary>
        public static void AddScaled(double[] a, double[] b, double scale = 1)
        {
            for (int i = 0; i < a.Length; i++)
            {
                a[i] += scale * b[i];
            }
        }

        /// <summary>The squared Frobenius norm ‖A‖²_F.</summary>
        public static double SquaredNorm(double[,] a)
        {
            double sum = 0;
            foreach (double value in a)
            {
                sum += value * value;
            }
            return sum;
        }

        /// <summary>softmax(z)ᵢ = exp(zᵢ) / Σⱼ exp(zⱼ), shifted by the largest zⱼ.</summary>
        public static double[] Softmax(double[] z)
        {
            double largest = double.NegativeInfinity;
            foreach (double value in z)
            {
                largest = Math.Max(largest, value);
            }
            var s = new double[z.Length];
            double total = 0;
            for (int j = 0; j < z.Length; j++)
            {
                s[j] = Math.Exp(z[j] - largest);
                total += s[j];
            }
            for (int j = 0; j < z.Length; j++)
            {
                s[j] /= total;
            }
            return s;
        }

        /// <summary>The logistic sigmoid σ(a) = 1 / (1 + e⁻ᵃ).</summary>
        public static double Sigmoid(double a) => 1 / (1 + Math.Exp(-a));
    }
}
