using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Every rule of <see cref="RuleTable"/>, in double and float, through the reverse transform: the gradient of
/// <c>f(p…) = F(p…)</c> equals the hand-derived partials and agrees with finite differences of the interpreted function.
/// Non-smooth functions are checked in each regime and at their ties against the documented subgradient.
/// </summary>
public class DerivativeRuleTests
{
    /// <param name="Id">Display name of the case.</param>
    /// <param name="Args">The arguments; an int parameter of the rule (ScaleB's n) takes its value as a constant, not a parameter.</param>
    /// <param name="Exact">The partial derivatives at the arguments, by hand: one per real argument.</param>
    /// <param name="FiniteDifferences">Per argument: whether finite differences can check it (not at a tie, not where a convention applies).</param>
    private sealed record RuleCase(string Id, MathFunction Function, double[] Args, Func<double[], double[]> Exact, bool[]? FiniteDifferences = null)
    {
        public bool Checkable(int i) => FiniteDifferences is null || FiniteDifferences[i];

        private ImmutableArray<RuleParameter> Parameters => RuleTable.Of(Function).Parameters;

        /// <summary>The real arguments: the differentiable parameters of the test function.</summary>
        public double[] RealArgs => Args.Where((_, i) => Parameters[i] == RuleParameter.Real).ToArray();

        /// <summary>The call's arguments: the next parameter for a real one, the constant for an int one.</summary>
        public E[] CallArguments(IReadOnlyList<E> reals)
        {
            int next = 0;
            return Args.Select((a, i) => Parameters[i] == RuleParameter.Integer ? (E)(int)a : reals[next++]).ToArray();
        }
    }

    private static readonly double Ln10 = Math.Log(10), Ln2 = Math.Log(2);

