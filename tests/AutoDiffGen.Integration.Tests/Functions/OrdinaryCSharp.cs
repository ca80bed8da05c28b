using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace AutoDiffGen.Integration.Tests.Functions
{
    /// <summary>
    /// Ordinary C# that [Differentiable] methods accept (issue 10): switch statements and expressions, argument guards
    /// and throw, calls run only for their effect, tuples and deconstruction, local functions, in and params parameters.
    /// </summary>
    public static partial class OrdinaryCSharp
    {
        // ---------------------------------------------------------------- switch

        /// <summary>A switch statement on a passive mode: constant, grouped, relational and/or patterns, a guard, a break before the end, default.</summary>
        [Differentiable]
        public static double SwitchStatement(double x, double y, int mode)
        {
            double r;
            switch (mode)
            {
                case 0:
                    r = x * y;
                    break;
                case 1:
                case 2:
                    r = Math.Sin(x) * mode + y;
                    break;
                case > 10 and < 20:
                    r = x * x - y;
                    break;
                case 3 when x > y:
                    r = x / y;
                    break;
                case 4:
                    if (x > 0)
                    {
                        r = x * x * y;
                        break;
                    }
                    r = -x * y;
                    break;
                default:
                    r = x + 2 * y;
                    break;
            }
            return r * x;
        }

        [Differentiable]
        public static float SwitchStatementFloat(float x, float y, int mode)
        {
            float r;
            switch (mode)
            {
                case 0:
                    r = x * y;
                    break;
                case 1 or 2:
                    r = MathF.Sin(x) * mode + y;
                    break;
                default:
                    r = x + 2 * y;
                    break;
            }
            return r * x;
        }

        /// <summary>A switch expression on a passive index, with or, not, relational patterns, a guard and a discard.</summary>
        [Differentiable]
        public static double SwitchExpression(double x, double y, int mode) => mode switch
        {
            0 => x * y,
            1 or 2 => x + y * mode,
            < 0 => -x * x,
            not 5 when y > 1 => x / y,
            _ => x * x * y,
        };

        [Differentiable]
        public static float SwitchExpressionFloat(float x, float y, int mode) => mode switch
        {
            0 => x * y,
            1 or 2 => x + y * mode,
            _ => x * x * y,
        };

        /// <summary>Relational patterns on the differentiable value itself: branch conditions like &lt;.</summary>
        [Differentiable]
        public static double RelationalOnActive(double x) => x switch
        {
            < -1 => -x * x,
            >= -1 and < 1 => x * 3,
            _ => Math.Sqrt(x) + 2,
        };

        [Differentiable]
        public static float RelationalOnActiveFloat(float x) => x switch
        {
            < -1f => -x * x,
            >= -1f and < 1f => x * 3,
            _ => MathF.Sqrt(x) + 2,
        };

        /// <summary>A switch on the loop counter inside a loop: break leaves the switch, continue the iteration, return the method.</summary>
        [Differentiable]
        public static double SwitchInLoop(double x, double y)
        {
            double s = 0;
            for (int i = 0; i < 10; i++)
            {
                switch (i % 4)
                {
                    case 0:
                        s += x * i;
                        break;
                    case 1:
                        if (s > 5) break;
                        s *= y;
                        break;
                    case 2:
                        continue;
                    default:
                        if (s > 40) return s * y;
                        break;
                }
                s += 0.5 * x;
            }
            return s;
        }

        [Differentiable]
        public static float SwitchInLoopFloat(float x, float y)
        {
            float s = 0;
            for (int i = 0; i < 10; i++)
            {
                switch (i % 4)
                {
                    case 0:
                        s += x * i;
                        break;
                    case 1:
                        if (s > 5) break;
                        s *= y;
                        break;
                    case 2:
                        continue;
                    default:
                        if (s > 40) return s * y;
                        break;
                }
                s += 0.5f * x;
            }
            return s;
        }

        public enum Power
        {
            Square,
            Cube,
            Root,
        }

        /// <summary>Switches on an enum, a string (with null), a char and a bool made from a comparison of the active value.</summary>
        [Differentiable]
        public static double SwitchOnOtherTypes(double x, Power power, string? unit)
        {
            double v = power switch
            {
                Power.Square => x * x,
                Power.Cube => x * x * x,
                _ => Math.Sqrt(x),
            };
            switch (unit)
            {
                case "cm":
                    v *= 100;
                    break;
                case "mm" or "um":
                    v *= 1000;
                    break;
                case null:
                    throw new ArgumentNullException(nameof(unit));
            }
            char first = unit.Length > 0 ? unit[0] : ' ';
            v += first switch
            {
                'c' => x,
                'm' or 'u' => 2 * x,
                _ => 0,
            };
            bool large = v > 50;
            switch (large)
            {
                case true:
                    return Math.Log(v);
                default:
                    return v;
            }
        }

/// <summary>is-patterns: the same patterns as switch, as conditions.</summary>
        [Differentiable]
        public static double IsPatterns(double x, int n) => n is 1 or 2 && x is not < 0 ? x * x : -x;

        [Differentiable]
        public static float IsPatternsFloat(float x, int n) => n is 1 or 2 && x is not < 0 ? x * x : -x;

#pragma warning disable CS8509 // not exhaustive on purpose: no arm matches a mode above 1
        /// <summary>A switch expression no arm matches throws what the compiler throws.</summary>
        [Differentiable]
        public static double NonExhaustive(double x, int mode) => mode switch
        {
            0 => x,
            1 => x * x,
        };
#pragma warning restore CS8509

        // ---------------------------------------------------------------- guards and passive effects

        /// <summary>Argument guards, an assert and logging of primal values before a dot product.</summary>
        [Differentiable]
        public static double GuardedDot(double[] x, double[] y)
        {
            if (x.Length != y.Length) throw new ArgumentException($"x has {x.Length} elements, y {y.Length}.", nameof(y));
            ArgumentOutOfRangeException.ThrowIfZero(x.Length);
            ArgumentNullException.ThrowIfNull(x);
            double s = 0;
            for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
            Debug.Assert(x.Length > 0);
            Debug.Assert(s * s >= 0, $"a square of {s,8:F3} is negative ({x.Length} elements)");
            _ = Math.Sqrt(s * s);
            Debug.WriteLine($"GuardedDot: {s:F3} over {x.Length,4} elements");
            Log.Record(s);
            return s * s;
        }

        [Differentiable]
        public static float GuardedDotFloat(float[] x, float[] y)
        {
            if (x.Length != y.Length) throw new ArgumentException("lengths differ", nameof(y));
            float s = 0;
            for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
            Log.Record(s);
            return s * s;
        }

        /// <summary>A null guard in a vector-valued method: MJacobian must let it throw, not read x.Length first.</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double GuardedScaledSum(double[] x, double y, out double z)
        {
            if (x is null) throw new ArgumentNullException(nameof(x));
            double s = 0;
            for (int i = 0; i < x.Length; i++) s += x[i];
            z = y * s;
            return s * s;
        }

        /// <summary>A null guard in a method with Hessian companions (MHessian must let it throw, not read x.Length first); == null, != null, is not null.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double GuardedCubic(double[] x, double y)
        {
            if (x == null) throw new ArgumentNullException(nameof(x));
            double s = x != null && x is not null ? y * y : 0;
            for (int i = 0; i < x.Length; i++) s += x[i] * x[i] * y;
            return s;
        }

        /// <summary>A guard inside the last loop (whose reverse the engine would otherwise run inside the forward loop).</summary>
        [Differentiable]
        public static double GuardInLoop(double[] x)
        {
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] < -10) throw new ArgumentOutOfRangeException(nameof(x), "an element is below -10");
                s += x[i] * x[i];
            }
            return s;
        }

        /// <summary>A guard after the last loop, on the value it computed.</summary>
        [Differentiable]
        public static double GuardAfterLoop(double[] x)
        {
            double s = 0;
            for (int i = 0; i < x.Length; i++) s += x[i] * x[i] * x[i];
            if (s > 1000) throw new OverflowException("too large");
            return s;
        }

        /// <summary>throw expressions in ?: and a switch expression arm, and a guard that reads the differentiable value.</summary>
        [Differentiable]
        public static double ThrowExpressions(double x, int n)
        {
            double scale = n > 0 ? n : throw new ArgumentOutOfRangeException(nameof(n));
            if (x <= 0) throw new ArgumentOutOfRangeException(nameof(x), x, "x must be positive");
            double shift = (n % 3) switch
            {
                0 => 1,
                1 => x,
                2 => x * x,
                _ => throw new InvalidOperationException(),
            };
            return Math.Log(x) * scale + shift;
        }

        [Differentiable]
        public static float ThrowExpressionsFloat(float x, int n)
        {
            float scale = n > 0 ? n : throw new ArgumentOutOfRangeException(nameof(n));
            if (x <= 0) throw new ArgumentOutOfRangeException(nameof(x));
            return MathF.Log(x) * scale + x;
        }

        /// <summary>Records values the methods above log, so the tests can see the forward sweep ran the call, with the primal value.</summary>
        public static class Log
        {
            [ThreadStatic] private static List<double>? t_values;

            public static List<double> Values => t_values ??= new List<double>();

            public static void Record(double value) => Values.Add(value);
        }

        // ---------------------------------------------------------------- tuples

        /// <summary>Deconstruction into new locals, a swap, a tuple update in a loop and a swap of array elements.</summary>
        [Differentiable]
        public static double Tuples(double x, double y)
        {
            var (a, b) = (x * y, x + y);
            (a, b) = (b, a);
            (double p, double q) = (1, x);
            for (int i = 0; i < 4; i++)
            {
                (p, q) = (q, p + q * y);
            }
            double[] v = { a, b, p };
            (v[0], v[2]) = (v[2], v[0]);
            (a, _) = (v[0] * v[1], 0);
            return a + v[2] * q;
        }

        [Differentiable]
        public static float TuplesFloat(float x, float y)
        {
            var (a, b) = (x * y, x + y);
            (a, b) = (b, a);
            float p = 1, q = x;
            for (int i = 0; i < 4; i++)
            {
                (p, q) = (q, p + q * y);
            }
            return a * a + b + p * q;
        }

        // ---------------------------------------------------------------- local functions

        /// <summary>A static local function, one that reads a local and a parameter of the method, one with early returns.</summary>
        [Differentiable]
        public static double LocalFunctions(double x, double y)
        {
            double offset = Math.Sin(y);
            double r = Sq(x) + Scaled(x * x);
            r += Clip(r * 0.1) * Sq(Sq(y));
            return r;

            static double Sq(double v) => v * v;
            double Scaled(double v) => v * y + offset;
            static double Clip(double v)
            {
                if (v > 2) return 2 + 0.1 * v;
                if (v < -2) return -2;
                return v;
            }
        }

        [Differentiable]
        public static float LocalFunctionsFloat(float x, float y)
        {
            float offset = MathF.Sin(y);
            return Sq(x) + Scaled(x * x);

            static float Sq(float v) => v * v;
            float Scaled(float v) => v * y + offset;
        }

        /// <summary>A local function with a loop and a return inside it, called in a loop; a void one that updates a captured local.</summary>
        [Differentiable]
        public static double LocalFunctionsInLoop(double x, double y)
        {
            double acc = 0;
            for (int i = 1; i <= 4; i++)
            {
                Add(PowCapped(x, i) * y);
            }
            return acc;

            void Add(double v)
            {
                if (v == 0) return;
                acc += v;
            }

            static double PowCapped(double v, int n)
            {
                double p = 1;
                for (int k = 0; k < n; k++)
                {
                    p *= v;
                    if (p > 6) return 6 + p * 0.5;
                }
                return p;
            }
        }

        /// <summary>A local function in a loop condition, with a loop, a switch, a swap and a guard of its own.</summary>
        [Differentiable]
        public static double LocalFunctionInCondition(double x, double y)
        {
            double r = y;
            int steps = 0;
            while (Measure(r, steps) < 4 && steps < 6)
            {
                r += x * 0.5;
                steps++;
            }
            return r * Measure(x, 1);

            static double Measure(double v, int k)
            {
                if (k < 0) throw new ArgumentOutOfRangeException(nameof(k));
                double a = v, b = 1;
                for (int i = 0; i < 2; i++) (a, b) = (b, a * v);
                return (k % 2) switch
                {
                    0 => a + b,
                    _ => a * b,
                };
            }
        }

        /// <summary>Local functions over arrays: one writes into the caller's local array, one reads arrays created for the call.</summary>
        [Differentiable]
        public static double LocalFunctionsOverArrays(double[] w, double x)
        {
            double[] h = new double[w.Length];
            Fill(h, x);
            return Dot(w, h) + Dot(new[] { x, x * x }, new[] { w[0], 1.0 });

            static void Fill(double[] target, double v)
            {
                for (int i = 0; i < target.Length; i++) target[i] = v * (i + 1);
            }

            static double Dot(double[] a, double[] b)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
                return s;
            }
        }

        // ---------------------------------------------------------------- in and params

        [Differentiable]
        public static double InParameters(in double x, in double y) => x * y + Math.Sin(x);

        [Differentiable]
        public static float InParametersFloat(in float x, in float y) => x * y + MathF.Sin(x);

        [Differentiable]
        public static double ParamsSumOfSquares(params double[] x)
        {
            double s = 0;
            foreach (double v in x) s += v * v;
            return s;
        }

        [Differentiable]
        public static float ParamsSumOfSquaresFloat(params float[] x)
        {
            float s = 0;
            foreach (float v in x) s += v * v;
            return s;
        }

        /// <summary>Calls of a params method with separate arguments, and of an in method.</summary>
        [Differentiable]
        public static double CallsParamsAndIn(double x, double y) => ParamsSumOfSquares(x, y, x * y) + InParameters(x, y * 2);
    }
}
