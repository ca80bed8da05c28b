using System;
using System.Globalization;

namespace CurveFitting
{
    /// <summary>
    /// Fits the NIST StRD Misra1a model with Levenberg–Marquardt, the Jacobian of the residuals from the generated
    /// <c>Misra1a.ResidualsJacobian</c>, from both of NIST's starting points, and compares with the certified values.
    /// Usage: <c>dotnet run --project samples/CurveFitting</c>. Exits with 1 unless every fit agrees to 6 significant digits.
    /// </summary>
    public static class Program
    {
        public static int Main()
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            Misra1a problem = Misra1a.Load(Misra1a.DefaultPath);
            var solver = new LevenbergMarquardt(problem.X.Length, 2);
            bool ok = true;
            Console.WriteLine("Misra1a (NIST StRD), y = b1 (1 - exp(-b2 x)), " + problem.X.Length + " observations");
            Console.WriteLine($"certified:  b1 = {problem.Certified[0]:E10}  b2 = {problem.Certified[1]:E10}  RSS = {problem.CertifiedResidualSumOfSquares:E10}");
            for (int s = 0; s < problem.Starts.Count; s++)
            {
                FitResult fit = solver.Fit(problem.ResidualsAndJacobian, problem.Starts[s]);
                double digits = Math.Min(Math.Min(Digits(fit.Parameters[0], problem.Certified[0]), Digits(fit.Parameters[1], problem.Certified[1])),
                    Digits(fit.ResidualSumOfSquares, problem.CertifiedResidualSumOfSquares));
                Console.WriteLine($"start {s + 1}:    b1 = {fit.Parameters[0]:E10}  b2 = {fit.Parameters[1]:E10}  RSS = {fit.ResidualSumOfSquares:E10}"
                    + $"  ({fit.Iterations} iterations, {digits:F1} correct digits)");
                ok &= fit.Converged && digits >= 6;
            }
            return ok ? 0 : 1;
        }

        /// <summary>The log relative error (LRE) NIST uses: −log10(|estimate − certified| / |certified|).</summary>
        public static double Digits(double estimate, double certified) =>
            estimate == certified ? 15 : -Math.Log10(Math.Abs(estimate - certified) / Math.Abs(certified));
    }
}
