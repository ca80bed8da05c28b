namespace AutoDiffGen.Generator.Tests;

/// <summary>Inputs shared by the snapshot, determinism and incrementality tests.</summary>
internal static class TestSources
{
    public const string Rosenbrock = """
        using AutoDiffGen;

        namespace Samples;

        public static partial class Losses
        {
            [Differentiable]
            public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
        }
        """;

    /// <summary>Second order (Derivatives.Hessian): MHessianVector and MHessian over a loop on an array and a scalar.</summary>
    public const string HessianVector = """
        using AutoDiffGen;

        namespace Samples;

        public static partial class Springs
        {
            [Differentiable(Derivatives.Hessian)]
            public static double Energy(double[] x, double k)
            {
                double e = 0;
                for (int i = 0; i + 1 < x.Length; i++)
                {
                    double d = x[i + 1] - x[i];
                    e += k * d * d * d * d;
                }
                return e;
            }
        }
        """;

    /// <summary>Second order through calls: a Hessian method calling a helper (in a loop) that did not ask for the Hessian.</summary>
    public const string HessianThroughCalls = """
        using AutoDiffGen;

        namespace Samples;

        public static partial class Chain
        {
            [Differentiable]
            // Two statements: a one-line helper called in a loop would be inlined (MethodLowering.SmallCallees.cs); this one is
            // called through its companions, which is what the second-order call tests are about.
            public static double Link(double a, double b) { double r = b - a * a; return r * r; }

            [Differentiable(Derivatives.Hessian)]
            public static double Energy(double[] x)
            {
                double e = 0;
                for (int i = 0; i + 1 < x.Length; i++) e += Link(x[i], x[i + 1]);
                return e;
            }
        }
        """;

    public const string PowerLoop = """
        using AutoDiffGen;

        namespace Samples;

        public static partial class Loops
        {
            [Differentiable]
            public static double Power(double x, int n)
            {
                double p = 1;
                for (int i = 0; i < n; i++)
                {
                    p *= x;
                }
                return p;
            }
        }
        """;

    public const string Branches = """
        using System;
        using AutoDiffGen;

        namespace Samples;

        public static partial class Branches
        {
            [Differentiable]
            public static double Piecewise(double x, double y)
            {
                double r = x * y;
                if (x > y && r < 4)
                {
                    r += Math.Sin(x);
                }
                else if (x < -1 || y > 2)
                {
                    r -= y * y;
                }
                else
                {
                    r *= 0.5;
                }
                return r > 0 ? Math.Sqrt(r) : -r;
            }
        }
        """;

    public const string WhileWithExits = """
        using System;
        using AutoDiffGen;

        namespace Samples;

        public static partial class Loops
        {
            [Differentiable]
            public static double Damped(double x, double y)
            {
                double s = 0;
                int k = 0;
                while (k < 10)
                {
                    k++;
                    if (k % 3 == 0) continue;
                    s += Math.Exp(-k * x) * y;
                    if (s > 5) break;
                }
                return s;
            }
        }
        """;

    public const string Calls = """
        using System;
        using AutoDiffGen;

        namespace Samples;

        public static partial class Calls
        {
            [Differentiable]
            public static double Square(double x) => x * x;

            public static double SoftPlus(double x) => Math.Log(1 + Math.Exp(x));

            public static double SoftPlusBackward(double x, double seed, ref double dx)
            {
                dx += seed / (1 + Math.Exp(-x));
                return SoftPlus(x);
            }

            [Differentiable]
            public static double Combined(double x, double y) => Square(x + y) + SoftPlus(x * y);
        }
        """;

    public const string FloatStruct = """
        using System;
        using AutoDiffGen;

        namespace Samples;

        public partial struct Oscillator
        {
            public float Frequency;

            [Differentiable]
            public readonly float Signal(float t, [NoDerivative] float phase, bool inverted)
            {
                float s = MathF.Sin(Frequency * t + phase) * MathF.Exp(-0.5f * t);
                return inverted ? -s : s;
            }
        }
        """;

    /// <summary>
    /// A span of a readonly record struct (issue 10): one IR array per field, read as <c>p[i].X</c>; the gradient's elements
    /// are rebuilt (<c>dp[i] = new Point(dp[i].X + …, dp[i].Y)</c>, init-only members), the tangent's read as <c>dp[i].X</c>.
    /// </summary>
    public const string StructArrays = """
        using System;
        using AutoDiffGen;

        namespace Samples;

        public readonly record struct Point(double X, double Y);

        public static partial class Polyline
        {
            [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
            public static double SquaredLength(ReadOnlySpan<Point> p)
            {
                double s = 0;
                for (int i = 1; i < p.Length; i++)
                {
                    Point d = new Point(p[i].X - p[i - 1].X, p[i].Y - p[i - 1].Y);
                    s += d.X * d.X + d.Y * d.Y;
                }
                return s;
            }
        }
        """;

