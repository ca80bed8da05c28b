using System;

namespace AutoDiffGen.Integration.Tests.Functions
{
    /// <summary>Local jagged arrays: new double[n][] with rows assigned one by one (ADG0101 before; see ArraysKnownFailures.cs.txt).</summary>
    public static partial class JaggedLocals
    {
        // ---- 3. A local jagged array new double[n][] with rows allocated in a loop ----

        /// <summary>One row, one element: gradient 1.</summary>
        [Differentiable]
        public static double JaggedLocalMinimal(double x)
        {
            double[][] t = new double[1][];
            t[0] = new double[1];
            t[0][0] = x;
            return t[0][0];
        }

        /// <summary>A triangle of rows written by =, += and *=: Σ_{j≤i} (aᵢaⱼ + x)·aⱼ;
        /// gradient ∂/∂aₖ = Σ_{j≤k} aⱼ² + Σ_{i≥k} (2aᵢaₖ + x), ∂/∂x = Σⱼ (n − j)·aⱼ.</summary>
        [Differentiable]
        public static double LocalJaggedTriangle(double[] a, double x)
        {
            int n = a.Length;
            double[][] t = new double[n][];
            for (int i = 0; i < n; i++)
            {
                t[i] = new double[i + 1];
                for (int j = 0; j <= i; j++)
                {
                    t[i][j] = a[i] * a[j];
                    t[i][j] += x;
                    t[i][j] *= a[j];
                }
            }
            double s = 0;
            for (int i = 0; i < t.Length; i++)
            {
                for (int j = 0; j < t[i].Length; j++)
                {
                    s += t[i][j];
                }
            }
            return s;
        }

        /// <summary>A jagged scratch array rebuilt every outer iteration (rows replaced): Σₒ Σ_{i<n} Σ_{j≤i} (aᵢ + o·x)·aⱼ.
        /// Gradient ∂/∂aₖ = Σₒ [Σ_{j≤k} aⱼ + Σ_{i≥k} (aᵢ + o·x)], ∂/∂x = Σₒ o Σ_{j≤i} aⱼ.</summary>
        [Differentiable]
        public static double RebuiltEveryIteration(double[] a, double x)
        {
            int n = a.Length;
            double[][] t = new double[n][];
            double s = 0;
            for (int o = 0; o < 3; o++)
            {
                for (int i = 0; i < n; i++)
                {
                    t[i] = new double[i + 1];
                    for (int j = 0; j <= i; j++) t[i][j] = (a[i] + o * x) * a[j];
                }
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < t[i].Length; j++) s += t[i][j];
                }
            }
            return s;
        }
    }
}
