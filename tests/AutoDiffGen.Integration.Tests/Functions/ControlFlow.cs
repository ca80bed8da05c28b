using System;

namespace AutoDiffGen.Integration.Tests.Functions
{
    /// <summary>Branches, loops and exits.</summary>
    public static partial class ControlFlow
    {
        /// <summary>if / else if / else on comparisons of active values, with &amp;&amp; and ||.</summary>
        [Differentiable]
        public static double Branches(double x, double y)
        {
            double r;
            if (x > y && x * y < 4)
            {
                r = x * x * y;
            }
            else if (x < -1 || y > 2)
            {
                r = Math.Sin(x) + y * y;
            }
            else
            {
                r = x - 3 * y;
            }
            return r;
        }

        [Differentiable]
        public static double Conditional(double x, double y) => x < y ? x * y : (x > 2 * y ? x / y : y - x);

        /// <summary>A flag set in a branch and read afterwards: the reverse sweep must replay the branch taken.</summary>
        [Differentiable]
        public static double FlagReassignedInBranch(double x)
        {
            double r;
            bool first = true;
            if (first)
            {
                first = false;
                r = x;
            }
            else
            {
                r = 2 * x;
            }
            return first ? 10 * r : r;
        }

        /// <summary>Returns from several places: early, inside a branch and at the end.</summary>
        [Differentiable]
        public static double EarlyReturns(double x)
        {
            if (x < -1) return -x * x;
            double y = x * 3;
            if (y > 3)
            {
                return Math.Sqrt(y);
            }
            return y * x;
        }

        /// <summary>x^n by repeated multiplication: the brief's loop case, x^10 has gradient 10x^9.</summary>
        [Differentiable]
        public static double PowerLoop(double x, int n)
        {
            double p = 1;
            for (int i = 0; i < n; i++)
            {
                p *= x;
            }
            return p;
        }

        [Differentiable]
        public static double Power10(double x)
        {
            double p = 1;
            for (int i = 0; i < 10; i++) p = p * x;
            return p;
        }

        /// <summary>while with break and continue: sums x/k for k = 1..10 skipping multiples of 3, stopping once above the limit.</summary>
        [Differentiable]
        public static double WhileBreakContinue(double x, double limit)
        {
            double s = 0;
            int k = 0;
            while (k < 10)
            {
                k++;
                if (k % 3 == 0) continue;
                s += x / k;
                if (s > limit) break;
            }
            return s;
        }

        [Differentiable]
        public static double DoWhile(double x)
        {
            double s = x;
            int k = 0;
            do
            {
                s = s * 0.5 + Math.Sin(s);
                k++;
            } while (k < 4);
            return s;
        }

        /// <summary>Nested loops with bounds from parameters and a loop-carried value.</summary>
        [Differentiable]
        public static double NestedLoops(double x, double y, int rows, int cols)
        {
            double acc = 0;
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j <= i && j < cols; j++)
                {
                    acc = acc * 0.5 + x * i - y * j;
                }
                acc += y;
            }
            return acc * x;
        }

        /// <summary>Returns from inside two nested loops as soon as the accumulated value passes the threshold.</summary>
        [Differentiable]
        public static double ReturnFromNestedLoops(double x, double threshold)
        {
            double acc = 0;
            for (int i = 1; i <= 5; i++)
            {
                for (int j = 1; j <= 5; j++)
                {
                    acc += x * j;
                    if (acc > threshold)
                    {
                        return acc * i;
                    }
                }
            }
            return -acc;
        }

        /// <summary>A loop condition with a side effect on an active value, in a loop nested in another one, with a break.</summary>
        [Differentiable]
        public static double SideEffectInLoopCondition(double x, double y)
        {
            for (int k = 0; k < 2; k++)
            {
                while (++x > 5) break;
                x *= y;
            }
            return x;
        }

        /// <summary>A loop whose trip count depends on an active value (piecewise smooth).</summary>
        [Differentiable]
        public static double DataDependentLoop(double x)
        {
            double t = x;
            int steps = 0;
            while (t < 10 && steps < 100)
            {
                t = t * 1.5 + 0.25;
                steps++;
            }
            return t;
        }
    }
}
