using System;
using System.Linq;
using AutoDiffGen.Integration.Tests.Functions.Repro;
using AutoDiffGen.Integration.Tests.Infrastructure;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// The programs of ../shared/repro (found by random programs against finite differences; copied unchanged into
/// Functions/Repro) at the points where their gradients threw or were wrong, and hand-reduced programs that show each
/// cause. Every gradient is checked against the exact chain rule of the program as it runs in double precision (dual
/// numbers, <see cref="DualPorts"/>) and, where the program is differentiable at a scale finite differences can see,
/// against central finite differences; MBackward against seed × gradient.
/// </summary>
public class ReproTests
{
    private const double Seed = 1.5;

    // ---- the programs as found ----------------------------------------------------------------------------------

    /// <summary>Tape underflow before: a restore dropped as dead while the reverse sweep did not yet test a branch condition.</summary>
    [Fact]
    public void P53_nested_loops_with_a_break_after_taped_branches() =>
        Verify(new[] { 0.930033, 1.37543, 0.35859, -0.708986, -0.351304, -0.121404 }, P53.Primal, P53.Grad,
            (p, seed, g) => { var a = p[..5]; double d = g[5]; double v = P53.FBackward(a, p[5], seed, g.AsSpan(0, 5), ref d); g[5] = d; return v; },
            q => DualPorts.P53(q[..5], q[5]));

    /// <summary>Tape underflow before: the same cause, a continue and a break in the inner loop.</summary>
    [Fact]
    public void P1267_continue_and_break_in_an_inner_loop() =>
        Verify(new[] { -0.628289, 0.138508, 0.593978 }, P1267.Primal, P1267.Grad,
            (p, seed, g) => P1267.FBackward(p[0], p[1], p[2], seed, ref g[0], ref g[1], ref g[2]),
            q => DualPorts.P1267(q[0], q[1], q[2]));

    /// <summary>DivideByZeroException before: a restore missing for the same cause left a stale value behind an index.</summary>
    [Fact]
    public void P5193_index_arithmetic_in_a_reversed_loop() =>
        Verify(new[] { -0.402536, 0.776988, -0.370731, -0.41265, 1.22783, 1.19806 }, P5193.Primal, P5193.Grad,
            (p, seed, g) => P5193.FBackward(p[..4], p[4], p[5], seed, g.AsSpan(0, 4), ref g[4], ref g[5]),
            q => DualPorts.P5193(q[..4], q[4], q[5]));

    [Fact]
    public void P533_index_arithmetic_and_breaks_in_nested_loops() =>
        Verify(new[] { 1.17141, -1.01761, -1.44977, 1.17218, -0.805009 }, P533.Primal, P533.Grad,
            (p, seed, g) => { double d = g[4]; double v = P533.FBackward(p[..4], p[4], seed, g.AsSpan(0, 4), ref d); g[4] = d; return v; },
            q => DualPorts.P533(q[..4], q[4]));

    /// <summary>
    /// NaN before: the loops make x1 NaN, so F returns the constant −1.433 and every partial is 0; the reverse sweep
    /// multiplied zero adjoints by partials evaluated at NaN values.
    /// </summary>
    [Fact]
    public void P6648_locally_constant_result_after_NaN_intermediates_has_a_zero_gradient()
    {
        double[] p = { -0.312251, -0.107685, -1.17734, -1.09483, 0.264509, 1.20379 };
        Assert.Equal(-1.433, P6648.Primal(p));
        Assert.All(P6648.Grad(p), g => Assert.Equal(0.0, g));
        Verify(p, P6648.Primal, P6648.Grad,
            (p, seed, g) => P6648.FBackward(p[..4], p[4], p[5], seed, g.AsSpan(0, 4), ref g[4], ref g[5]),
            q => DualPorts.P6648(q[..4], q[4], q[5]), checkDual: false); // dual numbers propagate the NaN: 0 · NaN
    }

