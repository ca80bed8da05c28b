using System;
using AutoDiffGen;

namespace QuickStart
{
    /// <summary>
    /// The functions this sample differentiates. For each <c>[Differentiable]</c> method <c>M</c> the generator adds,
    /// beside it in this partial class, <c>MGradient</c> (value and gradient) and <c>MBackward</c> (the pullback).
    /// </summary>
    public static partial class Functions
    {
        /// <summary>f(x1, x2) = ln(x1) + x1·x2 − sin(x2), the usual first example of reverse mode.</summary>
        [Differentiable]
        public static double LogProduct(double x1, double x2) => Math.Log(x1) + x1 * x2 - Math.Sin(x2);

        /// <summary>
        /// A damped spring, stiffer when stretched, integrated with explicit Euler steps; returns the final position.
        /// A loop whose body branches on the state and overwrites its variables, so the reverse sweep needs the
        /// values recorded on the way forward. <paramref name="steps"/> is an <c>int</c>: passive, no gradient.
        /// </summary>
        [Differentiable]
        public static double Spring(double x0, double v0, double stiffness, int steps)
        {
            const double dt = 0.05;
            double x = x0;
            double v = v0;
            for (int i = 0; i < steps; i++)
            {
                double force = -stiffness * x - 0.3 * v;
                if (x > 0)
                {
                    force -= 0.5 * x * x;
                }
                v += dt * force;
                x += dt * v;
            }
            return x;
        }

        /// <summary>The log-density of a normal distribution, in single precision with <see cref="MathF"/>.</summary>
        [Differentiable]
        public static float NormalLogDensity(float x, float mean, float sigma)
        {
            float z = (x - mean) / sigma;
            return -0.5f * z * z - MathF.Log(sigma) - 0.5f * MathF.Log(2 * MathF.PI);
        }

        /// <summary>
        /// The squared error of a linear model on one sample plus an L2 penalty. The weights are an array, so the
        /// gradient with respect to them comes back in a span; the data and λ are <c>[NoDerivative]</c>.
        /// </summary>
        [Differentiable]
        public static double Ridge(double[] w, double b, [NoDerivative] double[] x, [NoDerivative] double y, [NoDerivative] double lambda)
        {
            double r = b - y;
            for (int j = 0; j < w.Length; j++)
            {
                r += w[j] * x[j];
            }
            double reg = 0;
            for (int j = 0; j < w.Length; j++)
            {
                reg += w[j] * w[j];
            }
            return r * r + lambda * reg;
        }

        /// <summary>Rosenbrock's banana function: minimum 0 at (1, 1), at the end of a long curved valley.</summary>
        [Differentiable]
        public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    }
}
