using System;
using System.Diagnostics;
using System.Globalization;
using AutoDiffGen.Runtime;

namespace QuickStart
{
    /// <summary>
    /// Calls the gradients AutoDiffGen generated for <see cref="Functions"/>, compares each with central finite
    /// differences, then minimises Rosenbrock's function with them. Exits with 1 if a check fails.
    /// </summary>
    public static class Program
    {
        // Central differences in double precision agree with an exact gradient to about 1e-9; in single precision
        // to about 1e-4. A difference far above that means the generated gradient is wrong.
        private const double DoubleTolerance = 1e-6;
        private const double FloatTolerance = 1e-3;

        // The relative finite-difference step for float functions: about the cube root of float precision.
        private const double FloatStep = 1e-3;

        public static int Main()
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            int failures = 0;

            Console.WriteLine("AutoDiffGen QuickStart: generated gradients against central finite differences");
            Console.WriteLine();

            // 1. Expression body with Math.Log and Math.Sin.
            {
                double x1 = 2, x2 = 5;
                double value = Functions.LogProductGradient(x1, x2, out double dx1, out double dx2);
                failures += Check(
                    "LogProduct(x1, x2) = ln(x1) + x1*x2 - sin(x2)",
                    ["x1", "x2"], [x1, x2], value, [dx1, dx2],
                    p => Functions.LogProduct(p[0], p[1]),
                    DoubleTolerance, GradientCheck.DefaultStep);
            }

            // 2. A loop with a branch; the passive int argument gets no gradient.
            {
                double x0 = 1.5, v0 = -0.5, stiffness = 2;
                const int steps = 40;
                double value = Functions.SpringGradient(x0, v0, stiffness, steps, out double dx0, out double dv0, out double dstiffness);
                failures += Check(
                    $"Spring(x0, v0, stiffness, steps: {steps}): Euler steps of a nonlinear spring",
                    ["x0", "v0", "stiffness"], [x0, v0, stiffness], value, [dx0, dv0, dstiffness],
                    p => Functions.Spring(p[0], p[1], p[2], steps),
                    DoubleTolerance, GradientCheck.DefaultStep);
            }

            // 3. Single precision: the gradient comes back as floats.
            {
                float x = 1.5f, mean = 0.5f, sigma = 0.8f;
                float value = Functions.NormalLogDensityGradient(x, mean, sigma, out float dx, out float dmean, out float dsigma);
                failures += Check(
                    "NormalLogDensity(x, mean, sigma) with MathF, in float",
                    ["x", "mean", "sigma"], [x, mean, sigma], value, [dx, dmean, dsigma],
                    p => Functions.NormalLogDensity((float)p[0], (float)p[1], (float)p[2]),
                    FloatTolerance, FloatStep);
            }

            // 4. An array parameter: its gradient is written into a buffer of the same length.
            {
                double[] w = [0.5, -1.0, 2.0];
                double b = 0.1;
                double[] x = [1.0, 2.0, 3.0];
                const double y = 1.0, lambda = 0.1;
                var dw = new double[w.Length];
                double value = Functions.RidgeGradient(w, b, x, y, lambda, dw, out double db);
                failures += Check(
                    "Ridge(w, b; x, y, lambda) = (w.x + b - y)^2 + lambda*|w|^2, array weights",
                    ["w[0]", "w[1]", "w[2]", "b"], [w[0], w[1], w[2], b], value, [dw[0], dw[1], dw[2], db],
                    p => Functions.Ridge([p[0], p[1], p[2]], p[3], x, y, lambda),
                    DoubleTolerance, GradientCheck.DefaultStep);
            }

            // 5. Rosenbrock at the classic starting point.
            {
                double x = -1.2, y = 1;
                double value = Functions.RosenbrockGradient(x, y, out double dx, out double dy);
                failures += Check(
                    "Rosenbrock(x, y) = (1 - x)^2 + 100*(y - x^2)^2",
                    ["x", "y"], [x, y], value, [dx, dy],
                    p => Functions.Rosenbrock(p[0], p[1]),
                    DoubleTolerance, GradientCheck.DefaultStep);
            }

