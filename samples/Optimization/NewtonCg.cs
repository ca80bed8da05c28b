using System;

namespace Optimization
{
    /// <summary>What a minimisation ended with.</summary>
    /// <param name="X">The last iterate.</param>
    /// <param name="Value">f there.</param>
    /// <param name="GradientNorm">‖∇f‖₂ there.</param>
    /// <param name="Iterations">Newton iterations taken.</param>
    /// <param name="HessianVectorProducts">MHessianVector calls made (the inner conjugate-gradient steps).</param>
    /// <param name="Converged">Whether ‖∇f‖ fell below the tolerance.</param>
    public sealed record NewtonResult(double[] X, double Value, double GradientNorm, int Iterations, int HessianVectorProducts, bool Converged);

    /// <summary>
    /// Truncated Newton (Newton–CG, Nocedal &amp; Wright, Numerical Optimization, Algorithm 7.1) with a backtracking Armijo
    /// line search. Each Newton step solves H p = −g approximately by conjugate gradients that only ever need H·d — a
    /// Hessian-vector product — never H itself: the generated <c>MHessianVector</c> gives it (and the gradient) at a small
    /// constant times the cost of one gradient. CG stops at the forcing tolerance ‖r‖ ≤ min(0.5, √‖g‖)·‖g‖, or at
    /// negative curvature (then the steepest-descent direction, or the CG iterate so far, is used).
    /// </summary>
    public sealed class NewtonCg
    {
        /// <summary>(value, gradient into g, H·v into hv) at x along v.</summary>
        public delegate double HessianVectorProduct(double[] x, double[] v, Span<double> g, Span<double> hv);

        /// <summary>(value, gradient into g) at x.</summary>
        public delegate double Gradient(double[] x, Span<double> g);

        private readonly Func<double[], double> _f;
        private readonly Gradient _gradient;
        private readonly HessianVectorProduct _hvp;

        public NewtonCg(Func<double[], double> f, Gradient gradient, HessianVectorProduct hvp)
        {
            _f = f;
            _gradient = gradient;
            _hvp = hvp;
        }

        public NewtonResult Minimize(double[] start, double tolerance = 1e-10, int maxIterations = 200)
        {
            int n = start.Length;
            double[] x = (double[])start.Clone(), g = new double[n], hv = new double[n];
            double[] p = new double[n], r = new double[n], d = new double[n], trial = new double[n];
            int products = 0;
            double value = _gradient(x, g);
            for (int iteration = 0; iteration < maxIterations; iteration++)
            {
                double gradientNorm = Norm(g);
                if (gradientNorm <= tolerance) return new NewtonResult(x, value, gradientNorm, iteration, products, true);

                // Inner CG on H p = −g, from p = 0.
                double forcing = Math.Min(0.5, Math.Sqrt(gradientNorm)) * gradientNorm;
                Array.Clear(p);
                for (int i = 0; i < n; i++) r[i] = d[i] = -g[i];
                double rr = Dot(r, r);
                for (int j = 0; j < 2 * n; j++)
                {
                    _hvp(x, d, trial, hv); // the gradient goes to scratch: only H·d is used here
                    products++;
                    double curvature = Dot(d, hv);
                    if (curvature <= 0)
                    {
                        if (j == 0) for (int i = 0; i < n; i++) p[i] = -g[i];
                        break;
                    }
                    double alpha = rr / curvature;
                    for (int i = 0; i < n; i++)
                    {
                        p[i] += alpha * d[i];
                        r[i] -= alpha * hv[i];
                    }
                    double next = Dot(r, r);
                    if (Math.Sqrt(next) <= forcing) break;
                    double beta = next / rr;
                    rr = next;
                    for (int i = 0; i < n; i++) d[i] = r[i] + beta * d[i];
                }

                // Backtracking line search (Armijo, c = 1e-4) from the full Newton step.
                double slope = Dot(g, p), step = 1;
                double trialValue;
                while (true)
                {
                    for (int i = 0; i < n; i++) trial[i] = x[i] + step * p[i];
                    trialValue = _f(trial);
                    if (trialValue <= value + 1e-4 * step * slope || step < 1e-12) break;
                    step /= 2;
                }
                Array.Copy(trial, x, n);
                value = _gradient(x, g);
            }
            return new NewtonResult(x, value, Norm(g), maxIterations, products, Norm(g) <= tolerance);
        }

        private static double Dot(double[] a, double[] b)
        {
            double s = 0;
            for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
            return s;
        }

        private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));
    }
}
