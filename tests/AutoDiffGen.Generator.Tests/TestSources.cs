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

    /// <summary>A file with nothing for the generator in it.</summary>
    public const string Unrelated = """
        namespace Other;

        public static class Helpers
        {
            public static int Add(int a, int b) => a + b;
        }
        """;
}
