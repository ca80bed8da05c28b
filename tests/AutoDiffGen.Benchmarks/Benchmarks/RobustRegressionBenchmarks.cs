using System;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// Pseudo-Huber regression, a [Differentiable] helper called per row: N rows × 32 features; synthetic data (fixed
/// seed 31): features in [−1, 1], targets a linear function of them plus noise in [−0.5, 0.5].
/// </summary>
[MemoryDiagnoser]
public class RobustRegressionBenchmarks : IWorkload, IMemoryWorkload
{
    public const int Features = 32;

    [Params(1_000)]
    public int N { get; set; }

    private double[] _w = null!, _y = null!, _dw = null!, _aw = null!, _fd = null!;
    private double[,] _x = null!;
    private double _ab;
    private Func<double> _f = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = Data.Rng(31);
        _w = Data.Vector(rng, Features, 0.5);
        _x = Data.Matrix(rng, N, Features);
        double[] truth = Data.Vector(rng, Features);
        _y = new double[N];
        for (int i = 0; i < N; i++)
        {
            double t = 0;
            for (int j = 0; j < Features; j++) t += truth[j] * _x[i, j];
            _y[i] = t + 0.5 * (2 * rng.NextDouble() - 1);
        }
        _dw = new double[Features];
        _aw = new double[Features];
        _fd = new double[Features + 1];
        _f = () => RobustRegression.Loss(_w, 0.1, _x, _y);
    }

    [Benchmark(Baseline = true)]
    public double Plain() => RobustRegression.Loss(_w, 0.1, _x, _y);

    [Benchmark]
    public double Gradient() => RobustRegression.LossGradient(_w, 0.1, _x, _y, _dw, out _);

    [Benchmark]
    public double Backward() => RobustRegression.LossBackward(_w, 0.1, _x, _y, 1.0, _aw, ref _ab);

    [Benchmark]
    public double HandWritten() => RobustRegression.HandGradient(_w, 0.1, _x, _y, _dw, out _);

    [Benchmark]
    public double FiniteDifferences()
    {
        Infrastructure.FiniteDifferences.Central(_f, _w, _fd, Features);
        double b = 0.1, h = Infrastructure.FiniteDifferences.Step;
        _fd[Features] = (RobustRegression.Loss(_w, b + h, _x, _y) - RobustRegression.Loss(_w, b - h, _x, _y)) / (2 * h);
        return _fd[0];
    }

    public long HandScratchBytes => 0;

    public void Check()
    {
        string name = $"Pseudo-Huber regression {N}×{Features}";
        double plain = Plain();
        var hw = new double[Features]; var gw = new double[Features]; var aw = new double[Features];
        double ab = 0;
        Verify.Values(name, plain,
            ("HandGradient", RobustRegression.HandGradient(_w, 0.1, _x, _y, hw, out double hb)),
            ("LossGradient", RobustRegression.LossGradient(_w, 0.1, _x, _y, gw, out double gb)),
            ("LossBackward", RobustRegression.LossBackward(_w, 0.1, _x, _y, 1.0, aw, ref ab)));
        double[] hand = Verify.Concat(hw, new[] { hb });
        Verify.Gradients(name, "LossGradient vs hand-written", hand, Verify.Concat(gw, new[] { gb }), Verify.ExactTolerance);
        Verify.Gradients(name, "LossBackward(seed 1) vs hand-written", hand, Verify.Concat(aw, new[] { ab }), Verify.ExactTolerance);
        FiniteDifferences();
        Verify.Gradients(name, "finite differences vs hand-written", hand, _fd, Verify.FiniteDifferenceTolerance);
    }
}
