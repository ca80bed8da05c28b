using System;

namespace AutoDiffGen.Runtime
{
    /// <summary>
    /// Central finite differences, the independent check a generated gradient is compared with in samples and tests:
    /// (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, with h scaled to the magnitude of xᵢ.
    /// </summary>
    public static class GradientCheck
    {
        /// <summary>The default relative step: about the cube root of double precision, optimal for central differences.</summary>
        public const double DefaultStep = 6.0554544523933395e-6;

        /// <summary>The central-difference derivative of a scalar function at <paramref name="x"/>.</summary>
        public static double CentralDifference(Func<double, double> f, double x, double step = DefaultStep)
        {
            if (f is null) throw new ArgumentNullException(nameof(f));
            double h = step * Math.Max(1.0, Math.Abs(x));
            return (f(x + h) - f(x - h)) / (2 * h);
        }

        /// <summary>The central-difference gradient of <paramref name="f"/> at <paramref name="x"/>; <paramref name="x"/> is restored.</summary>
        public static double[] CentralDifference(Func<double[], double> f, double[] x, double step = DefaultStep)
        {
            if (f is null) throw new ArgumentNullException(nameof(f));
            if (x is null) throw new ArgumentNullException(nameof(x));
            var gradient = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                double xi = x[i];
                double h = step * Math.Max(1.0, Math.Abs(xi));
                x[i] = xi + h;
                double up = f(x);
                x[i] = xi - h;
                double down = f(x);
                x[i] = xi;
                gradient[i] = (up - down) / (2 * h);
            }
            return gradient;
        }

        /// <summary>
        /// The largest relative difference between two gradients, each component compared as
        /// |a − b| / max(1, |a|, |b|), so values near zero are compared absolutely.
        /// </summary>
        public static double MaxRelativeError(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
        {
            if (a.Length != b.Length) throw new ArgumentException("The gradients differ in length.", nameof(b));
            double worst = 0;
            for (int i = 0; i < a.Length; i++)
            {
                double scale = Math.Max(1.0, Math.Max(Math.Abs(a[i]), Math.Abs(b[i])));
                double error = Math.Abs(a[i] - b[i]) / scale;
                if (double.IsNaN(error)) return double.NaN;
                if (error > worst) worst = error;
            }
            return worst;
        }
    }
}