    /// <summary>
    /// Not a bug of the generator: the program is chaotic there. Its loops drive x0 and t0 to about 1e51 (value 234.19 in
    /// double; 234.08 in exact arithmetic, so double rounding already changes the function), and the last step is
    /// sin(x0)·x0. The gradient is the exact chain rule of the double-precision program, equal to dual numbers in every
    /// component (∂/∂p4 = 1.0869e83). Finite differences give 0 for p4 at every step size because a change of p4 reaches
    /// the result only as t0 + (tiny), absorbed by rounding; in 1200-digit arithmetic ∂/∂p4 is about −5.8e134
    /// (mpmath, central differences with h = 1e-300). No step size makes finite differences agree with anything here.
    /// </summary>
    [Fact]
    public void P7838_chaotic_program_gets_the_chain_rule_of_its_double_precision_run()
    {
        double[] p = { -0.961147, -0.456964, -1.28189, 0.0289361, -1.35432, -0.320856 };
        double[] gradient = P7838.Grad(p);
        double[] dual = DualGradient(q => DualPorts.P7838(q[..5], q[5]), p);
        for (int k = 0; k < p.Length; k++) Close(dual[k], gradient[k], 1e-9, $"dual numbers, component {k}");
        Close(1.086935418869675e83, gradient[4], 1e-6, "∂/∂p4 (forward-mode dual numbers in double, computed independently)");
        Assert.Equal(0.0, GradientCheck.CentralDifference(P7838.Primal, p)[4]);
        VerifyBackward(p, P7838.Primal, gradient, (p, seed, g) => { double d = g[5]; double v = P7838.FBackward(p[..5], p[5], seed, g.AsSpan(0, 5), ref d); g[5] = d; return v; });
    }

    // ---- hand-reduced causes ------------------------------------------------------------------------------------

