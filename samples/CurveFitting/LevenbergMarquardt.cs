using System;

namespace CurveFitting
{
    /// <summary>Fills the residuals r(p) (length m) and their Jacobian ∂r/∂p (m × n) at p.</summary>
    public delegate void ResidualsAndJacobian(ReadOnlySpan<double> p, Span<double> r, double[,] jacobian);

    /// <summary>What a fit ended with.</summary>
    public sealed record FitResult(double[] Parameters, double ResidualSumOfSquares, int Iterations, bool Converged);

    /// <summary>
    /// Levenberg–Marquardt for nonlinear least squares, min ½‖r(p)‖², in Marquardt's scaled form: each step solves
    /// (JᵀJ + λ diag(JᵀJ)) δ = −Jᵀr; a step that lowers the cost is taken and λ shrinks (towards Gauss–Newton), one
    /// that does not is refused and λ grows (towards scaled gradient descent). The scaling by diag(JᵀJ) makes it
    /// indifferent to the parameters' units (Misra1a's b1 ≈ 240 and b2 ≈ 5·10⁻⁴). The Jacobian comes from the caller
    /// (here, the generated MJacobian); the buffers are allocated once per fit.
    /// </summary>
    public sealed class LevenbergMarquardt
    {
        private readonly int _m;
        private readonly int _n;

        public LevenbergMarquardt(int residuals, int parameters)
        {
            _m = residuals;
            _n = parameters;
        }

        public int MaxIterations { get; init; } = 500;

        /// <summary>Stops when no parameter moves by more than this, relative to its size.</summary>
        public double RelativeStepTolerance { get; init; } = 1e-12;

        public FitResult Fit(ResidualsAndJacobian model, ReadOnlySpan<double> start)
        {
            var p = start.ToArray();
            var trial = new double[_n];
            var r = new double[_m];
            var trialR = new double[_m];
            var J = new double[_m, _n];
            var trialJ = new double[_m, _n];
            var A = new double[_n, _n];
            var g = new double[_n];
            var step = new double[_n];
            double lambda = 1e-3;

            model(p, r, J);
            double cost = SumOfSquares(r);
            for (int iteration = 1; iteration <= MaxIterations; iteration++)
            {
                NormalEquations(J, r, A, g);
                while (true)
                {
                    if (!SolveDamped(A, g, lambda, step))
                    {
                        lambda *= 10;
                        continue;
                    }
                    for (int k = 0; k < _n; k++) trial[k] = p[k] + step[k];
                    model(trial, trialR, trialJ);
                    double trialCost = SumOfSquares(trialR);
                    if (trialCost <= cost)
                    {
                        bool small = true;
                        for (int k = 0; k < _n; k++) small &= Math.Abs(step[k]) <= RelativeStepTolerance * (Math.Abs(p[k]) + RelativeStepTolerance);
                        (p, trial) = (trial, p);
                        (r, trialR) = (trialR, r);
                        (J, trialJ) = (trialJ, J);
                        cost = trialCost;
                        lambda = Math.Max(lambda / 10, 1e-15);
                        if (small) return new FitResult(p, cost, iteration, Converged: true);
                        break;
                    }
                    lambda *= 10;
                    if (lambda > 1e16) return new FitResult(p, cost, iteration, Converged: true); // no step lowers the cost: a minimum to round-off
                }
            }
            return new FitResult(p, cost, MaxIterations, Converged: false);
        }

        private static double SumOfSquares(double[] r)
        {
            double sum = 0;
            foreach (double v in r) sum += v * v;
            return sum;
        }

        /// <summary>A = JᵀJ, g = Jᵀr.</summary>
        private void NormalEquations(double[,] J, double[] r, double[,] A, double[] g)
        {
            for (int a = 0; a < _n; a++)
            {
                double ga = 0;
                for (int i = 0; i < _m; i++) ga += J[i, a] * r[i];
                g[a] = ga;
                for (int b = 0; b < _n; b++)
                {
                    double s = 0;
                    for (int i = 0; i < _m; i++) s += J[i, a] * J[i, b];
                    A[a, b] = s;
                }
            }
        }

        /// <summary>Solves (A + λ diag(A)) δ = −g by Cholesky; false when the damped matrix is not positive definite.</summary>
        private bool SolveDamped(double[,] A, double[] g, double lambda, double[] step)
        {
            Span<double> L = stackalloc double[_n * _n];
            for (int i = 0; i < _n; i++)
            {
                for (int j = 0; j <= i; j++)
                {
                    double s = A[i, j] + (i == j ? lambda * A[i, i] : 0);
                    for (int k = 0; k < j; k++) s -= L[i * _n + k] * L[j * _n + k];
                    if (i == j)
                    {
                        if (!(s > 0)) return false;
                        L[i * _n + i] = Math.Sqrt(s);
                    }
                    else
                    {
                        L[i * _n + j] = s / L[j * _n + j];
                    }
                }
            }
            for (int i = 0; i < _n; i++)
            {
                double s = -g[i];
                for (int k = 0; k < i; k++) s -= L[i * _n + k] * step[k];
                step[i] = s / L[i * _n + i];
            }
            for (int i = _n - 1; i >= 0; i--)
            {
                double s = step[i];
                for (int k = i + 1; k < _n; k++) s -= L[k * _n + i] * step[k];
                step[i] = s / L[i * _n + i];
            }
            return true;
        }
    }
}
