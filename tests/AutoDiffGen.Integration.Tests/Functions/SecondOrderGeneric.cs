using System.Numerics;

namespace AutoDiffGen.Integration.Tests.Functions
{
    /// <summary>Second order of generic methods (T : IFloatingPointIeee754&lt;T&gt;) and through calls of generic helpers.</summary>
    public static partial class SecondOrderGeneric
    {
        /// <summary>f = w·Σ sin(xᵢ) xᵢ₊₁ + w² x₀, generic in its real type.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static T Energy<T>(T[] x, T w) where T : IFloatingPointIeee754<T>
        {
            T s = T.Zero;
            for (int i = 0; i + 1 < x.Length; i++) s += T.Sin(x[i]) * x[i + 1];
            return s * w + w * w * x[0];
        }

        /// <summary>A generic helper: x².</summary>
        [Differentiable]
        public static T Square<T>(T x) where T : IFloatingPointIeee754<T> => x * x;

        /// <summary>f = (xy)² + x², through two calls of the generic helper.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double CallsGeneric(double x, double y) => Square(x * y) + Square<double>(x);
    }
}