            failures += MinimiseRosenbrock();

            Console.WriteLine();
            Console.WriteLine(failures == 0 ? "All checks passed." : $"{failures} check(s) FAILED.");
            return failures == 0 ? 0 : 1;
        }

        /// <summary>Prints the generated and finite-difference gradients side by side; returns 1 if they disagree.</summary>
        private static int Check(
            string title, string[] names, double[] point, double value, double[] generated,
            Func<double[], double> f, double tolerance, double step)
        {
            double[] numeric = GradientCheck.CentralDifference(f, point, step);
            double error = GradientCheck.MaxRelativeError(generated, numeric);
            bool ok = error <= tolerance; // false for NaN too

            Console.WriteLine(title);
            Console.WriteLine($"  {"value",-24}{value,24:F12}");
            Console.WriteLine($"  {"input",-10}{"at",14}{"generated",24}{"finite difference",24}{"difference",14}");
            for (int i = 0; i < names.Length; i++)
            {
                double difference = Math.Abs(generated[i] - numeric[i]);
                Console.WriteLine(
                    $"  {names[i],-10}{point[i],14:G6}{generated[i],24:F12}{numeric[i],24:F12}{difference.ToString("0.0e+00"),14}");
            }
            Console.WriteLine(
                $"  max relative difference {error.ToString("0.0e+00")} (tolerance {tolerance.ToString("0e+00")})  {(ok ? "OK" : "FAILED")}");
            Console.WriteLine();
            return ok ? 0 : 1;
        }

        /// <summary>
        /// Heavy-ball gradient descent (gradient descent with momentum) on Rosenbrock from (-1.2, 1). Plain gradient
        /// descent crawls along the curved valley; momentum reaches (1, 1) in a few thousand steps.
        /// </summary>
        private static int MinimiseRosenbrock()
        {
            const double learningRate = 1e-3;
            const double momentum = 0.9;
            const int maxIterations = 20_000;
            const int reportEvery = 500;
            const double gradientTolerance = 1e-8;

            Console.WriteLine(
                $"Minimising Rosenbrock from (-1.2, 1): gradient descent with momentum " +
                $"(learning rate {learningRate}, momentum {momentum}), gradients from RosenbrockGradient");
            Console.WriteLine($"  {"iteration",10}{"f(x, y)",18}{"x",16}{"y",16}{"|gradient|",14}");

            var stopwatch = Stopwatch.StartNew();
            double x = -1.2, y = 1;
            double vx = 0, vy = 0;
            int iteration = 0;
            while (true)
            {
                double f = Functions.RosenbrockGradient(x, y, out double dx, out double dy);
                double gradientNorm = Math.Sqrt(dx * dx + dy * dy);
                bool done = gradientNorm < gradientTolerance || iteration == maxIterations || !double.IsFinite(f);
                if (iteration % reportEvery == 0 || done)
                {
                    Console.WriteLine(
                        $"  {iteration,10}{f.ToString("0.000000e+00"),18}{x,16:F10}{y,16:F10}{gradientNorm.ToString("0.0e+00"),14}");
                }
                if (done) break;

                vx = momentum * vx - learningRate * dx;
                vy = momentum * vy - learningRate * dy;
                x += vx;
                y += vy;
                iteration++;
            }
            stopwatch.Stop();

            double distance = Math.Sqrt((x - 1) * (x - 1) + (y - 1) * (y - 1));
            bool ok = distance < 1e-6;
            Console.WriteLine($"  final point ({x:F10}, {y:F10}) after {iteration} iterations, {stopwatch.Elapsed.TotalMilliseconds:F1} ms");
            Console.WriteLine($"  distance to the minimum (1, 1): {distance.ToString("0.0e+00")}  {(ok ? "OK" : "FAILED")}");
            return ok ? 0 : 1;
        }
    }
}
