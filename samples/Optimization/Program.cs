using System;
using System.Globalization;
using System.Linq;

namespace Optimization
{
    /// <summary>
    /// Minimises the extended Rosenbrock function in n = 10 and n = 100 dimensions from the classic start (−1.2, 1, …)
    /// with trust-region Newton–CG (Steihaug), every Hessian-vector product from the generated <c>Rosenbrock.ValueHessianVector</c>.
    /// Usage: <c>dotnet run --project samples/Optimization</c>. Exits with 1 unless both runs reach (1, …, 1).
    /// </summary>
    public static class Program
    {
        public static int Main()
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            bool ok = true;
            foreach (int n in new[] { 10, 100 })
            {
                NewtonResult result = Solve(n);
                double distance = result.X.Max(v => Math.Abs(v - 1));
                Console.WriteLine($"n = {n,3}: f = {result.Value:E3}, |grad f| = {result.GradientNorm:E3}, max |x_i - 1| = {distance:E3}, "
                    + $"{result.Iterations} Newton iterations, {result.HessianVectorProducts} Hessian-vector products");
                ok &= result.Converged && distance < 1e-8;
            }
            return ok ? 0 : 1;
        }

        /// <summary>Newton–CG on the n-dimensional Rosenbrock function from the classic start.</summary>
        public static NewtonResult Solve(int n) =>
            new NewtonCg(Rosenbrock.Value, (x, g) => Rosenbrock.ValueGradient(x, g), (x, v, g, hv) => Rosenbrock.ValueHessianVector(x, v, g, hv)).Minimize(Rosenbrock.ClassicStart(n));
    }
}
