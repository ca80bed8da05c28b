using System;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>Convolution 28×28 image, 8 filters 5×5, ReLU, 2×2 max pooling, squared error: 208 parameters.</summary>
[MemoryDiagnoser]
public class ConvReluPoolBenchmarks : IWorkload
{
    public const int Size = 28;
    public const int Filters = 8;
    public const int K = 5;
    public const int Pooled = (Size - K + 1) / 2;

    private double[,] _kernels = null!, _image = null!, _target = null!, _dk = null!, _ak = null!;
    private double[] _bias = null!, _db = null!, _ab = null!, _fd = null!;
    private Func<double> _f = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = Data.Rng(4);
        _kernels = Data.Matrix(rng, Filters, K * K, 0.3);
        _bias = Data.Vector(rng, Filters, 0.1);
        _image = Data.Matrix(rng, Size, Size);
        _target = Data.Matrix(rng, Filters, Pooled * Pooled);
        _dk = new double[Filters, K * K];
        _ak = new double[Filters, K * K];
        _db = new double[Filters];
        _ab = new double[Filters];
        _fd = new double[Filters * K * K + Filters];
        _f = () => ConvReluPool.Loss(_kernels, _bias, _image, _target, K);
    }

    [Benchmark(Baseline = true)]
    public double Plain() => ConvReluPool.Loss(_kernels, _bias, _image, _target, K);

    [Benchmark]
    public double Gradient() => ConvReluPool.LossGradient(_kernels, _bias, _image, _target, K, _dk, _db);

    [Benchmark]
    public double Backward() => ConvReluPool.LossBackward(_kernels, _bias, _image, _target, K, 1.0, _ak, _ab);

    [Benchmark]
    public double HandWritten() => ConvReluPool.HandGradient(_kernels, _bias, _image, _target, K, _dk, _db);

    [Benchmark]
    public double FiniteDifferences()
    {
        Infrastructure.FiniteDifferences.Central(_f, Infrastructure.FiniteDifferences.Flat(_kernels), _fd, _kernels.Length);
        Infrastructure.FiniteDifferences.Central(_f, _bias, _fd.AsSpan(_kernels.Length), _bias.Length);
        return _fd[0];
    }

    public void Check()
    {
        const string name = "Conv 28×28, 8×5×5, ReLU, maxpool";
        double plain = Plain();
        var hk = new double[Filters, K * K]; var hb = new double[Filters];
        var gk = new double[Filters, K * K]; var gb = new double[Filters];
        var ak = new double[Filters, K * K]; var ab = new double[Filters];
        Verify.Values(name, plain,
            ("HandGradient", ConvReluPool.HandGradient(_kernels, _bias, _image, _target, K, hk, hb)),
            ("LossGradient", ConvReluPool.LossGradient(_kernels, _bias, _image, _target, K, gk, gb)),
            ("LossBackward", ConvReluPool.LossBackward(_kernels, _bias, _image, _target, K, 1.0, ak, ab)));
        double[] hand = Verify.Concat(Verify.Flat(hk), hb);
        Verify.Gradients(name, "LossGradient vs hand-written", hand, Verify.Concat(Verify.Flat(gk), gb), Verify.ExactTolerance);
        Verify.Gradients(name, "LossBackward(seed 1) vs hand-written", hand, Verify.Concat(Verify.Flat(ak), ab), Verify.ExactTolerance);
        FiniteDifferences();
        Verify.Gradients(name, "finite differences vs hand-written", hand, _fd, Verify.FiniteDifferenceTolerance);
    }
}
