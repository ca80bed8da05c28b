using System;

namespace AutoDiffGen.Integration.Tests.Functions
{
    /// <summary>
    /// Second order over the array shapes besides vectors and spans: matrices, jagged arrays, and inputs the method writes
    /// into. The Hessian is over the flattened inputs in parameter order, each array row-major (api.md "Flattening"); an
    /// input the method overwrites is differentiated at its entry values, as MGradient does.
    /// </summary>
    public static partial class SecondOrderArrays
    {
        /// <summary>f = s·Σ aᵢⱼ³ + C², C = Σᵢ Σⱼ aᵢⱼ aᵢ,ⱼ₊₁: a matrix and a scalar, nested loops, neighbours in a row.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double MatrixEnergy(double[,] a, double s)
        {
            double cubes = 0, chain = 0;
            for (int i = 0; i < a.GetLength(0); i++)
            {
                for (int j = 0; j < a.GetLength(1); j++)
                {
                    cubes += a[i, j] * a[i, j] * a[i, j];
                    if (j + 1 < a.GetLength(1)) chain += a[i, j] * a[i, j + 1];
                }
            }
            return s * cubes + chain * chain;
        }

        /// <summary>The same energy in float, written as one loop over the flattened index.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static float MatrixEnergyFloat(float[,] a, float s)
        {
            float cubes = 0, chain = 0;
            int columns = a.GetLength(1);
            for (int k = 0; k < a.Length; k++)
            {
                int i = k / columns, j = k % columns;
                float e = a[i, j];
                cubes += e * e * e;
                if (j + 1 < columns) chain += e * a[i, j + 1];
            }
            return s * cubes + chain * chain;
        }

        /// <summary>f = Σᵢ log(1 + rᵢ) + Σᵢ xᵢ₀ xᵢ₊₁,₀, rᵢ = Σⱼ xᵢⱼ²: ragged rows of a jagged array.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double JaggedRows(double[][] x)
        {
            double total = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double r = 0;
                for (int j = 0; j < x[i].Length; j++) r += x[i][j] * x[i][j];
                total += Math.Log(1 + r);
                if (i + 1 < x.Length) total += x[i][0] * x[i + 1][0];
            }
            return total;
        }

        /// <summary>The jagged case in float, with a while loop and rows summed backwards.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static float JaggedRowsFloat(float[][] x)
        {
            float total = 0;
            int i = 0;
            while (i < x.Length)
            {
                float r = 0;
                for (int j = x[i].Length - 1; j >= 0; j--) r += x[i][j] * x[i][j];
                total += MathF.Log(1 + r) + (i + 1 < x.Length ? x[i][0] * x[i + 1][0] : 0);
                i++;
            }
            return total;
        }

        /// <summary>Overwrites its input, xᵢ ← xᵢ sin xᵢ, then f = Σ xᵢ xᵢ₊₁ + w Σ xᵢ² (over the new values).</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double OverwritesInput(double[] x, double w)
        {
            for (int i = 0; i < x.Length; i++) x[i] = x[i] * Math.Sin(x[i]);
            double s = 0, q = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (i + 1 < x.Length) s += x[i] * x[i + 1];
                q += x[i] * x[i];
            }
            return s + w * q;
        }

        /// <summary>The written input in float: overwritten backwards with a compound assignment, pairs taken from the left.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static float OverwritesInputFloat(float[] x, float w)
        {
            for (int i = x.Length - 1; i >= 0; i--) x[i] *= MathF.Sin(x[i]);
            float s = 0, q = 0;
            for (int i = 0; i < x.Length; i++)
            {
                q += x[i] * x[i];
                if (i > 0) s += x[i - 1] * x[i];
            }
            return s + w * q;
        }

        /// <summary>Overwrites a matrix input in place (aᵢⱼ ← aᵢⱼ²) and returns Σ sin(aᵢⱼ) aᵢ,ⱼ₊₁ (MTangent too: its tangent copy is rented).</summary>
        [Differentiable(Derivatives.Forward | Derivatives.Hessian)]
        public static double OverwritesMatrix(double[,] a)
        {
            for (int i = 0; i < a.GetLength(0); i++)
            {
                for (int j = 0; j < a.GetLength(1); j++) a[i, j] = a[i, j] * a[i, j];
            }
            double s = 0;
            for (int i = 0; i < a.GetLength(0); i++)
            {
                for (int j = 0; j + 1 < a.GetLength(1); j++) s += Math.Sin(a[i, j]) * a[i, j + 1];
            }
            return s;
        }

        /// <summary>Overwrites a jagged input in place (xᵢⱼ ← xᵢⱼ · xᵢ₀ for j ≥ 1) and returns Σ xᵢⱼ² xᵢ₊₁,₀ over the new values (MTangent too).</summary>
        [Differentiable(Derivatives.Forward | Derivatives.Hessian)]
        public static double OverwritesJagged(double[][] x)
        {
            for (int i = 0; i < x.Length; i++)
            {
                for (int j = 1; j < x[i].Length; j++) x[i][j] = x[i][j] * x[i][0];
            }
            double s = 0;
            for (int i = 0; i + 1 < x.Length; i++)
            {
                for (int j = 0; j < x[i].Length; j++) s += x[i][j] * x[i][j] * x[i + 1][0];
            }
            return s;
        }

        /// <summary>A write at constant indices into a float jagged input: m₀₁ ← m₀₀ m₀₁, then m₀₁ m₁₀.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static float OverwritesJaggedAtConstants(float[][] m) { m[0][1] = m[0][0] * m[0][1]; return m[0][1] * m[1][0]; }

        /// <summary>Σⱼ sin(aᵢⱼ) aᵢⱼ over row i of a matrix: a helper a second-order caller reaches (its MBackwardTangent on demand).</summary>
        [Differentiable]
        public static double RowEnergy(double[,] a, int i)
        {
            double s = 0;
            for (int j = 0; j < a.GetLength(1); j++) s += Math.Sin(a[i, j]) * a[i, j];
            return s;
        }

        /// <summary>The product of the rows' energies, through calls of a helper taking the matrix.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double RowEnergyProduct(double[,] a)
        {
            double p = 1;
            for (int i = 0; i < a.GetLength(0); i++) p *= 1 + RowEnergy(a, i);
            return p;
        }

        /// <summary>Σᵢ (Σⱼ xᵢⱼ)² through a helper taking the jagged array.</summary>
        [Differentiable]
        public static double RowSumSquared(double[][] x, int i)
        {
            double s = 0;
            for (int j = 0; j < x[i].Length; j++) s += x[i][j];
            return s * s;
        }

        /// <summary>The caller of <see cref="RowSumSquared"/>, with a scalar weight.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double WeightedRows(double[][] x, double w)
        {
            double total = 0;
            for (int i = 0; i < x.Length; i++) total += w * RowSumSquared(x, i) * (i + 1);
            return total * w;
        }

        /// <summary>Mixed precision: a float matrix and a double scalar, a double result (the Hessian is double).</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double MixedMatrix(float[,] a, double s) => s * s * a[0, 0] * a[0, 1] + a[1, 0] * a[1, 0] * a[1, 1];
    }
}
