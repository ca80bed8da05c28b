using System;
using System.Linq;
using System.Reflection;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Ordinary C# in [Differentiable] methods (Functions/OrdinaryCSharp.cs): each against a hand-derived gradient (or the
/// method's own recurrence run on dual numbers) and central finite differences, MGradient and MBackward, double and float.
/// </summary>
public class OrdinaryCSharpTests
{
    private static (double, double)[] Pairs(double lo, double hi, int count = 10) => Check.Points(2, lo, hi, count).Select(p => (p[0], p[1])).ToArray();

    /// <summary>∂/∂x and ∂/∂y of <paramref name="f"/> run on dual numbers: the exact chain rule, independent of the generator.</summary>
    private static (double, double) DualGradient(Func<Dual, Dual, Dual> f, double x, double y) =>
        (f(Dual.Variable(x), Dual.Constant(y)).D, f(Dual.Constant(x), Dual.Variable(y)).D);

    // ---------------------------------------------------------------- switch

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(-1)]
    public void Switch_statement_on_a_passive_mode(int mode) =>
        Check.Two((x, y) => OrdinaryCSharp.SwitchStatement(x, y, mode),
            (double x, double y, out double dx, out double dy) => OrdinaryCSharp.SwitchStatementGradient(x, y, mode, out dx, out dy),
            (double x, double y, double seed, ref double dx, ref double dy) => OrdinaryCSharp.SwitchStatementBackward(x, y, mode, seed, ref dx, ref dy),
            (x, y) => mode switch
            {
                0 => (2 * x * y, x * x),
                1 or 2 => (mode * Math.Sin(x) + mode * x * Math.Cos(x) + y, x),
                12 => (3 * x * x - y, -x),
                3 when x > y => (2 * x / y, -x * x / (y * y)),
                4 when x > 0 => (3 * x * x * y, x * x * x),
                4 => (-2 * x * y, -x * x),
                _ => (2 * x + 2 * y, 2 * x),
            }, Pairs(-2, 2).Concat(Pairs(0.5, 3)).ToArray());

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(7)]
    public void Switch_statement_in_float(int mode) =>
        Check.TwoFloat((x, y) => OrdinaryCSharp.SwitchStatementFloat(x, y, mode),
            (float x, float y, out float dx, out float dy) => OrdinaryCSharp.SwitchStatementFloatGradient(x, y, mode, out dx, out dy),
            (float x, float y, float seed, ref float dx, ref float dy) => OrdinaryCSharp.SwitchStatementFloatBackward(x, y, mode, seed, ref dx, ref dy),
            (x, y) => mode switch
            {
                0 => (2 * x * y, x * x),
                2 => (2 * Math.Sin(x) + 2 * x * Math.Cos(x) + y, x),
                _ => (2 * x + 2 * y, 2 * x),
            }, -2, 2);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-3)]
    [InlineData(3)]
    [InlineData(5)]
    public void Switch_expression_with_or_not_relational_patterns_a_guard_and_a_discard(int mode) =>
        Check.Two((x, y) => OrdinaryCSharp.SwitchExpression(x, y, mode),
            (double x, double y, out double dx, out double dy) => OrdinaryCSharp.SwitchExpressionGradient(x, y, mode, out dx, out dy),
            (double x, double y, double seed, ref double dx, ref double dy) => OrdinaryCSharp.SwitchExpressionBackward(x, y, mode, seed, ref dx, ref dy),
            (x, y) => mode switch
            {
                0 => (y, x),
                1 or 2 => (1, mode),
                < 0 => (-2 * x, 0),
                not 5 when y > 1 => (1 / y, -x / (y * y)),
                _ => (2 * x * y, x * x),
            }, Pairs(0.3, 3));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Switch_expression_in_float(int mode) =>
        Check.TwoFloat((x, y) => OrdinaryCSharp.SwitchExpressionFloat(x, y, mode),
            (float x, float y, out float dx, out float dy) => OrdinaryCSharp.SwitchExpressionFloatGradient(x, y, mode, out dx, out dy),
            (float x, float y, float seed, ref float dx, ref float dy) => OrdinaryCSharp.SwitchExpressionFloatBackward(x, y, mode, seed, ref dx, ref dy),
            (x, y) => mode switch
            {
                0 => (y, x),
                1 => (1, 1),
                _ => (2 * x * y, x * x),
            }, -2, 2);

    private static double RelationalExact(double x) => x < -1 ? -2 * x : x < 1 ? 3 : 0.5 / Math.Sqrt(x);

    [Fact]
    public void Relational_patterns_on_the_differentiable_value_are_branch_conditions() =>
        Check.One(OrdinaryCSharp.RelationalOnActive, OrdinaryCSharp.RelationalOnActiveGradient, OrdinaryCSharp.RelationalOnActiveBackward,
            RelationalExact, -3, 3, -2.5, -0.5, 0.5, 2.5);

    [Fact]
    public void Relational_patterns_on_the_differentiable_value_in_float() =>
        Check.OneFloat(OrdinaryCSharp.RelationalOnActiveFloat, OrdinaryCSharp.RelationalOnActiveFloatGradient, OrdinaryCSharp.RelationalOnActiveFloatBackward,
            RelationalExact, -3, 3);

    private static Dual SwitchInLoopOnDuals(Dual x, Dual y)
    {
        Dual s = 0;
        for (int i = 0; i < 10; i++)
        {
            int k = i % 4;
            if (k == 2) continue;
            if (k == 0) s += x * i;
            else if (k == 1) { if (!(s.V > 5)) s *= y; }
            else if (s.V > 40) return s * y;
            s += 0.5 * x;
        }
        return s;
    }

    [Fact]
    public void Switch_on_the_loop_counter_break_leaves_the_switch_continue_and_return_leave_the_loop() =>
        Check.Two(OrdinaryCSharp.SwitchInLoop, OrdinaryCSharp.SwitchInLoopGradient, OrdinaryCSharp.SwitchInLoopBackward,
            (x, y) => DualGradient(SwitchInLoopOnDuals, x, y), Pairs(-2, 2, 8).Concat(Pairs(1, 3, 8)).ToArray());

    [Fact]
    public void Switch_in_a_loop_in_float() =>
        Check.TwoFloat(OrdinaryCSharp.SwitchInLoopFloat, OrdinaryCSharp.SwitchInLoopFloatGradient, OrdinaryCSharp.SwitchInLoopFloatBackward,
            (x, y) => DualGradient(SwitchInLoopOnDuals, x, y), -2, 2);

    [Theory]
    [InlineData(OrdinaryCSharp.Power.Square, "cm")]
    [InlineData(OrdinaryCSharp.Power.Cube, "um")]
    [InlineData(OrdinaryCSharp.Power.Root, "m")]
    [InlineData(OrdinaryCSharp.Power.Square, "")]
    public void Switch_on_an_enum_a_string_a_char_and_a_bool(OrdinaryCSharp.Power power, string unit)
    {
        double scale = unit switch { "cm" => 100, "mm" or "um" => 1000, _ => 1 };
        double extra = unit.Length == 0 ? 0 : unit[0] switch { 'c' => 1, 'm' or 'u' => 2, _ => 0 };
        double V(double x) => scale * (power == OrdinaryCSharp.Power.Square ? x * x : power == OrdinaryCSharp.Power.Cube ? x * x * x : Math.Sqrt(x)) + extra * x;
        double DV(double x) => scale * (power == OrdinaryCSharp.Power.Square ? 2 * x : power == OrdinaryCSharp.Power.Cube ? 3 * x * x : 0.5 / Math.Sqrt(x)) + extra;
        Check.One(x => OrdinaryCSharp.SwitchOnOtherTypes(x, power, unit),
            (double x, out double dx) => OrdinaryCSharp.SwitchOnOtherTypesGradient(x, power, unit, out dx),
            (double x, double seed, ref double dx) => OrdinaryCSharp.SwitchOnOtherTypesBackward(x, power, unit, seed, ref dx),
            x => V(x) > 50 ? DV(x) / V(x) : DV(x), 0.2, 3);
        Assert.Throws<ArgumentNullException>(() => OrdinaryCSharp.SwitchOnOtherTypesGradient(1.0, power, null, out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Is_patterns_are_conditions(int n)
    {
        Func<double, double> exact = x => (n is 1 or 2) && x >= 0 ? 2 * x : -1;
        Check.One(x => OrdinaryCSharp.IsPatterns(x, n),
            (double x, out double dx) => OrdinaryCSharp.IsPatternsGradient(x, n, out dx),
            (double x, double seed, ref double dx) => OrdinaryCSharp.IsPatternsBackward(x, n, seed, ref dx), exact, -2, 2);
        Check.OneFloat(x => OrdinaryCSharp.IsPatternsFloat(x, n),
            (float x, out float dx) => OrdinaryCSharp.IsPatternsFloatGradient(x, n, out dx),
            (float x, float seed, ref float dx) => OrdinaryCSharp.IsPatternsFloatBackward(x, n, seed, ref dx), exact, -2, 2);
    }

    [Fact]
    public void A_switch_expression_no_arm_matches_throws_what_the_compiler_throws()
    {
        Check.One(x => OrdinaryCSharp.NonExhaustive(x, 1),
            (double x, out double dx) => OrdinaryCSharp.NonExhaustiveGradient(x, 1, out dx),
            (double x, double seed, ref double dx) => OrdinaryCSharp.NonExhaustiveBackward(x, 1, seed, ref dx),
            x => 2 * x, -2, 2);
        var fromMethod = Assert.Throws<System.Runtime.CompilerServices.SwitchExpressionException>(() => OrdinaryCSharp.NonExhaustive(1.0, 2));
        double adjoint = 3;
        var fromBackward = Assert.Throws<System.Runtime.CompilerServices.SwitchExpressionException>(() => OrdinaryCSharp.NonExhaustiveBackward(1.0, 2, 1.0, ref adjoint));
        Assert.Equal(fromMethod.UnmatchedValue, fromBackward.UnmatchedValue);
        Assert.Equal(3.0, adjoint);
    }

    // ---------------------------------------------------------------- guards and passive effects

    [Fact]
    public void Guards_asserts_and_logging_run_forward_and_contribute_nothing()
    {
        Shape[] shapes = { Shape.Vector("x", 4), Shape.Vector("y", 4) };
        ArrayCheck.Gradient(shapes,
            p => OrdinaryCSharp.GuardedDot(p.Vector(0), p.Vector(1)),
            (p, g) => OrdinaryCSharp.GuardedDotGradient(p.Vector(0), p.Vector(1), g.Vector(0), g.Vector(1)),
            (p, seed, g) => OrdinaryCSharp.GuardedDotBackward(p.Vector(0), p.Vector(1), seed, g.Vector(0), g.Vector(1)),
            (p, e) =>
            {
                double[] x = p.Vector(0), y = p.Vector(1), dx = e.Vector(0), dy = e.Vector(1);
                double s = x.Zip(y, (a, b) => a * b).Sum();
                for (int i = 0; i < 4; i++) (dx[i], dy[i]) = (2 * s * y[i], 2 * s * x[i]);
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Guards_in_float()
    {
        Shape[] shapes = { Shape.Vector("x", 3), Shape.Vector("y", 3) };
        ArrayCheck.Gradient(shapes,
            p => OrdinaryCSharp.GuardedDotFloat(p.VectorF(0), p.VectorF(1)),
            (p, g) => OrdinaryCSharp.GuardedDotFloatGradient(p.VectorF(0), p.VectorF(1), g.VectorF(0), g.VectorF(1)),
            (p, seed, g) => OrdinaryCSharp.GuardedDotFloatBackward(p.VectorF(0), p.VectorF(1), (float)seed, g.VectorF(0), g.VectorF(1)),
            (p, e) =>
            {
                double[] x = p.Vector(0), y = p.Vector(1), dx = e.Vector(0), dy = e.Vector(1);
                double s = x.Zip(y, (a, b) => a * b).Sum();
                for (int i = 0; i < 3; i++) (dx[i], dy[i]) = (2 * s * y[i], 2 * s * x[i]);
            },
            ArrayCheck.Points(shapes, -1, 1), Precision.Float);
    }

    [Fact]
    public void A_null_guard_throws_from_MJacobian_MHessian_and_MHessianVector_as_from_the_method()
    {
        // A null array counts as empty: the shape checks (first, per api.md) expect no rows or columns for it, then the
        // method runs and its own ArgumentNullException surfaces, not a NullReferenceException of the companion.
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => OrdinaryCSharp.GuardedScaledSumJacobian(null!, 2, out _, new double[2, 1])).ParamName);
        Assert.Equal("jacobian", Assert.Throws<ArgumentException>(() => OrdinaryCSharp.GuardedScaledSumJacobian(null!, 2, out _, new double[2, 4])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => OrdinaryCSharp.GuardedCubicHessian(null!, 2, new double[3], out _, new double[1, 1])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() =>
            OrdinaryCSharp.GuardedCubicHessianVector(null!, 2, new double[3], 1, new double[3], out _, new double[3], out _)).ParamName);

        // And with x given, the companions are right: J = [[2s, 2s, 2s, 0], [y, y, y, s]], H of s(x, y) = y² + y Σ x².
        double[] x = { 1, -2, 0.5 };
        var jacobian = new double[2, 4];
        double value = OrdinaryCSharp.GuardedScaledSumJacobian(x, 3, out double z, jacobian);
        Assert.Equal(0.25, value);
        Assert.Equal(-1.5, z);
        Assert.Equal(new double[,] { { -1, -1, -1, 0 }, { 3, 3, 3, -0.5 } }, jacobian);
        var hessian = new double[4, 4];
        OrdinaryCSharp.GuardedCubicHessian(x, 3, new double[3], out double dy, hessian);
        Assert.Equal(6 + 5.25, dy, 12); // ∂s/∂y = 2y + Σ x²
        Assert.Equal(new double[,] { { 6, 0, 0, 2 }, { 0, 6, 0, -4 }, { 0, 0, 6, 1 }, { 2, -4, 1, 2 } }, hessian);
    }

    [Fact]
    public void A_logging_call_runs_once_per_companion_call_with_the_primal_value()
    {
        double[] x = { 1, 2, 3 }, y = { 0.5, -1, 2 };
        OrdinaryCSharp.Log.Values.Clear();
        OrdinaryCSharp.GuardedDotGradient(x, y, new double[3], new double[3]);
        OrdinaryCSharp.GuardedDotBackward(x, y, 1.0, new double[3], new double[3]);
        Assert.Equal(new[] { 4.5, 4.5 }, OrdinaryCSharp.Log.Values);
    }

    [Fact]
    public void A_failed_guard_throws_the_methods_exception_from_every_companion_before_writing_a_gradient()
    {
        double[] x = { 1, 2, 3 }, y = { 1, 2 };
        var fromMethod = Assert.Throws<ArgumentException>(() => OrdinaryCSharp.GuardedDot(x, y));
        Assert.Equal("y", fromMethod.ParamName);

        // MGradient zeroes its gradient buffers first (they are outputs), so a throwing guard leaves zeros, never junk.
        double[] dx = { 7, 7, 7 }, dy = { 7, 7 };
        var fromGradient = Assert.Throws<ArgumentException>(() => OrdinaryCSharp.GuardedDotGradient(x, y, dx, dy));
        Assert.Equal(fromMethod.Message, fromGradient.Message);
        Assert.All(dx.Concat(dy), d => Assert.Equal(0.0, d));

        // MBackward only accumulates, after the forward sweep: a throwing guard leaves the adjoints as they were.
        double[] ax = { 1, 2, 3 }, ay = { 4, 5 };
        var fromBackward = Assert.Throws<ArgumentException>(() => OrdinaryCSharp.GuardedDotBackward(x, y, 1.0, ax, ay));
        Assert.Equal(fromMethod.Message, fromBackward.Message);
        Assert.Equal(new double[] { 1, 2, 3 }, ax);
        Assert.Equal(new double[] { 4, 5 }, ay);

        Assert.Throws<ArgumentOutOfRangeException>(() => OrdinaryCSharp.GuardedDotBackward(Array.Empty<double>(), Array.Empty<double>(), 1.0, Span<double>.Empty, Span<double>.Empty));
    }

    [Fact]
    public void A_guard_inside_or_after_the_last_loop_throws_before_any_adjoint_is_written()
    {
        Shape[] shapes = { Shape.Vector("x", 5) };
        ArrayCheck.Gradient(shapes, p => OrdinaryCSharp.GuardInLoop(p.Vector(0)),
            (p, g) => OrdinaryCSharp.GuardInLoopGradient(p.Vector(0), g.Vector(0)),
            (p, seed, g) => OrdinaryCSharp.GuardInLoopBackward(p.Vector(0), seed, g.Vector(0)),
            (p, e) =>
            {
                double[] x = p.Vector(0), dx = e.Vector(0);
                for (int i = 0; i < x.Length; i++) dx[i] = 2 * x[i];
            },
            ArrayCheck.Points(shapes, -2, 2));
        ArrayCheck.Gradient(shapes, p => OrdinaryCSharp.GuardAfterLoop(p.Vector(0)),
            (p, g) => OrdinaryCSharp.GuardAfterLoopGradient(p.Vector(0), g.Vector(0)),
            (p, seed, g) => OrdinaryCSharp.GuardAfterLoopBackward(p.Vector(0), seed, g.Vector(0)),
            (p, e) =>
            {
                double[] x = p.Vector(0), dx = e.Vector(0);
                for (int i = 0; i < x.Length; i++) dx[i] = 3 * x[i] * x[i];
            },
            ArrayCheck.Points(shapes, -2, 2));

        double[] adjoint = { 1, 1, 1, 1, 1 };
        Assert.Throws<ArgumentOutOfRangeException>(() => OrdinaryCSharp.GuardInLoopBackward(new double[] { 1, 2, 3, -11, 5 }, 1.0, adjoint));
        Assert.Equal(new double[] { 1, 1, 1, 1, 1 }, adjoint);
        Assert.Throws<OverflowException>(() => OrdinaryCSharp.GuardAfterLoopBackward(new double[] { 1, 2, 3, 4, 10 }, 1.0, adjoint));
        Assert.Equal(new double[] { 1, 1, 1, 1, 1 }, adjoint);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Throw_expressions_and_a_guard_on_the_differentiable_value(int n) =>
        Check.One(x => OrdinaryCSharp.ThrowExpressions(x, n),
            (double x, out double dx) => OrdinaryCSharp.ThrowExpressionsGradient(x, n, out dx),
            (double x, double seed, ref double dx) => OrdinaryCSharp.ThrowExpressionsBackward(x, n, seed, ref dx),
            x => n / x + (n % 3) switch { 0 => 0, 1 => 1, _ => 2 * x }, 0.2, 3);

    [Fact]
    public void Throw_expressions_throw_from_the_companions_and_leave_the_adjoint_alone()
    {
        double adjoint = 0.25;
        var n = Assert.Throws<ArgumentOutOfRangeException>(() => OrdinaryCSharp.ThrowExpressionsBackward(2.0, 0, 1.0, ref adjoint));
        Assert.Equal("n", n.ParamName);
        var x = Assert.Throws<ArgumentOutOfRangeException>(() => OrdinaryCSharp.ThrowExpressionsBackward(-2.0, 4, 1.0, ref adjoint));
        Assert.Equal("x", x.ParamName);
        Assert.Equal(-2.0, x.ActualValue);
        Assert.Equal(0.25, adjoint);
        Assert.Throws<ArgumentOutOfRangeException>(() => OrdinaryCSharp.ThrowExpressionsFloatGradient(2f, -1, out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Throw_expressions_in_float(int n) =>
        Check.OneFloat(x => OrdinaryCSharp.ThrowExpressionsFloat(x, n),
            (float x, out float dx) => OrdinaryCSharp.ThrowExpressionsFloatGradient(x, n, out dx),
            (float x, float seed, ref float dx) => OrdinaryCSharp.ThrowExpressionsFloatBackward(x, n, seed, ref dx),
            x => n / x + 1, 0.5f, 3);

    // ---------------------------------------------------------------- tuples

    private static Dual TuplesOnDuals(Dual x, Dual y)
    {
        Dual a = x + y, b = x * y, p = 1, q = x;
        for (int i = 0; i < 4; i++) (p, q) = (q, p + q * y);
        return p * b + a * q;
    }

    [Fact]
    public void Deconstruction_swaps_and_tuple_updates_read_before_they_write() =>
        Check.Two(OrdinaryCSharp.Tuples, OrdinaryCSharp.TuplesGradient, OrdinaryCSharp.TuplesBackward,
            (x, y) => DualGradient(TuplesOnDuals, x, y), Pairs(-1.5, 1.5));

    [Fact]
    public void Tuples_in_float() =>
        Check.TwoFloat(OrdinaryCSharp.TuplesFloat, OrdinaryCSharp.TuplesFloatGradient, OrdinaryCSharp.TuplesFloatBackward,
            (x, y) => DualGradient((x, y) =>
            {
                Dual a = x + y, b = x * y, p = 1, q = x;
                for (int i = 0; i < 4; i++) (p, q) = (q, p + q * y);
                return a * a + b + p * q;
            }, x, y), -1, 1);

    // ---------------------------------------------------------------- local functions

    private static Dual LocalFunctionsOnDuals(Dual x, Dual y)
    {
        static Dual Clip(Dual v) => v.V > 2 ? 2 + 0.1 * v : v.V < -2 ? -2 : v;
        Dual r = x * x + (x * x * y + Dual.Sin(y));
        return r + Clip(r * 0.1) * (y * y * y * y);
    }

    [Fact]
    public void Local_functions_static_capturing_and_with_early_returns_are_inlined() =>
        Check.Two(OrdinaryCSharp.LocalFunctions, OrdinaryCSharp.LocalFunctionsGradient, OrdinaryCSharp.LocalFunctionsBackward,
            (x, y) => DualGradient(LocalFunctionsOnDuals, x, y), Pairs(-3, 3, 12));

    [Fact]
    public void Local_functions_in_float() =>
        Check.TwoFloat(OrdinaryCSharp.LocalFunctionsFloat, OrdinaryCSharp.LocalFunctionsFloatGradient, OrdinaryCSharp.LocalFunctionsFloatBackward,
            (x, y) => (2 * x + 2 * x * y, x * x + Math.Cos(y)), -2, 2);

    [Fact]
    public void A_local_function_with_a_loop_and_return_called_in_a_loop_and_a_void_one_updating_a_captured_local() =>
        Check.Two(OrdinaryCSharp.LocalFunctionsInLoop, OrdinaryCSharp.LocalFunctionsInLoopGradient, OrdinaryCSharp.LocalFunctionsInLoopBackward,
            (x, y) => DualGradient((x, y) =>
            {
                Dual acc = 0;
                for (int i = 1; i <= 4; i++)
                {
                    Dual p = 1;
                    bool capped = false;
                    for (int k = 0; k < i && !capped; k++)
                    {
                        p *= x;
                        if (p.V > 6) { p = 6 + p * 0.5; capped = true; }
                    }
                    Dual v = p * y;
                    if (v.V != 0) acc += v;
                }
                return acc;
            }, x, y), Pairs(-2.5, 2.5, 12));

    [Fact]
    public void A_local_function_in_a_loop_condition_with_its_own_loop_switch_swap_and_guard() =>
        Check.Two(OrdinaryCSharp.LocalFunctionInCondition, OrdinaryCSharp.LocalFunctionInConditionGradient, OrdinaryCSharp.LocalFunctionInConditionBackward,
            (x, y) => DualGradient((x, y) =>
            {
                static Dual Measure(Dual v, int k)
                {
                    Dual a = v, b = 1;
                    for (int i = 0; i < 2; i++) (a, b) = (b, a * v);
                    return k % 2 == 0 ? a + b : a * b;
                }
                Dual r = y;
                int steps = 0;
                while (Measure(r, steps).V < 4 && steps < 6)
                {
                    r += x * 0.5;
                    steps++;
                }
                return r * Measure(x, 1);
            }, x, y), Pairs(-1.5, 1.5, 12));

    [Fact]
    public void Local_functions_over_arrays_write_into_the_callers_array_and_read_arrays_made_for_the_call()
    {
        Shape[] shapes = { Shape.Vector("w", 3), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => OrdinaryCSharp.LocalFunctionsOverArrays(p.Vector(0), p.Scalar(1)),
            (p, g) => OrdinaryCSharp.LocalFunctionsOverArraysGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => OrdinaryCSharp.LocalFunctionsOverArraysBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] w = p.Vector(0), dw = e.Vector(0);
                double x = p.Scalar(1);
                for (int i = 0; i < 3; i++) dw[i] = x * (i + 1) + (i == 0 ? x : 0);
                e.Ref(1) = w[0] + 2 * w[1] + 3 * w[2] + w[0] + 2 * x;
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    // ---------------------------------------------------------------- in and params

    [Fact]
    public void In_parameters_are_inputs_and_stay_in_in_the_companions()
    {
        Check.Two((x, y) => OrdinaryCSharp.InParameters(x, y),
            (double x, double y, out double dx, out double dy) => OrdinaryCSharp.InParametersGradient(in x, in y, out dx, out dy),
            (double x, double y, double seed, ref double dx, ref double dy) => OrdinaryCSharp.InParametersBackward(in x, in y, seed, ref dx, ref dy),
            (x, y) => (y + Math.Cos(x), x), -2, 2);
        Check.TwoFloat((x, y) => OrdinaryCSharp.InParametersFloat(x, y),
            (float x, float y, out float dx, out float dy) => OrdinaryCSharp.InParametersFloatGradient(x, y, out dx, out dy),
            (float x, float y, float seed, ref float dx, ref float dy) => OrdinaryCSharp.InParametersFloatBackward(x, y, seed, ref dx, ref dy),
            (x, y) => (y + Math.Cos(x), x), -2, 2);
        foreach (string name in new[] { "InParametersGradient", "InParametersBackward" })
        {
            ParameterInfo[] parameters = typeof(OrdinaryCSharp).GetMethod(name)!.GetParameters();
            Assert.True(parameters[0].IsIn && parameters[1].IsIn, name + " keeps x and y as in parameters");
        }
    }

    [Fact]
    public void Params_arrays_are_array_inputs_and_the_companions_drop_params()
    {
        Shape[] shapes = { Shape.Vector("x", 4) };
        ArrayCheck.Gradient(shapes, p => OrdinaryCSharp.ParamsSumOfSquares(p.Vector(0)),
            (p, g) => OrdinaryCSharp.ParamsSumOfSquaresGradient(p.Vector(0), g.Vector(0)),
            (p, seed, g) => OrdinaryCSharp.ParamsSumOfSquaresBackward(p.Vector(0), seed, g.Vector(0)),
            (p, e) =>
            {
                double[] x = p.Vector(0), dx = e.Vector(0);
                for (int i = 0; i < x.Length; i++) dx[i] = 2 * x[i];
            }, ArrayCheck.Points(shapes, -2, 2));
        ArrayCheck.Gradient(shapes, p => OrdinaryCSharp.ParamsSumOfSquaresFloat(p.VectorF(0)),
            (p, g) => OrdinaryCSharp.ParamsSumOfSquaresFloatGradient(p.VectorF(0), g.VectorF(0)),
            (p, seed, g) => OrdinaryCSharp.ParamsSumOfSquaresFloatBackward(p.VectorF(0), (float)seed, g.VectorF(0)),
            (p, e) =>
            {
                double[] x = p.Vector(0), dx = e.Vector(0);
                for (int i = 0; i < x.Length; i++) dx[i] = 2 * x[i];
            }, ArrayCheck.Points(shapes, -2, 2), Precision.Float);
        foreach (string name in new[] { "ParamsSumOfSquaresGradient", "ParamsSumOfSquaresBackward" })
        {
            Assert.Null(typeof(OrdinaryCSharp).GetMethod(name)!.GetParameters()[0].GetCustomAttribute<ParamArrayAttribute>());
        }
    }

    [Fact]
    public void Calls_of_params_and_in_methods_from_a_differentiable_method() =>
        Check.Two(OrdinaryCSharp.CallsParamsAndIn, OrdinaryCSharp.CallsParamsAndInGradient, OrdinaryCSharp.CallsParamsAndInBackward,
            (x, y) => (2 * x + 2 * x * y * y + 2 * y + Math.Cos(x), 2 * y + 2 * x * x * y + 2 * x), -2, 2);
}
