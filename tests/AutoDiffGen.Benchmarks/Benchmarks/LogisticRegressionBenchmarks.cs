using System;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>Logistic regression on a dense batch of 1 000 rows × 100 features.</summary>
[MemoryDiagnoser]
public class LogisticRegressionBenchmarks : IWorkload
{
    public const int Rows = 1_000;
    public const int Features = 100;

    private double[] _w = null!;
    private double _b;
    private double[,] _x = null!;
    private double[] _y = null!;
    private double[] _dw = null!;
    private double[] _adjointW = null!;
    private double _adjointB;
    private double[] _parameters = null!;
    private double[] _fd = null!;
    private Func<double> _f = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = Data.Rng(2);
        _w = Data.Vector(rng, Features, 0.3);
        _b = 0.1;
        _x = Data.Matrix(rng, Rows, Features);
        _y = new double[Rows];
        for (int i = 0; i < Rows; i++) _y[i] = rng.NextDouble() < 0.5 ? 0 : 1;
        _dw = new double[Features];
        _adjointW = new double[Features];
        // Finite differences perturb w and b through one buffer: w is its first Features elements, b the last.
        _parameters = new double[Features + 1];
        _fd = new double[Features + 1];
        _f = () => LogisticRegression.Loss(_w, _parameters[Features], _x, _y);
    }

    [Benchmark(Baseline = true)]
    public double Plain() => LogisticRegression.Loss(_w, _b, _x, _y);

    [Benchmark]
    public double Gradient() => LogisticRegression.LossGradient(_w, _b, _x, _y, _dw, out _);

    [Benchmark]
    public double Backward() => LogisticRegression.LossBackward(_w, _b, _x, _y, 1.0, _adjointW, ref _adjointB);

    [Benchmark]
    public double HandWritten() => LogisticRegression.HandGradient(_w, _b, _x, _y, _dw, out _);

    [Benchmark]
    public double FiniteDifferences()
    {
        // w is perturbed in place; b through the last slot of _parameters.
        _parameters[Features] = _b;
        Infrastructure.FiniteDifferences.Central(_f, _w, _fd, Features);
        Infrastructure.FiniteDifferences.Central(_f, _parameters.AsSpan(Features), _fd.AsSpan(Features), 1);
        return _fd[0];
    }

    public void Check()
    {
        const string name = "Logistic regression 1000×100";
        double plain = Plain();
        var handW = new double[Features];
        var genW = new double[Features];
        var adjW = new double[Features];
        double adjB = 0;
        Verify.Values(name, plain,
            ("HandGradient", LogisticRegression.HandGradient(_w, _b, _x, _y, handW, out double handB)),
            ("LossGradient", LogisticRegression.LossGradient(_w, _b, _x, _y, genW, out double genB)),
            ("LossBackward", LogisticRegression.LossBackward(_w, _b, _x, _y, 1.0, adjW, ref adjB)));
        double[] hand = Verify.Concat(handW, new[] { handB });
        Verify.Gradients(name, "LossGradient vs hand-written", hand, Verify.Concat(genW, new[] { genB }), Verify.ExactTolerance);
        Verify.Gradients(name, "LossBackward(seed 1) vs hand-written", hand, Verify.Concat(adjW, new[] { adjB }), Verify.ExactTolerance);
        FiniteDifferences();
        Verify.Gradients(name, "finite differences vs hand-written", hand, _fd, Verify.FiniteDifferenceTolerance);
    }
}
