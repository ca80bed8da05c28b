using System;
using System.Linq;
using System.Threading.Tasks;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

public class ControlFlowTests
{
    [Fact]
    public void If_else_if_else_with_and_or() =>
        Check.Two(ControlFlow.Branches, ControlFlow.BranchesGradient, ControlFlow.BranchesBackward, (x, y) =>
        {
            if (x > y && x * y < 4) return (2 * x * y, x * x);
            if (x < -1 || y > 2) return (Math.Cos(x), 2 * y);
            return (1, -3);
        }, Check.Points(2, -3, 3, count: 12).Select(p => (p[0], p[1])).ToArray());

    [Fact]
    public void Conditional_operator() =>
        Check.Two(ControlFlow.Conditional, ControlFlow.ConditionalGradient, ControlFlow.ConditionalBackward, (x, y) =>
        {
            if (x < y) return (y, x);
            if (x > 2 * y) return (1 / y, -x / (y * y));
            return (-1, 1);
        }, Check.Points(2, 0.5, 3, count: 10).Select(p => (p[0], p[1])).ToArray());

    [Fact]
    public void Flag_reassigned_inside_the_branch_it_selects() =>
        Check.One(ControlFlow.FlagReassignedInBranch, ControlFlow.FlagReassignedInBranchGradient, ControlFlow.FlagReassignedInBranchBackward,
            x => 1, -2, 2);

