using System;

namespace AutoDiffGen.Integration.Tests.Functions
{
    /// <summary>
    /// Methods with second-order companions (Derivatives.Hessian: MHessianVector, MHessian), one per construct family the
    /// reverse mode supports: straight-line code, loops over arrays, branches and early exits, local arrays, spans, float.
    /// </summary>
    public static partial class SecondOrder
    {
        /// <summary>f = (1 − x)² + 100 (y − x²)².</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

        /// <summary>The n-dimensional Rosenbrock function, Σᵢ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²: a loop over an array.</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Hessian)]
        public static double RosenbrockN(double[] x)
        {
            double sum = 0;
            for (int i = 0; i + 1 < x.Length; i++)
            {
                double a = x[i + 1] - x[i] * x[i];
                double b = 1 - x[i];
                sum += 100 * a * a + b * b;
            }
            return sum;
        }

        /// <summary>A loop-carried product and a branch on an active value: f = Σ aᵢ² sin aᵢ₊₁ + p log p.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double LoopWithBranch(double[] a)
        {
            double s = 0, p = 1;
            for (int i = 0; i + 1 < a.Length; i++)
            {
                s += a[i] * a[i] * Math.Sin(a[i + 1]);
                if (a[i] > 0) p *= Math.Exp(0.3 * a[i]);
                else p *= 1 + a[i] * a[i];
            }
            return s + Math.Log(p) * p;
        }

        /// <summary>Branches and returns from three places.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double EarlyExits(double x, double y)
        {
            if (x < -1) return x * x * y;
            double r = x * y;
            if (r > 1) return Math.Sin(r) * y;
            return r * r + Math.Exp(y);
        }

        /// <summary>Σⱼ tⱼ² with t = [x·y, sin x, y³] in a local array.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double LocalArray(double x, double y)
        {
            double[] t = new double[3];
            t[0] = x * y;
            t[1] = Math.Sin(x);
            t[2] = y * y * y;
            double s = 0;
            for (int j = 0; j < t.Length; j++) s += t[j] * t[j];
            return s;
        }

        /// <summary>exp, log, sin, a quotient and a power.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double Transcendental(double x, double y) => Math.Exp(x * y) + Math.Log(1 + x * x) * Math.Sin(y) + x / (1 + y * y) + Math.Pow(y, 3);

        /// <summary>A scalar and a span mixed: f = w · Σ sᵢ³ + w² Σ sᵢ sᵢ₊₁.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double SpanAndScalar(ReadOnlySpan<double> s, double w)
        {
            double cubes = 0, pairs = 0;
            for (int i = 0; i < s.Length; i++)
            {
                cubes += s[i] * s[i] * s[i];
                if (i + 1 < s.Length) pairs += s[i] * s[i + 1];
            }
            return w * cubes + w * w * pairs;
        }

        /// <summary>float throughout.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static float RosenbrockFloat(float x, float y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    }
}