    /// <summary>The cause of P53, P1267, P5193 and P533 in six lines (see <see cref="Reduced.BreakAfterTapedBranch"/>).</summary>
    [Theory]
    [InlineData(0.7)]
    [InlineData(-0.4)]
    [InlineData(1.3)]
    public void Break_after_a_branch_that_changes_its_condition_variable(double x2)
    {
        // t0 = 0.6: iteration 0 skips the assignment (t0 ≤ 1), t0 = 1.6, tests x0 = -0.5 > -0.1: no break. Iteration 1
        // assigns x0 = atan(1.6 x2) and continues. Result sin(x0): ∂/∂x0 = 0, ∂/∂x2 = cos(x0) · 1.6 / (1 + (1.6 x2)²).
        double x0 = Math.Atan(1.6 * x2);
        Check.Two(Reduced.BreakAfterTapedBranch, Reduced.BreakAfterTapedBranchGradient, Reduced.BreakAfterTapedBranchBackward,
            (_, y) => (0, Math.Cos(x0) * 1.6 / (1 + 2.56 * y * y)), new[] { (-0.5, x2) });
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-2.0)]
    [InlineData(50.0)]
    public void Value_overflowing_in_an_unselected_Min_argument_does_not_poison_the_gradient(double x) =>
        // Min(exp(1000 x), 2) · x = 2x where exp(1000 x) > 2 (x > 0.0007): the Min selects 2, the exp's adjoint is 0, and
        // its partial exp(1000 x) · 1000 is ∞ (x = 1, 50) — 0 · ∞ must not reach the gradient.
        Check.One(Reduced.OverflowInUnselectedMin, Reduced.OverflowInUnselectedMinGradient, Reduced.OverflowInUnselectedMinBackward,
            v => v > 0.001 ? 2 : Math.Exp(1000 * v) * (1 + 1000 * v), x, x, x);

    [Theory]
    [InlineData(1.0)]
    [InlineData(150.0)]
    public void NaN_on_a_path_that_does_not_reach_the_result_does_not_poison_the_gradient(double x) =>
        // y = log(x − 10) is NaN for x < 10; it reaches the result only when x > 100: f = 2x below, (log(x − 10))² above.
        Check.One(Reduced.NaNOnAnUntakenReturn, Reduced.NaNOnAnUntakenReturnGradient, Reduced.NaNOnAnUntakenReturnBackward,
            v => v > 100 ? 2 * Math.Log(v - 10) / (v - 10) : 2, x, x, x);

    [Theory]
    [InlineData(0.7, 0, 1.0)] // √0 is flat in x: only the + x
    [InlineData(0.5, 2, 2.0)] // 1 + k / (2√(xk)) = 1 + 2 / 2
    public void Sqrt_of_a_value_that_is_exactly_zero_gets_the_zero_convention_not_NaN(double x, int k, double exact)
    {
        // Found 18 times in 100 000 random IR programs: Sqrt's partial 1/(2√g) is +∞ at g = 0, and ∞ · 0 = NaN.
        Check.One(v => Reduced.SqrtOfScaled(v, k),
            (double v, out double dv) => Reduced.SqrtOfScaledGradient(v, k, out dv),
            (double v, double seed, ref double dv) => Reduced.SqrtOfScaledBackward(v, k, seed, ref dv),
            _ => exact, x, x, x);
    }

    [Fact]
    public void Sqrt_of_a_square_at_zero_is_the_subgradient_of_the_absolute_value() =>
        // √(x²) = |x|: sign(x), and 0 at 0 (Abs's subgradient) where the chain rule alone gives 2·0 · ∞ = NaN.
        Check.One(Reduced.SqrtOfSquare, Reduced.SqrtOfSquareGradient, Reduced.SqrtOfSquareBackward,
            v => Math.Sign(v), -2, 2, 0.0);

    [Theory]
    [InlineData(0.3, 1.1)]
    [InlineData(-1.2, 0.4)]
    public void A_reversed_loop_that_zeroes_an_overwritten_adjoint_runs_even_when_its_other_seed_is_zero(double a, double x0) =>
        // x3 = -0.88 after the loop and x0 = cos(x3) after that: f = -0.88 a + cos(-0.88), ∂/∂a = -0.88, ∂/∂x0 = 0.
        // The first x3 = -cos(a) is overwritten; were its adjoint not zeroed, ∂/∂a would gain (a - sin(-0.88)) · sin(a).
        Check.Two(Reduced.OverwrittenInALoopWhoseOtherAdjointIsZero, Reduced.OverwrittenInALoopWhoseOtherAdjointIsZeroGradient,
            Reduced.OverwrittenInALoopWhoseOtherAdjointIsZeroBackward, (_, _) => (-0.88, 0), new[] { (a, x0) });

    // ---- checks -------------------------------------------------------------------------------------------------

    private static void Verify(double[] p, Func<double[], double> primal, Func<double[], double[]> gradientOf,
        Func<double[], double, double[], double> backward, Func<Dual[], Dual> dualProgram, bool checkDual = true)
    {
        double[] gradient = gradientOf(p);
        Assert.All(gradient, g => Assert.True(double.IsFinite(g), "gradient " + string.Join(", ", gradient)));
        if (checkDual)
        {
            double[] dual = DualGradient(dualProgram, p);
            for (int k = 0; k < p.Length; k++) Close(dual[k], gradient[k], 1e-9, $"dual numbers, component {k}");
        }
        double[] fd = GradientCheck.CentralDifference(primal, p);
        for (int k = 0; k < p.Length; k++) Close(fd[k], gradient[k], 1e-6, $"central differences, component {k}");
        VerifyBackward(p, primal, gradient, backward);
    }

    private static void VerifyBackward(double[] p, Func<double[], double> primal, double[] gradient, Func<double[], double, double[], double> backward)
    {
        double[] adjoints = p.Select((_, k) => 0.25 * k - 0.5).ToArray();
        double[] preset = (double[])adjoints.Clone();
        Assert.Equal(primal(p), backward((double[])p.Clone(), Seed, adjoints));
        for (int k = 0; k < p.Length; k++) Close(preset[k] + Seed * gradient[k], adjoints[k], 1e-12, $"MBackward, component {k}");
    }

    private static double[] DualGradient(Func<Dual[], Dual> program, double[] p) =>
        Enumerable.Range(0, p.Length)
            .Select(k => program(p.Select((v, i) => new Dual(v, i == k ? 1 : 0)).ToArray()).D)
            .ToArray();

    private static void Close(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R}");
}