    private static readonly RuleCase[] Cases =
    {
        new("Sin", MathFunction.Sin, new[] { 0.7 }, a => new[] { Math.Cos(a[0]) }),
        new("Cos", MathFunction.Cos, new[] { 0.7 }, a => new[] { -Math.Sin(a[0]) }),
        new("Tan", MathFunction.Tan, new[] { 0.7 }, a => new[] { 1 + Math.Tan(a[0]) * Math.Tan(a[0]) }),
        new("Asin", MathFunction.Asin, new[] { 0.3 }, a => new[] { 1 / Math.Sqrt(1 - a[0] * a[0]) }),
        new("Acos", MathFunction.Acos, new[] { 0.3 }, a => new[] { -1 / Math.Sqrt(1 - a[0] * a[0]) }),
        new("Atan", MathFunction.Atan, new[] { 1.7 }, a => new[] { 1 / (1 + a[0] * a[0]) }),
        new("Atan2", MathFunction.Atan2, new[] { 0.8, -1.3 }, a => { double r = a[0] * a[0] + a[1] * a[1]; return new[] { a[1] / r, -a[0] / r }; }),
        new("Sinh", MathFunction.Sinh, new[] { 0.9 }, a => new[] { Math.Cosh(a[0]) }),
        new("Cosh", MathFunction.Cosh, new[] { 0.9 }, a => new[] { Math.Sinh(a[0]) }),
        new("Tanh", MathFunction.Tanh, new[] { 0.9 }, a => new[] { 1 - Math.Tanh(a[0]) * Math.Tanh(a[0]) }),
        new("Asinh", MathFunction.Asinh, new[] { -1.4 }, a => new[] { 1 / Math.Sqrt(a[0] * a[0] + 1) }),
        new("Acosh", MathFunction.Acosh, new[] { 1.7 }, a => new[] { 1 / Math.Sqrt(a[0] * a[0] - 1) }),
        new("Atanh", MathFunction.Atanh, new[] { 0.4 }, a => new[] { 1 / (1 - a[0] * a[0]) }),
        new("Exp", MathFunction.Exp, new[] { 1.1 }, a => new[] { Math.Exp(a[0]) }),
        new("Log", MathFunction.Log, new[] { 1.9 }, a => new[] { 1 / a[0] }),
        new("LogBase", MathFunction.LogBase, new[] { 5.5, 2.5 }, a => new[] { 1 / (a[0] * Math.Log(a[1])), -Math.Log(a[0]) / (a[1] * Math.Log(a[1]) * Math.Log(a[1])) }),
        new("Log10", MathFunction.Log10, new[] { 3.3 }, a => new[] { 1 / (a[0] * Ln10) }),
        new("Log2", MathFunction.Log2, new[] { 3.3 }, a => new[] { 1 / (a[0] * Ln2) }),
        new("Sqrt", MathFunction.Sqrt, new[] { 2.6 }, a => new[] { 0.5 / Math.Sqrt(a[0]) }),
        new("Cbrt", MathFunction.Cbrt, new[] { 2.6 }, a => new[] { 1 / (3 * Math.Cbrt(a[0]) * Math.Cbrt(a[0])) }),
        new("Cbrt of a negative", MathFunction.Cbrt, new[] { -2.6 }, a => new[] { 1 / (3 * Math.Cbrt(a[0]) * Math.Cbrt(a[0])) }),
        new("Pow", MathFunction.Pow, new[] { 1.3, 2.7 }, a => new[] { a[1] * Math.Pow(a[0], a[1] - 1), Math.Pow(a[0], a[1]) * Math.Log(a[0]) }),
        // a ≤ 0: ln a is undefined, ∂/∂b is taken as 0 (finite differences of a^b with b near 3 are NaN there).
        new("Pow of a negative base", MathFunction.Pow, new[] { -1.5, 3.0 }, a => new[] { 3 * 1.5 * 1.5, 0.0 }, new[] { true, false }),
        new("Pow of a zero base", MathFunction.Pow, new[] { 0.0, 2.5 }, a => new[] { 0.0, 0.0 }, new[] { false, false }),
        new("Abs of a positive", MathFunction.Abs, new[] { 0.6 }, a => new[] { 1.0 }),
        new("Abs of a negative", MathFunction.Abs, new[] { -0.6 }, a => new[] { -1.0 }),
        new("Abs at zero", MathFunction.Abs, new[] { 0.0 }, a => new[] { 0.0 }),
        new("Max first", MathFunction.Max, new[] { 0.9, 0.2 }, a => new[] { 1.0, 0.0 }),
        new("Max second", MathFunction.Max, new[] { 0.2, 0.9 }, a => new[] { 0.0, 1.0 }),
        new("Max tie", MathFunction.Max, new[] { 0.5, 0.5 }, a => new[] { 1.0, 0.0 }, new[] { false, false }),
        new("Min first", MathFunction.Min, new[] { 0.2, 0.9 }, a => new[] { 1.0, 0.0 }),
        new("Min second", MathFunction.Min, new[] { 0.9, 0.2 }, a => new[] { 0.0, 1.0 }),
        new("Min tie", MathFunction.Min, new[] { 0.5, 0.5 }, a => new[] { 1.0, 0.0 }, new[] { false, false }),
        new("Clamp inside", MathFunction.Clamp, new[] { 0.3, -0.5, 0.7 }, a => new[] { 1.0, 0.0, 0.0 }),
        new("Clamp below", MathFunction.Clamp, new[] { -0.8, -0.5, 0.7 }, a => new[] { 0.0, 1.0, 0.0 }),
        new("Clamp above", MathFunction.Clamp, new[] { 0.9, -0.5, 0.7 }, a => new[] { 0.0, 0.0, 1.0 }),
        new("Clamp at min", MathFunction.Clamp, new[] { -0.5, -0.5, 0.7 }, a => new[] { 1.0, 0.0, 0.0 }, new[] { false, false, true }),
        new("Clamp at max", MathFunction.Clamp, new[] { 0.7, -0.5, 0.7 }, a => new[] { 1.0, 0.0, 0.0 }, new[] { false, true, false }),
        new("Hypot", MathFunction.Hypot, new[] { 1.2, -0.5 }, a => { double h = Math.Sqrt(a[0] * a[0] + a[1] * a[1]); return new[] { a[0] / h, a[1] / h }; }),
        new("Hypot at the origin", MathFunction.Hypot, new[] { 0.0, 0.0 }, a => new[] { 0.0, 0.0 }),
        new("FusedMultiplyAdd", MathFunction.FusedMultiplyAdd, new[] { 1.5, -0.4, 0.8 }, a => new[] { a[1], a[0], 1.0 }),
        // CopySign: ±1 in the magnitude (the signs agree or not), 0 in the sign; at a zero magnitude its sign bit decides.
        new("CopySign, signs agree", MathFunction.CopySign, new[] { 0.7, 1.2 }, a => new[] { 1.0, 0.0 }),
        new("CopySign, signs differ", MathFunction.CopySign, new[] { 0.7, -1.2 }, a => new[] { -1.0, 0.0 }),
        new("CopySign of a negative magnitude", MathFunction.CopySign, new[] { -0.7, 1.2 }, a => new[] { -1.0, 0.0 }),
        new("CopySign, both negative", MathFunction.CopySign, new[] { -0.7, -1.2 }, a => new[] { 1.0, 0.0 }),
        new("CopySign of zero", MathFunction.CopySign, new[] { 0.0, -1.2 }, a => new[] { -1.0, 0.0 }, new[] { false, true }),
        new("ScaleB", MathFunction.ScaleB, new[] { 0.7, 3 }, a => new[] { 8.0 }),
        new("ScaleB down", MathFunction.ScaleB, new[] { -1.3, -2 }, a => new[] { 0.25 }),
        new("BitIncrement", MathFunction.BitIncrement, new[] { 0.7 }, a => new[] { 1.0 }),
        new("BitDecrement", MathFunction.BitDecrement, new[] { -0.7 }, a => new[] { 1.0 }),
        new("ExpM1", MathFunction.ExpM1, new[] { -0.3 }, a => new[] { Math.Exp(a[0]) }),
        new("ExpM1 far below 0", MathFunction.ExpM1, new[] { -30.0 }, a => new[] { Math.Exp(a[0]) }),
        new("Exp2", MathFunction.Exp2, new[] { 1.3 }, a => new[] { Math.Pow(2, a[0]) * Ln2 }),
        new("Exp2M1", MathFunction.Exp2M1, new[] { -0.4 }, a => new[] { Math.Pow(2, a[0]) * Ln2 }),
        new("Exp10", MathFunction.Exp10, new[] { 0.6 }, a => new[] { Math.Pow(10, a[0]) * Ln10 }),
        new("Exp10M1", MathFunction.Exp10M1, new[] { -0.2 }, a => new[] { Math.Pow(10, a[0]) * Ln10 }),
        new("LogP1", MathFunction.LogP1, new[] { 0.8 }, a => new[] { 1 / (1 + a[0]) }),
        new("Log2P1", MathFunction.Log2P1, new[] { -0.5 }, a => new[] { 1 / ((1 + a[0]) * Ln2) }),
        new("Log10P1", MathFunction.Log10P1, new[] { 2.5 }, a => new[] { 1 / ((1 + a[0]) * Ln10) }),
        new("SinPi", MathFunction.SinPi, new[] { 0.3 }, a => new[] { Math.PI * Math.Cos(Math.PI * a[0]) }),
        new("CosPi", MathFunction.CosPi, new[] { 0.3 }, a => new[] { -Math.PI * Math.Sin(Math.PI * a[0]) }),
        new("TanPi", MathFunction.TanPi, new[] { 0.2 }, a => new[] { Math.PI / (Math.Cos(Math.PI * a[0]) * Math.Cos(Math.PI * a[0])) }),
        new("AsinPi", MathFunction.AsinPi, new[] { 0.3 }, a => new[] { 1 / (Math.PI * Math.Sqrt(1 - a[0] * a[0])) }),
        new("AcosPi", MathFunction.AcosPi, new[] { 0.3 }, a => new[] { -1 / (Math.PI * Math.Sqrt(1 - a[0] * a[0])) }),
        new("AtanPi", MathFunction.AtanPi, new[] { 1.7 }, a => new[] { 1 / (Math.PI * (1 + a[0] * a[0])) }),
        new("Atan2Pi", MathFunction.Atan2Pi, new[] { 0.8, -1.3 }, a => { double r = Math.PI * (a[0] * a[0] + a[1] * a[1]); return new[] { a[1] / r, -a[0] / r }; }),
        new("Atan2Pi at the origin", MathFunction.Atan2Pi, new[] { 0.0, 0.0 }, a => new[] { 0.0, 0.0 }, new[] { false, false }),
        new("DegreesToRadians", MathFunction.DegreesToRadians, new[] { 30.0 }, a => new[] { Math.PI / 180 }),
        new("RadiansToDegrees", MathFunction.RadiansToDegrees, new[] { 0.5 }, a => new[] { 180 / Math.PI }),
        new("RootN cube", MathFunction.RootN, new[] { 2.6, 3 }, a => new[] { 1 / (3 * Math.Cbrt(a[0]) * Math.Cbrt(a[0])) }),
        new("RootN odd of a negative", MathFunction.RootN, new[] { -2.6, 5 }, a => new[] { 1 / (5 * Math.Pow(Math.Pow(2.6, 0.2), 4)) }),
        new("RootN reciprocal", MathFunction.RootN, new[] { 2.6, -2 }, a => new[] { -0.5 * Math.Pow(a[0], -1.5) }),
        new("Lerp", MathFunction.Lerp, new[] { 0.4, 2.1, 0.3 }, a => new[] { 1 - a[2], a[2], a[1] - a[0] }),
        new("MaxMagnitude first", MathFunction.MaxMagnitude, new[] { -0.9, 0.2 }, a => new[] { 1.0, 0.0 }),
        new("MaxMagnitude second", MathFunction.MaxMagnitude, new[] { 0.2, -0.9 }, a => new[] { 0.0, 1.0 }),
        new("MaxMagnitude opposite tie", MathFunction.MaxMagnitude, new[] { -0.5, 0.5 }, a => new[] { 0.0, 1.0 }, new[] { false, false }),
        new("MinMagnitude first", MathFunction.MinMagnitude, new[] { -0.2, 0.9 }, a => new[] { 1.0, 0.0 }),
        new("MinMagnitude second", MathFunction.MinMagnitude, new[] { 0.9, -0.2 }, a => new[] { 0.0, 1.0 }),
        new("MaxMagnitudeNumber", MathFunction.MaxMagnitudeNumber, new[] { 0.3, -0.8 }, a => new[] { 0.0, 1.0 }),
        new("MaxMagnitudeNumber ignores NaN", MathFunction.MaxMagnitudeNumber, new[] { double.NaN, -0.8 }, a => new[] { 0.0, 1.0 }, new[] { false, false }),
        new("MinMagnitudeNumber", MathFunction.MinMagnitudeNumber, new[] { 0.3, -0.8 }, a => new[] { 1.0, 0.0 }),
        new("MaxNumber", MathFunction.MaxNumber, new[] { 0.9, 0.2 }, a => new[] { 1.0, 0.0 }),
        new("MaxNumber ignores NaN", MathFunction.MaxNumber, new[] { 0.2, double.NaN }, a => new[] { 1.0, 0.0 }, new[] { false, false }),
        new("MinNumber", MathFunction.MinNumber, new[] { 0.9, 0.2 }, a => new[] { 0.0, 1.0 }),
        new("MinNumber tie", MathFunction.MinNumber, new[] { 0.5, 0.5 }, a => new[] { 1.0, 0.0 }, new[] { false, false }),
    };

