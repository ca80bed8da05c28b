using System;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// x(t+1) = x(t) + h (α sin x(t) − β x(t) + γ) over N steps (1 000 in the timing suite): a time-stepping loop whose
/// carried value the generated gradient checkpoints (the memory benchmark runs it at N, 10 N, 100 N steps).
/// </summary>
[MemoryDiagnoser]
public class RecurrenceBenchmarks : IWorkload, IMemoryWorkload
{
    public const int Steps = 1_000;

    [Params(Steps)]
    public int N { get; set; } = Steps;

    /// <summary>The hand-written gradient's trajectory: N + 1 doubles (on the stack below 4 096 steps, pooled beyond).</summary>
    public long HandScratchBytes => (N + 1L) * sizeof(double);

    private readonly double[] _p = { 0.5, 1.3, 0.7, 0.2 };
    private readonly double[] _fd = new double[4];
    private double _a0, _a1, _a2, _a3;
    private Func<double> _f = null!;

    [GlobalSetup]
    public void Setup() => _f = () => Recurrence.Loss(_p[0], _p[1], _p[2], _p[3], N);

    [Benchmark(Baseline = true)]
    public double Plain() => Recurrence.Loss(_p[0], _p[1], _p[2], _p[3], N);

    [Benchmark]
    public double Gradient() => Recurrence.LossGradient(_p[0], _p[1], _p[2], _p[3], N, out _, out _, out _, out _);

    [Benchmark]
    public double Backward() => Recurrence.LossBackward(_p[0], _p[1], _p[2], _p[3], N, 1.0, ref _a0, ref _a1, ref _a2, ref _a3);

    [Benchmark]
    public double HandWritten() => Recurrence.HandGradient(_p[0], _p[1], _p[2], _p[3], N, out _, out _, out _, out _);

    [Benchmark]
    public double FiniteDifferences()
    {
        Infrastructure.FiniteDifferences.Central(_f, _p, _fd, 4);
        return _fd[0];
    }

    public void Check()
    {
        string name = $"Recurrence, {N} steps";
        double plain = Plain();
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        Verify.Values(name, plain,
            ("HandGradient", Recurrence.HandGradient(_p[0], _p[1], _p[2], _p[3], N, out double h0, out double h1, out double h2, out double h3)),
            ("LossGradient", Recurrence.LossGradient(_p[0], _p[1], _p[2], _p[3], N, out double g0, out double g1, out double g2, out double g3)),
            ("LossBackward", Recurrence.LossBackward(_p[0], _p[1], _p[2], _p[3], N, 1.0, ref a0, ref a1, ref a2, ref a3)));
        double[] hand = { h0, h1, h2, h3 };
        Verify.Gradients(name, "LossGradient vs hand-written", hand, new[] { g0, g1, g2, g3 }, Verify.ExactTolerance);
        Verify.Gradients(name, "LossBackward(seed 1) vs hand-written", hand, new[] { a0, a1, a2, a3 }, Verify.ExactTolerance);
        FiniteDifferences();
        Verify.Gradients(name, "finite differences vs hand-written", hand, _fd, Verify.FiniteDifferenceTolerance);
    }
}