    /// <summary>
    /// An [Output] span of a readonly record struct (issue 10): one output buffer per field; MBackward's seed is a
    /// <c>ReadOnlySpan&lt;Point&gt;</c> read field by field (<c>dr[i].X</c>), MTangent's a <c>Span&lt;Point&gt;</c> whose elements are
    /// rebuilt (init-only members), MJacobian's rows element by element, then field by field.
    /// </summary>
    public const string StructArrayOutputs = """
        using System;
        using AutoDiffGen;

        namespace Samples;

        public readonly record struct Point(double X, double Y);

        public static partial class Polyline
        {
            [Differentiable]
            public static void Offsets(ReadOnlySpan<Point> p, double k, [Output] Span<Point> r)
            {
                for (int i = 0; i < p.Length; i++)
                {
                    r[i] = new Point(p[i].X * k, p[i].Y + k);
                }
            }
        }
        """;

    /// <summary>
    /// A Vector&lt;T&gt; kernel (issue 13): the gradient stays SIMD — vector adjoints, the loads recomputed in reverse, the
    /// loaded windows' adjoints accumulated by vector load-add-store, the counter stepped back by Count (no tape).
    /// </summary>
    public const string SimdDot = """
        using System;
        using System.Numerics;
        using AutoDiffGen;

        namespace Samples;

        public static partial class Simd
        {
            [Differentiable]
            public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
            {
                var acc = Vector<double>.Zero;
                int i = 0;
                for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
                    acc += new Vector<double>(x.Slice(i)) * new Vector<double>(y.Slice(i));
                double s = Vector.Sum(acc);
                for (; i < x.Length; i++) s += x[i] * y[i];
                return s;
            }
        }
        """;

    /// <summary>Array code the reverse transform optimises: a fused loop (independent iterations), a ReLU nest whose
    /// reversed inner loop is skipped when its seed is zero, a pooled local-matrix adjoint, a local jagged array.</summary>
    public const string ArrayLoops = """
        using System;
        using AutoDiffGen;

        namespace Samples;

        public static partial class ArrayLoops
        {
            [Differentiable]
            public static double SumOfSquaredErrors(double[] w, [NoDerivative] double[] x, [NoDerivative] double[] y)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    double r = w[0] * x[i] + w[1] - y[i];
                    sum += r * r;
                }
                return 0.5 * sum;
            }

            [Differentiable]
            public static double ReluLayer(double[,] weights, double[] input)
            {
                int rows = weights.GetLength(0);
                double[,] activations = new double[rows, 1];
                for (int j = 0; j < rows; j++)
                {
                    double a = 0;
                    for (int k = 0; k < input.Length; k++) a += weights[j, k] * input[k];
                    activations[j, 0] = Math.Max(a, 0);
                }
                double total = 0;
                for (int j = 0; j < rows; j++) total += activations[j, 0] * activations[j, 0];
                return Math.Log(1 + total);
            }

            [Differentiable]
            public static double Triangle(double[] a)
            {
                double[][] t = new double[a.Length][];
                for (int i = 0; i < a.Length; i++)
                {
                    t[i] = new double[i + 1];
                    for (int j = 0; j <= i; j++) t[i][j] = a[i] * a[j];
                }
                double s = 0;
                for (int i = 0; i < t.Length; i++)
                {
                    for (int j = 0; j < t[i].Length; j++) s += t[i][j];
                }
                return s;
            }
        }
        """;

    /// <summary>Ordinary C# (issue 10): a guard, a switch expression on a mode, a local function, a tuple swap.</summary>
    public const string OrdinaryCSharp = """
        using System;
        using AutoDiffGen;

        namespace Samples;

        public static partial class Ordinary
        {
            [Differentiable]
            public static double Blend(double x, double y, int mode)
            {
                if (mode < 0) throw new ArgumentOutOfRangeException(nameof(mode));
                (x, y) = (y, x);
                double weight = mode switch
                {
                    0 => 1,
                    1 or 2 => Sq(x),
                    _ => x * y,
                };
                return weight * y;

                static double Sq(double v) => v * v;
            }
        }
        """;

    /// <summary>Generic math: a generic companion with the method's type parameter and constraints, constants spelled for T.</summary>
    public const string GenericMath = """
        using System.Numerics;
        using AutoDiffGen;

        namespace Samples;

        public static partial class Generic
        {
            [Differentiable]
            public static T SoftNorm<T>(T x, T[] w, [NoDerivative] int n) where T : IFloatingPointIeee754<T>
            {
                T sum = T.Zero;
                for (int i = 0; i < n; i++)
                {
                    sum += w[i] * w[i] * T.CreateChecked(i + 1);
                }
                return T.Sqrt(sum + x * x) * T.CreateTruncating(0.5) + T.Max(x, T.One);
            }
        }
        """;

    /// <summary>A file with nothing for the generator in it.</summary>
    public const string Unrelated = """
        namespace Other;

        public static class Helpers
        {
            public static int Add(int a, int b) => a + b;
        }
        """;
}
