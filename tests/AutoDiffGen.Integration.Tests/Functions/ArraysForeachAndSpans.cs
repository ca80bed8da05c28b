using System;

namespace AutoDiffGen.Integration.Tests.Functions
{
    /// <summary>
    /// foreach over arrays, and active arrays passed to span parameters of callees: rejected (ADG0101) by the generator
    /// at d645ddd, found by the array tests (see ArraysKnownFailures.cs.txt for the history), supported since.
    /// </summary>
    public static partial class ArraysForeachAndSpans
    {
        // ---- 1. foreach over a double[] (parameter, local or [NoDerivative]) ----
                // The same loop over ReadOnlySpan<double> or Span<double> works (Arrays.ForeachSpanProduct, ForeachSpanBreakContinue).
        // Likely cause: for an array, Roslyn's IForEachLoopOperation.Collection is an implicit (non-identity) conversion of
        // the array to System.Collections.IEnumerable, and MethodLowering.LowerForEach unwraps identity conversions only,
        // so it sees the type IEnumerable instead of double[].

        /// <summary>Gradient 1 in every element.</summary>
        [Differentiable]
        public static double ForeachArrayMinimal(double[] a)
        {
            double s = 0;
            foreach (double v in a) s += v;
            return s;
        }

        /// <summary>Over a local array (gradient 2x + 8x = 10x).</summary>
        [Differentiable]
        public static double ForeachLocalArray(double x)
        {
            double[] a = new double[] { x, 2 * x };
            double s = 0;
            foreach (double v in a) s += v * v;
            return s;
        }

        /// <summary>Over a [NoDerivative] array (gradient Σ wᵢ).</summary>
        [Differentiable]
        public static double ForeachNoDerivativeArray(double x, [NoDerivative] double[] w)
        {
            double s = 0;
            foreach (double v in w) s += v * x;
            return s;
        }

        /// <summary>foreach over a double[] parameter: Σ v·eᵛ; gradient (1 + aᵢ)·e^aᵢ.</summary>
        [Differentiable]
        public static double ForeachArray(double[] a)
        {
            double s = 0;
            foreach (double v in a)
            {
                s += v * Math.Exp(v);
            }
            return s;
        }

        /// <summary>foreach with continue and break over a double[]; gradient 2aᵢ for each non-negative element added before the break, else 0.</summary>
        [Differentiable]
        public static double ForeachBreakContinue(double[] a, [NoDerivative] double limit)
        {
            double s = 0;
            foreach (double v in a)
            {
                if (v < 0)
                {
                    continue;
                }
                s += v * v;
                if (s > limit)
                {
                    break;
                }
            }
            return s;
        }

        // ---- 2. An active double[] passed to a callee whose parameter is ReadOnlySpan<double> ----

        [Differentiable]
        public static double First(ReadOnlySpan<double> a) => a[0];

        /// <summary>Gradient (1, 0, 0, …).</summary>
        [Differentiable]
        public static double ArrayToSpanMinimal(double[] a) => First(a);

        /// <summary>A local array passed to a ReadOnlySpan parameter (gradient 1).</summary>
        [Differentiable]
        public static double LocalArrayToSpan(double x)
        {
            double[] a = new double[] { x };
            return First(a);
        }

        /// <summary>x·Σ aᵢ³; gradient ∂/∂aᵢ = 3x·aᵢ², ∂/∂x = Σ aᵢ³.</summary>
        [Differentiable]
        public static double ArrayToSpanCallee(double[] a, double x) => x * ArrayCallees.SumOfCubes(a);

        /// <summary>Σ wᵢaᵢ² + a·w with the active a passed to WeightedNorm(ReadOnlySpan&lt;double&gt; a, [NoDerivative] double[] w); gradient 2wᵢaᵢ + wᵢ.</summary>
        [Differentiable]
        public static double WeightedNormOfActiveArray(double[] a, [NoDerivative] double[] w) => ArrayCallees.WeightedNorm(a, w) + ArrayCallees.Dot(a, w);
    }
}