    [Fact]
    public void Returns_from_several_places() =>
        Check.One(ControlFlow.EarlyReturns, ControlFlow.EarlyReturnsGradient, ControlFlow.EarlyReturnsBackward, x =>
            x < -1 ? -2 * x : 3 * x > 3 ? 3 / (2 * Math.Sqrt(3 * x)) : 6 * x, -3, 3, -2.5, -0.3, 0.5, 2.0);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(10)]
    public void Power_by_a_loop_with_a_parameter_bound(int n) =>
        Check.One(x => ControlFlow.PowerLoop(x, n),
            (double x, out double dx) => ControlFlow.PowerLoopGradient(x, n, out dx),
            (double x, double seed, ref double dx) => ControlFlow.PowerLoopBackward(x, n, seed, ref dx),
            x => n == 0 ? 0 : n * Math.Pow(x, n - 1), -1.5, 1.5);

    [Fact]
    public void X_to_the_tenth_by_a_loop_has_gradient_10_x_to_the_ninth() =>
        Check.One(ControlFlow.Power10, ControlFlow.Power10Gradient, ControlFlow.Power10Backward, x => 10 * Math.Pow(x, 9), -1.5, 1.5, 1.0, -1.0, 1.1);

    [Theory]
    [InlineData(100.0)] // never breaks
    [InlineData(1.0)]   // breaks part-way
    [InlineData(-5.0)]  // breaks after the first term when x > 0
    public void While_with_break_and_continue(double limit) =>
        Check.One(x => ControlFlow.WhileBreakContinue(x, limit),
            (double x, out double dx) => ControlFlow.WhileBreakContinueGradient(x, limit, out dx, out _),
            (double x, double seed, ref double dx) =>
            {
                double dlimit = 0;
                return ControlFlow.WhileBreakContinueBackward(x, limit, seed, ref dx, ref dlimit);
            },
            x =>
            {
                double s = 0, ds = 0;
                for (int k = 1; k <= 10; k++)
                {
                    if (k % 3 == 0) continue;
                    s += x / k;
                    ds += 1.0 / k;
                    if (s > limit) break;
                }
                return ds;
            }, 0.1, 3);

    [Fact]
    public void While_gradient_with_respect_to_the_limit_is_zero()
    {
        ControlFlow.WhileBreakContinueGradient(1.3, 2.0, out _, out double dlimit);
        Assert.Equal(0.0, dlimit);
    }

    [Fact]
    public void Do_while_with_a_loop_carried_value() =>
        Check.One(ControlFlow.DoWhile, ControlFlow.DoWhileGradient, ControlFlow.DoWhileBackward, x =>
        {
            double s = x, ds = 1;
            for (int k = 0; k < 4; k++)
            {
                ds *= 0.5 + Math.Cos(s);
                s = s * 0.5 + Math.Sin(s);
            }
            return ds;
        }, -2, 2);

    [Theory]
    [InlineData(0, 3)]
    [InlineData(3, 2)]
    [InlineData(4, 4)]
    public void Nested_loops_with_parameter_bounds(int rows, int cols) =>
        Check.Two((x, y) => ControlFlow.NestedLoops(x, y, rows, cols),
            (double x, double y, out double dx, out double dy) => ControlFlow.NestedLoopsGradient(x, y, rows, cols, out dx, out dy),
            (double x, double y, double seed, ref double dx, ref double dy) => ControlFlow.NestedLoopsBackward(x, y, rows, cols, seed, ref dx, ref dy),
            (x, y) =>
            {
                double acc = 0, ax = 0, ay = 0;
                for (int i = 0; i < rows; i++)
                {
                    for (int j = 0; j <= i && j < cols; j++)
                    {
                        acc = acc * 0.5 + x * i - y * j;
                        ax = ax * 0.5 + i;
                        ay = ay * 0.5 - j;
                    }
                    acc += y;
                    ay += 1;
                }
                return (acc + x * ax, x * ay);
            }, -2, 2);

    [Theory]
    [InlineData(1000.0)] // runs to the end
    [InlineData(4.0)]
    [InlineData(0.5)]
    public void Return_from_inside_nested_loops(double threshold) =>
        Check.One(x => ControlFlow.ReturnFromNestedLoops(x, threshold),
            (double x, out double dx) => ControlFlow.ReturnFromNestedLoopsGradient(x, threshold, out dx, out _),
            (double x, double seed, ref double dx) =>
            {
                double dt = 0;
                return ControlFlow.ReturnFromNestedLoopsBackward(x, threshold, seed, ref dx, ref dt);
            },
            x =>
            {
                double acc = 0, dacc = 0;
                for (int i = 1; i <= 5; i++)
                {
                    for (int j = 1; j <= 5; j++)
                    {
                        acc += x * j;
                        dacc += j;
                        if (acc > threshold) return dacc * i;
                    }
                }
                return -dacc;
            }, 0.05, 2);

    [Fact]
    public void Side_effect_in_the_condition_of_an_inner_loop() =>
        // x ends as ((x + 1) y + 1) y whether or not the break is taken.
        Check.Two(ControlFlow.SideEffectInLoopCondition, ControlFlow.SideEffectInLoopConditionGradient, ControlFlow.SideEffectInLoopConditionBackward,
            (x, y) => (y * y, 2 * (x + 1) * y + 1), -2, 2, (0.5, -0.6), (5.5, 0.7));

    [Fact]
    public void Loop_with_a_data_dependent_trip_count() =>
        Check.One(ControlFlow.DataDependentLoop, ControlFlow.DataDependentLoopGradient, ControlFlow.DataDependentLoopBackward, x =>
        {
            double t = x, dt = 1;
            int steps = 0;
            while (t < 10 && steps < 100)
            {
                t = t * 1.5 + 0.25;
                dt *= 1.5;
                steps++;
            }
            return dt;
        }, 0.3, 12);

    [Fact]
    public void Gradients_with_tapes_are_thread_safe()
    {
        // api.md: generated code is reentrant; tapes are per call, never shared.
        double[] xs = Enumerable.Range(0, 400).Select(i => 0.5 + i * 0.003).ToArray();
        double[] expected = xs.Select(x =>
        {
            ControlFlow.PowerLoopGradient(x, 7, out double d1);
            ControlFlow.NestedLoopsGradient(x, 1 - x, 4, 3, out double d2, out double d3);
            return d1 + d2 + d3;
        }).ToArray();
        double[] actual = new double[xs.Length];
        Parallel.For(0, xs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            for (int repeat = 0; repeat < 5; repeat++)
            {
                ControlFlow.PowerLoopGradient(xs[i], 7, out double d1);
                ControlFlow.NestedLoopsGradient(xs[i], 1 - xs[i], 4, 3, out double d2, out double d3);
                actual[i] = d1 + d2 + d3;
            }
        });
        Assert.Equal(expected, actual);
    }
}
