using System;

namespace Optimization
{
    /// <summary>What a minimisation ended with.</summary>
    /// <param name="X">The last iterate.</param>
    /// <param name="Value">f there.</param>
    /// <param name="GradientNorm">‖∇f‖₂ there.</param>
    /// <param name="Iterations">Newton iterations taken (trust-region steps, accepted or not).</param>
    /// <param name="HessianVectorProducts">MHessianVector calls made (the inner conjugate-gradient steps).</param>
    /// <param name="Converged">Whether ‖∇f‖ fell below the tolerance.</param>
    public sealed record NewtonResult(double[] X, double Value, double GradientNorm, int Iterations, int HessianVectorProducts, bool Converged);

    /// <summary>
    /// Newton–CG in a trust region (Steihaug–Toint CG; Nocedal &amp; Wright, Numerical Optimization, Algorithms 4.1 and 7.2).
    /// Each Newton step solves H p = −g approximately by conjugate gradients that only ever need H·d — a Hessian-vector
    /// product — never H itself: the generated <c>MHessianVector</c> gives it at a small constant times the cost of one
    /// gradient. CG stops at the forcing tolerance ‖r‖ ≤ min(0.5, √‖g‖)·‖g‖, at the trust-region boundary, or at
    /// negative curvature (then it follows that direction to the boundary), so the method copes with the indefinite
    /// Hessians far from the minimum; the region grows or shrinks with how well the quadratic model predicted f.
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

        public NewtonResult Minimize(double[] start, double tolerance = 1e-10, int maxIterations = 2_000)
        {
            int n = start.Length;
            double[] x = (double[])start.Clone(), g = new double[n], hv = new double[n], scratch = new double[n];
            double[] p = new double[n], r = new double[n], d = new double[n], trial = new double[n];
            int products = 0;
            double radius = 1, maxRadius = 100;
            double value = _gradient(x, g);
            for (int iteration = 0; iteration < maxIterations; iteration++)
            {
                double gradientNorm = Norm(g);
                if (gradientNorm <= tolerance) return new NewtonResult(x, value, gradientNorm, iteration, products, true);

                // Steihaug CG on the model m(p) = f + gᵀp + ½ pᵀHp inside ‖p‖ ≤ radius, from p = 0; it also tracks m(p) − f.
                double forcing = Math.Min(0.5, Math.Sqrt(gradientNorm)) * gradientNorm;
                Array.Clear(p);
                for (int i = 0; i < n; i++)
                {
                    r[i] = g[i];
                    d[i] = -g[i];
                }
                double rr = Dot(r, r), predicted = 0;
                bool onBoundary = false;
                for (int j = 0; j < 2 * n; j++)
                {
                    _hvp(x, d, scratch, hv); // the gradient goes to scratch: only H·d is used here
                    products++;
                    double curvature = Dot(d, hv);
                    double alpha = curvature > 0 ? rr / curvature : double.PositiveInfinity;
                    if (curvature <= 0 || Norm(p, d, alpha) >= radius)
                    {
                        // Along d to the boundary: ‖p + τ d‖ = radius.
                        double tau = ToBoundary(p, d, radius);
                        predicted += tau * Dot(r, d) + 0.5 * tau * tau * curvature;
                        for (int i = 0; i < n; i++) p[i] += tau * d[i];
                        onBoundary = true;
                        break;
                    }
                    predicted += alpha * Dot(r, d) + 0.5 * alpha * alpha * curvature;
                    for (int i = 0; i < n; i++)
                    {
                        p[i] += alpha * d[i];
                        r[i] += alpha * hv[i];
                    }
                    double next = Dot(r, r);
                    if (Math.Sqrt(next) <= forcing) break;
                    double beta = next / rr;
                    rr = next;
                    for (int i = 0; i < n; i++) d[i] = -r[i] + beta * d[i];
                }

                // Accept the step where f fell by a tenth of what the model predicted; resize the region by the ratio.
                for (int i = 0; i < n; i++) trial[i] = x[i] + p[i];
                double trialValue = _f(trial);
                double ratio = predicted < 0 ? (trialValue - value) / predicted : -1;
                if (ratio < 0.25) radius = 0.25 * Norm(p);
                else if (ratio > 0.75 && onBoundary) radius = Math.Min(2 * radius, maxRadius);
                if (ratio > 0.1)
                {
                    Array.Copy(trial, x, n);
                    value = _gradient(x, g);
                }
            }
            return new NewtonResult(x, value, Norm(g), maxIterations, products, Norm(g) <= tolerance);
        }

        /// <summary>The τ ≥ 0 with ‖p + τ d‖ = radius (p inside the region).</summary>
        private static double ToBoundary(double[] p, double[] d, double radius)
        {
            double dd = Dot(d, d), pd = Dot(p, d), pp = Dot(p, p);
            return (-pd + Math.Sqrt(pd * pd + dd * (radius * radius - pp))) / dd;
        }

        private static double Norm(double[] p, double[] d, double alpha)
        {
            double s = 0;
            for (int i = 0; i < p.Length; i++) s += (p[i] + alpha * d[i]) * (p[i] + alpha * d[i]);
            return Math.Sqrt(s);
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
