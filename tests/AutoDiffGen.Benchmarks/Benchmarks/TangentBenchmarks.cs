using System;
using System.Linq;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// Forward mode: MTangent (one Jacobian-vector product) against the plain method, target ≤ 2×, 0 B/call in steady
/// state. Workloads: the straight-line map (4 inputs), the recurrence (1 000 loop steps) and extended Rosenbrock
/// (n = 1 000, an array input with a read-only tangent span). Run alone: <c>--filter '*Tangent*'</c>.
/// </summary>
[MemoryDiagnoser]
public class TangentBenchmarks
{
    private readonly double[] _p = { 0.5, 1.3, 0.7, 0.2 };
    private readonly double[] _v = { 0.25, -1.0, 0.5, 2.0 };
    private double[] _x = null!;
    private double[] _dx = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _x = Enumerable.Range(0, 1_000).Select(_ => rng.NextDouble() * 2.4 - 1.2).ToArray();
        _dx = Enumerable.Range(0, 1_000).Select(_ => rng.NextDouble() - 0.5).ToArray();
        Check();
    }

    [Benchmark(Baseline = true)]
    public double StraightLinePlain() => StraightLine.Value(_p[0], _p[1], _p[2], _p[3]);

    [Benchmark]
    public double StraightLineTangent() => StraightLine.ValueTangent(_p[0], _p[1], _p[2], _p[3], _v[0], _v[1], _v[2], _v[3], out _);

    [Benchmark]
    public double RecurrencePlain() => Recurrence.Loss(_p[0], _p[1], _p[2], _p[3], RecurrenceBenchmarks.Steps);

    [Benchmark]
    public double RecurrenceTangent() => Recurrence.LossTangent(_p[0], _p[1], _p[2], _p[3], RecurrenceBenchmarks.Steps, _v[0], _v[1], _v[2], _v[3], out _);

    [Benchmark]
    public double RosenbrockPlain() => Rosenbrock.Value(_x);

    [Benchmark]
    public double RosenbrockTangent() => Rosenbrock.ValueTangent(_x, _dx, out _);

    /// <summary>Each tangent equals the generated gradient dotted with the direction (exact to round-off).</summary>
    private void Check()
    {
        StraightLine.ValueTangent(_p[0], _p[1], _p[2], _p[3], _v[0], _v[1], _v[2], _v[3], out double t1);
        StraightLine.ValueGradient(_p[0], _p[1], _p[2], _p[3], out double g0, out double g1, out double g2, out double g3);
        Same("StraightLine", g0 * _v[0] + g1 * _v[1] + g2 * _v[2] + g3 * _v[3], t1);
        Recurrence.LossTangent(_p[0], _p[1], _p[2], _p[3], RecurrenceBenchmarks.Steps, _v[0], _v[1], _v[2], _v[3], out double t2);
        Recurrence.LossGradient(_p[0], _p[1], _p[2], _p[3], RecurrenceBenchmarks.Steps, out g0, out g1, out g2, out g3);
        Same("Recurrence", g0 * _v[0] + g1 * _v[1] + g2 * _v[2] + g3 * _v[3], t2);
        Rosenbrock.ValueTangent(_x, _dx, out double t3);
        var g = new double[_x.Length];
        Rosenbrock.ValueGradient(_x, g);
        Same("Rosenbrock", g.Zip(_dx, (a, b) => a * b).Sum(), t3);
    }

    private static void Same(string name, double expected, double actual)
    {
        if (!(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected))))
        {
            throw new InvalidOperationException($"{name}: MTangent gives {actual:R}, the gradient · direction {expected:R}");
        }
    }
}
