namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>The functions of the derivative-rule table (design.md), named as <c>System.Math</c> names them.</summary>
    internal enum MathFunction
    {
        Sin, Cos, Tan, Asin, Acos, Atan, Atan2,
        Sinh, Cosh, Tanh, Asinh, Acosh, Atanh,
        Exp,
        /// <summary>Natural logarithm, <c>Log(a)</c>.</summary>
        Log,
        /// <summary>Logarithm to a base, <c>Log(a, newBase)</c>.</summary>
        LogBase,
        Log10, Log2, Sqrt, Cbrt, Pow,
        Abs, Max, Min, Clamp,
        Hypot,
        FusedMultiplyAdd,
        /// <summary><c>CopySign(magnitude, sign)</c>: ±1 with respect to the magnitude, 0 with respect to the sign.</summary>
        CopySign,
        /// <summary><c>ScaleB(x, n)</c> = x · 2ⁿ, <c>n</c> a passive int.</summary>
        ScaleB,
        /// <summary><c>BitIncrement(x)</c>, <c>BitDecrement(x)</c>: x moved by one ulp, differentiated as x.</summary>
        BitIncrement, BitDecrement,

        // Members of double and float only (the generic-math interfaces), not of Math/MathF.
        ExpM1, Exp2, Exp2M1, Exp10, Exp10M1,
        LogP1, Log2P1, Log10P1,
        SinPi, CosPi, TanPi, AsinPi, AcosPi, AtanPi, Atan2Pi,
        DegreesToRadians, RadiansToDegrees,
        /// <summary><c>RootN(x, n)</c>: the n-th root, <c>n</c> a passive int.</summary>
        RootN,
        /// <summary><c>Lerp(a, b, t)</c> = a + (b − a)·t.</summary>
        Lerp,
        /// <summary>Selections by magnitude (MaxMagnitude and MinMagnitude are also on Math/MathF) or ignoring NaN.</summary>
        MaxMagnitude, MinMagnitude, MaxMagnitudeNumber, MinMagnitudeNumber, MaxNumber, MinNumber,
    }
}
