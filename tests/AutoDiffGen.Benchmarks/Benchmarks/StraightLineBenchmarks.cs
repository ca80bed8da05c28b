using System;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>A straight-line scalar function of 4 inputs with 60 intermediates (no tape: locals only).</summary>
[MemoryDiagnoser]
public class StraightLineBenchmarks : IWorkload
{
    private readonly double[] _p = { 0.3, -0.7, 1.1, 0.4 };
    private readonly double[] _fd = new double[4];
    private double _ax, _ay, _az, _aw;
    private Func<double> _f = null!;

    [GlobalSetup]
    public void Setup() => _f = () => StraightLine.Value(_p[0], _p[1], _p[2], _p[3]);

    [Benchmark(Baseline = true)]
    public double Plain() => StraightLine.Value(_p[0], _p[1], _p[2], _p[3]);

    [Benchmark]
    public double Gradient() => StraightLine.ValueGradient(_p[0], _p[1], _p[2], _p[3], out _, out _, out _, out _);

    [Benchmark]
    public double Backward() => StraightLine.ValueBackward(_p[0], _p[1], _p[2], _p[3], 1.0, ref _ax, ref _ay, ref _az, ref _aw);

    [Benchmark]
    public double HandWritten() => StraightLine.HandGradient(_p[0], _p[1], _p[2], _p[3], out _, out _, out _, out _);

    [Benchmark]
    public double FiniteDifferences()
    {
        Infrastructure.FiniteDifferences.Central(_f, _p, _fd, 4);
        return _fd[0];
    }

    public void Check()
    {
        const string name = "Straight-line, 60 intermediates";
        double plain = Plain();
        double ax = 0, ay = 0, az = 0, aw = 0;
        Verify.Values(name, plain,
            ("HandGradient", StraightLine.HandGradient(_p[0], _p[1], _p[2], _p[3], out double hx, out double hy, out double hz, out double hw)),
            ("ValueGradient", StraightLine.ValueGradient(_p[0], _p[1], _p[2], _p[3], out double gx, out double gy, out double gz, out double gw)),
            ("ValueBackward", StraightLine.ValueBackward(_p[0], _p[1], _p[2], _p[3], 1.0, ref ax, ref ay, ref az, ref aw)));
        double[] hand = { hx, hy, hz, hw };
        Verify.Gradients(name, "ValueGradient vs hand-written", hand, new[] { gx, gy, gz, gw }, Verify.ExactTolerance);
        Verify.Gradients(name, "ValueBackward(seed 1) vs hand-written", hand, new[] { ax, ay, az, aw }, Verify.ExactTolerance);
        FiniteDifferences();
        Verify.Gradients(name, "finite differences vs hand-written", hand, _fd, Verify.FiniteDifferenceTolerance);
    }
}
