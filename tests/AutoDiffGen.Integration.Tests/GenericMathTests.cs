using System;
using System.Linq;
using AutoDiffGen.Integration.Tests.Infrastructure;
using AutoDiffGen.Runtime;
using G = AutoDiffGen.Integration.Tests.Functions.GenericMath;
using N = AutoDiffGen.Integration.Tests.Functions.GenericMathNarrow;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Generic math (issue 10): generic [Differentiable] methods get generic companions; each is instantiated at double and
/// at float and checked against the exact derivative and central finite differences (MGradient and MBackward), with
/// MJacobian and MTangent (dot-product test) for the vector-valued one.
/// </summary>
public class GenericMathTests
{
    private static double Sq(double v) => v * v;

    // ---------------------------------------------------------------- Rosenbrock, T.One and T.CreateChecked(100)

    private static (double, double) RosenbrockExact(double x, double y) => (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x));

    [Fact]
    public void Rosenbrock_at_double() =>
        Check.Two(G.Rosenbrock<double>, G.RosenbrockGradient<double>, G.RosenbrockBackward<double>, RosenbrockExact, -1.5, 1.5);

    [Fact]
    public void Rosenbrock_at_float() =>
        Check.TwoFloat(G.Rosenbrock<float>, G.RosenbrockGradient<float>, G.RosenbrockBackward<float>, RosenbrockExact, -0.5f, 0.5f);

    [Fact]
    public void Rosenbrock_minimum_has_zero_gradient()
    {
        Assert.Equal(0.0, G.RosenbrockGradient(1.0, 1.0, out double dx, out double dy));
        Assert.Equal(0.0, dx);
        Assert.Equal(0.0, dy);
    }

    // ---------------------------------------------------------------- T[] and ReadOnlySpan<T> in loops, a passive int

    [Fact]
    public void Weighted_squares_over_an_array_and_a_span_at_double()
    {
        double[] w = { 0.5, -1.25, 2.0, 0.75 };
        double[] s = { 1.5, 0.25, -0.8, 1.1 };
        var dw = new double[4];
        var ds = new double[4];
        double value = G.WeightedSquaresGradient<double>(w, s, 3, dw, ds);
        Check.Same(G.WeightedSquares<double>(w, s, 3), value, "MGradient value");
        for (int i = 0; i < 4; i++)
        {
            Check.Close(s[i] * s[i], dw[i], Check.ExactTolerance, "exact ∂/∂w" + i);
            Check.Close(2 * w[i] * s[i], ds[i], Check.ExactTolerance, "exact ∂/∂s" + i);
            Check.Close(Difference(v => G.WeightedSquares<double>(v, s, 3), w, i), dw[i], Check.FiniteDifferenceTolerance, "finite differences ∂/∂w" + i);
            Check.Close(Difference(v => G.WeightedSquares<double>(w, v, 3), s, i), ds[i], Check.FiniteDifferenceTolerance, "finite differences ∂/∂s" + i);
        }
        var aw = new double[] { 1, 1, 1, 1 };
        var aS = new double[4];
        G.WeightedSquaresBackward<double>(w, s, 3, 2.0, aw, aS);
        for (int i = 0; i < 4; i++)
        {
            Check.Close(1 + 2 * dw[i], aw[i], 1e-12, "MBackward accumulation w" + i);
            Check.Close(2 * ds[i], aS[i], 1e-12, "MBackward accumulation s" + i);
        }
    }

    [Fact]
    public void Weighted_squares_over_an_array_and_a_span_at_float()
    {
        float[] w = { 0.5f, -1.25f, 2.0f };
        float[] s = { 1.5f, 0.25f, -0.8f };
        var dw = new float[3];
        var ds = new float[3];
        float value = G.WeightedSquaresGradient<float>(w, s, 2, dw, ds);
        Assert.Equal(G.WeightedSquares<float>(w, s, 2), value);
        for (int i = 0; i < 3; i++)
        {
            Check.Close(s[i] * (double)s[i], dw[i], 1e-5, "exact ∂/∂w" + i);
            Check.Close(2.0 * w[i] * s[i], ds[i], 1e-5, "exact ∂/∂s" + i);
            Check.Close(DifferenceF(v => G.WeightedSquares<float>(v, s, 2), w, i), dw[i], 2e-3, "finite differences ∂/∂w" + i);
        }
    }

    // ---------------------------------------------------------------- a branch and a foreach with comparisons on T

    private static double PiecewiseDx(double x, double[] c) => (x > 0 ? 2 * x : -1) + c.Where(v => v < x).Sum();

    [Fact]
    public void Branches_on_T_at_double_and_float()
    {
        double[] c = { -0.7, 0.3, 1.4 };
        foreach (double x in new[] { -1.1, -0.2, 0.55, 0.9, 2.0 })
        {
            var dc = new double[3];
            double value = G.PiecewiseGradient<double>(x, c, out double dx, dc);
            Check.Same(G.Piecewise<double>(x, (double[])c.Clone()), value, "MGradient value", x);
            Check.Close(PiecewiseDx(x, c), dx, Check.ExactTolerance, "exact ∂/∂x", x);
            Check.Close(GradientCheck.CentralDifference(t => G.Piecewise<double>(t, (double[])c.Clone()), x), dx, Check.FiniteDifferenceTolerance, "finite differences ∂/∂x", x);
            for (int j = 0; j < 3; j++)
            {
                Check.Close(c[j] < x ? x : -1, dc[j], Check.ExactTolerance, "exact ∂/∂c" + j, x);
                Check.Close(Difference(v => G.Piecewise<double>(x, v), c, j), dc[j], Check.FiniteDifferenceTolerance, "finite differences ∂/∂c" + j, x);
            }

            float[] cf = c.Select(v => (float)v).ToArray();
            var dcf = new float[3];
            G.PiecewiseGradient<float>((float)x, cf, out float dxf, dcf);
            Check.Close(PiecewiseDx((float)x, cf.Select(v => (double)v).ToArray()), dxf, 1e-5, "exact ∂/∂x at float", x);
        }
    }

    // ---------------------------------------------------------------- T.Exp, T.Log, T.Sqrt, T.Pow, T.Atan2, T.Max, … and T.Pi

    private static (double, double) FunctionsExact(double x, double y)
    {
        double h = Math.Sqrt(x * x + y * y), r2 = x * x + y * y, th = Math.Tanh(y);
        double dx = Math.Exp(x / 2) / 2 + Math.Log(y) / (2 * Math.Sqrt(x)) + y * Math.Pow(x, y - 1) - y / r2 + (x >= y / 2 ? 1 : 0)
            + Math.Cos(x) * th + x / h + Math.PI - Math.Sign(x - y);
        double dy = Math.Sqrt(x) / y + Math.Pow(x, y) * Math.Log(x) + x / r2 + (x >= y / 2 ? 0 : 0.5)
            + Math.Sin(x) * (1 - th * th) + y / h + 1 / (3 * Sq(Math.Cbrt(y))) + Math.Sign(x - y);
        return (dx, dy);
    }

    [Fact]
    public void Functions_of_T_at_double() =>
        Check.Two(G.Functions<double>, G.FunctionsGradient<double>, G.FunctionsBackward<double>, FunctionsExact, 0.4, 2.5);

    [Fact]
    public void Functions_of_T_at_float() =>
        Check.TwoFloat(G.Functions<float>, G.FunctionsGradient<float>, G.FunctionsBackward<float>, FunctionsExact, 0.4f, 2.5f);

    private static double MoreFunctionsExact(double x) =>
        Math.Exp(x) + 1 / (1 + x) + 2 * x - Math.Sign(x) + 1 / ((x + 1) * Math.Log(10)) + 1 / ((x + 1) * Math.Log(2)) + Math.Sinh(x)
        + 1 / (4 * Math.Sqrt(1 - x * x / 16)) + Math.E / 3 / Sq(Math.Cos(x / 3));

    [Fact]
    public void More_functions_of_T_at_double() =>
        Check.One(G.MoreFunctions<double>, G.MoreFunctionsGradient<double>, G.MoreFunctionsBackward<double>, MoreFunctionsExact, 0.2, 2);

    [Fact]
    public void More_functions_of_T_at_float() =>
        Check.OneFloat(G.MoreFunctions<float>, G.MoreFunctionsGradient<float>, G.MoreFunctionsBackward<float>, MoreFunctionsExact, 0.2f, 2f);

    // ---------------------------------------------------------------- a call of another generic [Differentiable] method

    private static double R(double a, double b) => Sq(1 - a) + 100 * Sq(b - a * a);

    private static (double, double) CallsExact(double x, double y)
    {
        var (ra1, rb1) = RosenbrockExact(2 * x, y);
        var (ra2, rb2) = RosenbrockExact(y, x);
        double inner = 2 * Math.Sqrt(R(y, x) + 1);
        return (2 * ra1 + rb2 / inner, rb1 + ra2 / inner);
    }

    [Fact]
    public void Call_of_a_generic_method_at_double() =>
        Check.Two(G.CallsRosenbrock<double>, G.CallsRosenbrockGradient<double>, G.CallsRosenbrockBackward<double>, CallsExact, -1, 1);

    [Fact]
    public void Call_of_a_generic_method_at_float() =>
        Check.TwoFloat(G.CallsRosenbrock<float>, G.CallsRosenbrockGradient<float>, G.CallsRosenbrockBackward<float>, CallsExact, -0.3f, 0.3f);

    // ---------------------------------------------------------------- conversions into T

    [Fact]
    public void Conversions_into_T_from_an_int_and_an_active_double() =>
        Check.Two(G.Conversions<double>, G.ConversionsGradient<double>, G.ConversionsBackward<double>, (x, s) => (6 * s * s, 12 * x * s), -2, 2);

    [Fact]
    public void Conversions_into_float_T_from_an_active_double()
    {
        float value = G.ConversionsGradient<float>(1.5f, 0.5, out float dx, out double dscale);
        Assert.Equal(G.Conversions<float>(1.5f, 0.5), value);
        Check.Close(6 * 0.25, dx, 1e-6, "exact ∂/∂x");
        Check.Close(12 * 1.5 * 0.5, dscale, 1e-6, "exact ∂/∂scale");
    }

    [Fact]
    public void Call_of_a_double_method_from_a_generic_one_at_double_and_float()
    {
        Check.One(G.CallsDouble<double>, G.CallsDoubleGradient<double>, G.CallsDoubleBackward<double>, x => 3 * x * x + 1, -2, 2);
        Check.OneFloat(G.CallsDouble<float>, G.CallsDoubleGradient<float>, G.CallsDoubleBackward<float>, x => 3 * x * x + 1, -2, 2);
    }

    // ---------------------------------------------------------------- vector-valued: MJacobian, MTangent, MBackward

    private static JacobianCheck.Companions FieldAtDouble(int m) => new(
        p => { var o = new double[m + 1]; G.Field<double>(p[0], p[1], p.AsSpan(2, m), o); return o; },
        p => { var o = new double[m + 1]; var J = new double[m + 1, m + 2]; G.FieldJacobian<double>(p[0], p[1], p.AsSpan(2, m), o, J); return (o, J); },
        (p, v) => { var o = new double[m + 1]; var d = new double[m + 1]; G.FieldTangent<double>(p[0], p[1], p.AsSpan(2, m), o, v[0], v[1], v.AsSpan(2, m), d); return (o, d); },
        (p, w) =>
        {
            var o = new double[m + 1];
            double dx = 0, dy = 0;
            var ds = new double[m];
            G.FieldBackward<double>(p[0], p[1], p.AsSpan(2, m), o, w, ref dx, ref dy, ds);
            return (o, new[] { dx, dy }.Concat(ds).ToArray());
        });

    private static double[,] FieldExact(double[] p, int m)
    {
        var J = new double[m + 1, m + 2];
        for (int i = 0; i < m; i++)
        {
            J[i, 0] = p[2 + i] * p[2 + i];
            J[i, 1] = 1;
            J[i, 2 + i] = 2 * p[0] * p[2 + i];
        }
        double c = Math.Cos(p[0] * p[1]);
        J[m, 0] = p[1] * c;
        J[m, 1] = p[0] * c;
        return J;
    }

    [Fact]
    public void Vector_valued_generic_method_at_double_Jacobian_tangent_and_dot_product() =>
        JacobianCheck.Full(FieldAtDouble(3), 4, Check.Points(5, -1.5, 1.5), p => FieldExact(p, 3));

    [Fact]
    public void Vector_valued_generic_method_at_float_Jacobian()
    {
        float[] s = { 0.5f, -1.25f };
        var o = new float[3];
        var J = new float[3, 4];
        G.FieldJacobian<float>(0.75f, -0.5f, s, o, J);
        double[,] exact = FieldExact(new double[] { 0.75f, -0.5f, s[0], s[1] }, 2);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++) Check.Close(exact[i, j], J[i, j], 1e-5, "exact J[" + i + ", " + j + "]");
        }
        var plain = new float[3];
        G.Field<float>(0.75f, -0.5f, s, plain);
        Assert.Equal(plain, o);
    }

    // ---------------------------------------------------------------- forward mode: MTangent in T, dot product with the gradient

    private static double[] ForwardGradient(double[] p)
    {
        double x = p[0], y = p[1], h = Math.Sqrt(x * x + y * y), q = 1 + x * x;
        return new[] { Math.Exp(x) * y + (x / h) / q - h * 2 * x / (q * q), Math.Exp(x) + (y / h) / q };
    }

    [Fact]
    public void Tangent_at_double_matches_the_gradient_and_finite_differences() =>
        TangentCheck.Directional(p => G.Forward<double>(p[0], p[1]),
            (p, v) => (G.ForwardTangent<double>(p[0], p[1], v[0], v[1], out double t), t),
            ForwardGradient, Check.Points(2, -1.5, 1.5));

    [Fact]
    public void Tangent_and_gradient_at_float_agree_dot_product()
    {
        foreach (double[] p in Check.Points(2, -1, 1))
        {
            float x = (float)p[0], y = (float)p[1];
            G.ForwardGradient<float>(x, y, out float gx, out float gy);
            G.ForwardTangent<float>(x, y, 0.25f, -0.5f, out float tangent);
            Check.Close(0.25 * gx - 0.5 * gy, tangent, 1e-5, "⟨∇f, v⟩ = MTangent(v)", p);
            double[] exact = ForwardGradient(new double[] { x, y });
            Check.Close(exact[0], gx, 1e-5, "exact ∂/∂x", p);
        }
    }

    // ---------------------------------------------------------------- a generic method of a generic type; narrower constraints

    [Fact]
    public void Generic_method_in_a_generic_type() =>
        Check.Two((x, y) => Functions.Scaled<int>.Norm(x, y, 7),
            (double x, double y, out double dx, out double dy) => Functions.Scaled<int>.NormGradient(x, y, 7, out dx, out dy),
            (double x, double y, double seed, ref double dx, ref double dy) => Functions.Scaled<int>.NormBackward(x, y, 7, seed, ref dx, ref dy),
            (x, y) => (x / Math.Sqrt(x * x + y * y) + 0.25, y / Math.Sqrt(x * x + y * y)), 0.3, 2);

    [Fact]
    public void Non_generic_method_of_a_generic_type_over_T_at_double_and_float()
    {
        double[] w = { 0.5, -1.5, 2.0 };
        var dw = new double[3];
        double x = 0.3;
        double value = Functions.Model<double>.EnergyGradient(x, w, out double dx, dw);
        Check.Same(Functions.Model<double>.Energy(x, w), value, "MGradient value");
        double exactDx = 0;
        for (int i = 0; i < 3; i++)
        {
            exactDx += -i * w[i] * Math.Exp(-x * i);
            Check.Close(Math.Exp(-x * i), dw[i], Check.ExactTolerance, "exact ∂/∂w" + i);
        }
        Check.Close(exactDx, dx, Check.ExactTolerance, "exact ∂/∂x");
        Check.Close(GradientCheck.CentralDifference(t => Functions.Model<double>.Energy(t, w), x), dx, Check.FiniteDifferenceTolerance, "finite differences ∂/∂x");

        var dwf = new float[3];
        Functions.Model<float>.EnergyGradient(0.3f, new[] { 0.5f, -1.5f, 2.0f }, out float dxf, dwf);
        Check.Close(exactDx, dxf, 1e-5, "exact ∂/∂x at float");
    }

    [Fact]
    public void INumber_polynomial_at_double_and_float()
    {
        Check.One(N.Cubic<double>, N.CubicGradient<double>, N.CubicBackward<double>, x => 3 * x * x - 2, -2, 2);
        Check.OneFloat(N.Cubic<float>, N.CubicGradient<float>, N.CubicBackward<float>, x => 3 * x * x - 2, -2, 2);
    }

    [Fact]
    public void IRootFunctions_only_at_double_and_float()
    {
        Check.One(N.Root<double>, N.RootGradient<double>, N.RootBackward<double>, x => 1.5 * Math.Sqrt(x), 0.1, 3);
        Check.OneFloat(N.Root<float>, N.RootGradient<float>, N.RootBackward<float>, x => 1.5 * Math.Sqrt(x), 0.1f, 3);
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Central difference of f along element i of a (a copy is perturbed).</summary>
    private static double Difference(Func<double[], double> f, double[] a, int i) =>
        GradientCheck.CentralDifference(t => { var c = (double[])a.Clone(); c[i] = t; return f(c); }, a[i]);

    private static double DifferenceF(Func<float[], float> f, float[] a, int i) =>
        GradientCheck.CentralDifference(t => { var c = (float[])a.Clone(); c[i] = (float)t; return f(c); }, a[i], step: 1e-3);
}