    private static readonly Dictionary<string, RuleCase> ById = Cases.ToDictionary(c => c.Id);

    public static TheoryData<string> CaseIds() => new(Cases.Select(c => c.Id));

    private static IrFunction Direct(MathFunction function, int arity, IrType type)
    {
        var b = new IrBuilder(function.ToString(), type);
        E[] parameters = Enumerable.Range(0, arity).Select(i => (E)b.Param("p" + i, type)).ToArray();
        b.Return(M.Call(function, parameters));
        return b.Build();
    }

    private static IrFunction Direct(RuleCase c, IrType type)
    {
        var b = new IrBuilder(c.Function.ToString(), type);
        E[] parameters = c.RealArgs.Select((_, i) => (E)b.Param("p" + i, type)).ToArray();
        b.Return(M.Call(c.Function, c.CallArguments(parameters)));
        return b.Build();
    }

    private static object?[] Arguments(RuleCase c, IrType type) =>
        c.RealArgs.Select(a => type.Kind == IrTypeKind.Float ? (object?)(float)a : a).ToArray();

    [Fact]
    public void Every_function_of_the_table_has_a_case()
    {
        Assert.Empty(Enum.GetValues<MathFunction>().Except(Cases.Select(c => c.Function)));
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Double_gradient_equals_the_exact_partials(string id)
    {
        RuleCase c = ById[id];
        IrFunction f = Direct(c, IrType.Double);
        GradientRun run = IrRunner.Gradient(IrRunner.Differentiate(f), Arguments(c, IrType.Double));
        double[] exact = c.Exact(c.Args);
        Assert.Equal(IrRunner.RunDouble(f, Arguments(c, IrType.Double)), (double)run.Value!);
        for (int i = 0; i < exact.Length; i++)
        {
            Assert.IsType<double>(run.Gradients[i]);
            GradientCheck.AssertClose(exact[i], run.Gradient(i), 1e-12, 1e-15, id + " ∂/∂p" + i);
        }
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Float_gradient_equals_the_exact_partials(string id)
    {
        RuleCase c = ById[id];
        IrFunction f = Direct(c, IrType.Float);
        GradientRun run = IrRunner.Gradient(IrRunner.Differentiate(f), Arguments(c, IrType.Float));
        double[] exact = c.Exact(c.Args.Select(a => (double)(float)a).ToArray());
        Assert.IsType<float>(run.Value);
        for (int i = 0; i < exact.Length; i++)
        {
            Assert.IsType<float>(run.Gradients[i]);
            GradientCheck.AssertClose(exact[i], run.Gradient(i), 2e-6, 1e-7, id + " (float) ∂/∂p" + i);
        }
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Double_gradient_matches_finite_differences(string id) => MatchesFiniteDifferences(ById[id], IrType.Double);

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Float_gradient_matches_finite_differences(string id) => MatchesFiniteDifferences(ById[id], IrType.Float);

    /// <summary>
    /// Atan2 and Atan2Pi at arguments whose squares underflow or overflow: (k·u, m·u) has partials m / ((k² + m²)·u) and
    /// −k / ((k² + m²)·u). The rule once divided by a² + b², which is 0 at u = 1e−178 (the rule then
    /// returned the origin's 0 partials; IR property seed 120409238) and infinite at u = 1e200.
    /// </summary>
    [Theory]
    [InlineData(1e-178, 1.0, 2.0)]
    [InlineData(1e-200, -3.0, 0.5)]
    [InlineData(1e200, 1.0, -3.0)]
    [InlineData(1e-25, 1.0, 2.0)] // float: the squares are below float's smallest denormal
    [InlineData(1e25, -2.0, 1.5)] // float: the squares overflow
    public void Atan2_partials_hold_where_the_squares_underflow_or_overflow(double unit, double k, double m)
    {
        foreach (IrType type in unit is > 1e-30 and < 1e30 ? new[] { IrType.Double, IrType.Float } : new[] { IrType.Double })
        {
            bool isFloat = type.Kind == IrTypeKind.Float;
            foreach ((MathFunction function, double scale) in new[] { (MathFunction.Atan2, 1.0), (MathFunction.Atan2Pi, Math.PI) })
            {
                object?[] args = isFloat ? new object?[] { (float)(k * unit), (float)(m * unit) } : new object?[] { k * unit, m * unit };
                GradientRun run = IrRunner.Gradient(IrRunner.Differentiate(Direct(function, 2, type)), args);
                double denominator = (k * k + m * m) * unit * scale;
                string what = function + (isFloat ? " (float)" : "") + " at u = " + unit;
                GradientCheck.AssertClose(m / denominator, run.Gradient(0), isFloat ? 2e-6 : 1e-14, 0, what + " ∂/∂a");
                GradientCheck.AssertClose(-k / denominator, run.Gradient(1), isFloat ? 2e-6 : 1e-14, 0, what + " ∂/∂b");
            }
        }
    }

    private static void MatchesFiniteDifferences(RuleCase c, IrType type)
    {
        // Through a chain: f(p…) = 3 · F(q…) with q_i = p_i · 1.25 − 0.25 p_i, so the rule's partials are evaluated on
        // temporaries and its result is a temporary (the rules read the result: Tan, Tanh, Exp, Sqrt, Cbrt, Pow…).
        var b = new IrBuilder(c.Function + "Chain", type);
        Var[] p = c.RealArgs.Select((_, i) => b.Param("p" + i, type)).ToArray();
        E[] q = p.Select(x => (E)b.Temp(x * 1.25 - 0.25 * x)).ToArray();
        b.Return(3.0 * M.Call(c.Function, c.CallArguments(q)));
        IrFunction f = b.Build();
        object?[] args = Arguments(c, type);
        GradientRun run = IrRunner.Gradient(IrRunner.Differentiate(f), args);
        bool isFloat = type.Kind == IrTypeKind.Float;
        for (int i = 0; i < args.Length; i++)
        {
            if (!c.Checkable(i)) continue;
            FiniteDifference fd = GradientCheck.Estimate(f, args, i);
            Assert.True(fd.SameControlFlow);
            GradientCheck.AssertClose(fd.Value, run.Gradient(i), isFloat ? 3e-3 : 1e-7, isFloat ? 1e-3 : 1e-9, c.Id + (isFloat ? " (float)" : "") + " ∂/∂p" + i + " vs finite differences");
        }
    }

    public static TheoryData<string> MultiArgumentFunctions() =>
        new(RuleTable.Differentiable.Where(r => r.Parameters.Count(p => p == RuleParameter.Real) > 1).Select(r => r.Function!.Value.ToString()));

    /// <summary>F(p, p…): the rule's partials for one variable in several argument slots add up (fan-out inside a rule).</summary>
    [Theory]
    [MemberData(nameof(MultiArgumentFunctions))]
    public void Same_variable_in_every_argument_sums_the_partials(string name)
    {
        MathFunction function = Enum.Parse<MathFunction>(name);
        int arity = Interpreter.IrInterpreterTests.Arity(function);
        const double x = 1.3;
        var b = new IrBuilder(function + "Diagonal");
        Var p = b.Param("p");
        b.Return(M.Call(function, Enumerable.Repeat((E)p, arity).ToArray()));
        IrFunction f = b.Build();
        double expected = function switch
        {
            MathFunction.Atan2 or MathFunction.Atan2Pi or MathFunction.LogBase => 0,   // atan2(x, x) = π/4, log_x(x) = 1
            MathFunction.Pow => Math.Pow(x, x) * (1 + Math.Log(x)),     // d/dx x^x
            MathFunction.Hypot => Math.Sqrt(2),                         // √2 |x|
            MathFunction.FusedMultiplyAdd => 2 * x + 1,                 // x² + x
            _ => 1,                                                     // Max, Min, Clamp select x (the first on ties)
        };
        GradientRun run = IrRunner.Gradient(IrRunner.Differentiate(f), new object?[] { x });
        GradientCheck.AssertClose(expected, run.Gradient(0), 1e-12, 1e-15, function + "(p, p…)");
        if (function is not (MathFunction.Max or MathFunction.Min or MathFunction.Clamp))
        {
            FiniteDifference fd = GradientCheck.Estimate(f, new object?[] { x }, 0);
            GradientCheck.AssertClose(fd.Value, run.Gradient(0), 1e-7, 1e-9, function + "(p, p…) vs finite differences");
        }
    }

    [Fact]
    public void Seed_scales_the_gradient()
    {
        IrFunction f = Direct(MathFunction.Atan2, 2, IrType.Double);
        var program = IrRunner.Differentiate(f);
        GradientRun one = IrRunner.Gradient(program, new object?[] { 0.8, -1.3 });
        GradientRun scaled = IrRunner.Gradient(program, new object?[] { 0.8, -1.3 }, seed: 2.5);
        Assert.Equal(2.5 * one.Gradient(0), scaled.Gradient(0), 14);
        Assert.Equal(2.5 * one.Gradient(1), scaled.Gradient(1), 14);
    }

    [Fact]
    public void Every_rule_has_one_partial_per_argument_and_zero_for_flat_ones()
    {
        foreach (FunctionRule rule in RuleTable.Differentiable)
        {
            var factory = new IrVariableFactory();
            var args = rule.Parameters.Select((p, i) => (IrExpression)new IrVariableReference(
                factory.Create("a" + i, p == RuleParameter.Integer ? IrType.Int : IrType.Double, IrVariableRole.Local))).ToImmutableArray();
            var partials = rule.Partials(args, new IrVariableReference(factory.Create("r", IrType.Double, IrVariableRole.Local)));
            Assert.Equal(rule.Arity, partials.Length);
            for (int i = 0; i < rule.Arity; i++)
            {
                if (rule.IsFlat(i) || rule.Parameters[i] == RuleParameter.Integer) Assert.True(IrConstant.IsRealZero(partials[i]), rule + " ∂/∂a" + i);
            }
            Assert.NotEmpty(rule.DoubleSpelling);
            Assert.NotEmpty(rule.FloatSpelling);
        }
    }

    [Fact]
    public void Lowering_finds_each_rule_by_its_name_and_parameters()
    {
        foreach (FunctionRule rule in RuleTable.Differentiable)
        {
            foreach (RuleOwners owner in new[] { RuleOwners.Math, RuleOwners.MathF, RuleOwners.Double, RuleOwners.Single })
            {
                if ((rule.Owners & owner) != 0) Assert.Same(rule, RuleTable.Find(owner, rule.Name, rule.Parameters));
            }
        }
    }

    [Fact]
    public void CopySign_is_differentiated_and_the_rounding_functions_are_not()
    {
        // CopySign used to be listed with Floor and Round as having a zero derivative: ∂/∂x is ±1.
        Assert.Equal(RuleKind.Differentiable, RuleTable.Find(RuleOwners.Math, "CopySign", new[] { RuleParameter.Real, RuleParameter.Real })!.Kind);
        Assert.True(RuleTable.Of(MathFunction.CopySign).IsFlat(1));
        foreach (string name in new[] { "Floor", "Ceiling", "Round", "Truncate", "Sign", "ILogB" })
        {
            Assert.Equal(RuleKind.ZeroDerivative, RuleTable.Find(RuleOwners.Math, name, new[] { RuleParameter.Real })!.Kind);
        }
    }

    [Fact]
    public void Operators_carry_derivatives_only_when_arithmetic()
    {
        foreach (IrBinaryOperator op in Enum.GetValues<IrBinaryOperator>())
        {
            bool arithmetic = op is IrBinaryOperator.Add or IrBinaryOperator.Subtract or IrBinaryOperator.Multiply or IrBinaryOperator.Divide or IrBinaryOperator.Remainder;
            Assert.Equal(arithmetic, RuleTable.Of(op).CarriesDerivative);
            Assert.NotEmpty(RuleTable.Of(op).Symbol);
        }
        Assert.True(RuleTable.Of(IrUnaryOperator.Negate).CarriesDerivative);
        Assert.False(RuleTable.Of(IrUnaryOperator.Not).CarriesDerivative);
    }

    [Fact]
    public void Predicates_are_found_whatever_their_overload()
    {
        foreach (string name in new[] { "IsNaN", "IsFinite", "IsInfinity", "IsNegative", "IsPositiveInfinity", "IsInteger" })
        {
            Assert.Equal(RuleKind.Predicate, RuleTable.Find(RuleOwners.Double, name, null)!.Kind);
            Assert.Equal(RuleKind.Predicate, RuleTable.Find(RuleOwners.Single, name, null)!.Kind);
            Assert.Null(RuleTable.Find(RuleOwners.Math, name, null));
        }
    }

    [Fact]
    public void Partials_are_built_in_the_result_type()
    {
        // A float rule must not mix in double constants: the emitted MathF code would not compile.
        foreach (MathFunction function in Enum.GetValues<MathFunction>())
        {
            FunctionRule rule = RuleTable.Of(function);
            var factory = new IrVariableFactory();
            var args = rule.Parameters.Select((p, i) => (IrExpression)new IrVariableReference(
                factory.Create("a" + i, p == RuleParameter.Integer ? IrType.Int : IrType.Float, IrVariableRole.Local))).ToArray();
            var result = new IrVariableReference(factory.Create("r", IrType.Float, IrVariableRole.Local));
            foreach (IrExpression partial in RuleTable.Of(function).Partials(args.ToImmutableArray(), result))
            {
                Assert.Equal(IrType.Float, partial.Type);
                Assert.All(IrQuery.Subtree(partial).OfType<IrConstant>(), k => Assert.IsType<float>(k.Value));
                Assert.All(IrQuery.Subtree(partial).Where(e => e is IrMathCall or IrBinary { Operator: IrBinaryOperator.Add or IrBinaryOperator.Subtract or IrBinaryOperator.Multiply or IrBinaryOperator.Divide } or IrUnary { Operator: IrUnaryOperator.Negate } or IrConditional),
                    e => Assert.Equal(IrType.Float, e.Type));
            }
        }
    }
}
