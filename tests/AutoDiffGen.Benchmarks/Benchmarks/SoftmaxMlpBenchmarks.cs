using System;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>Softmax MLP, batch 64, 32 → 64 (tanh) → 10, cross-entropy: 2 762 parameters.</summary>
[MemoryDiagnoser]
public class SoftmaxMlpBenchmarks : IWorkload
{
    public const int Batch = 64;
    public const int Inputs = 32;
    public const int Hidden = 64;
    public const int Outputs = 10;

    private double[,] _w1 = null!, _w2 = null!, _x = null!;
    private double[] _b1 = null!, _b2 = null!;
    private int[] _labels = null!;
    private double[,] _dw1 = null!, _dw2 = null!, _aw1 = null!, _aw2 = null!;
    private double[] _db1 = null!, _db2 = null!, _ab1 = null!, _ab2 = null!;
    private double[] _fd = null!;
    private Func<double> _f = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = Data.Rng(3);
        _w1 = Data.Matrix(rng, Hidden, Inputs, 1 / Math.Sqrt(Inputs));
        _b1 = Data.Vector(rng, Hidden, 0.1);
        _w2 = Data.Matrix(rng, Outputs, Hidden, 1 / Math.Sqrt(Hidden));
        _b2 = Data.Vector(rng, Outputs, 0.1);
        _x = Data.Matrix(rng, Batch, Inputs);
        _labels = new int[Batch];
        for (int s = 0; s < Batch; s++) _labels[s] = rng.Next(Outputs);
        _dw1 = new double[Hidden, Inputs];
        _dw2 = new double[Outputs, Hidden];
        _db1 = new double[Hidden];
        _db2 = new double[Outputs];
        _aw1 = new double[Hidden, Inputs];
        _aw2 = new double[Outputs, Hidden];
        _ab1 = new double[Hidden];
        _ab2 = new double[Outputs];
        _fd = new double[Hidden * Inputs + Hidden + Outputs * Hidden + Outputs];
        _f = () => SoftmaxMlp.Loss(_w1, _b1, _w2, _b2, _x, _labels);
    }

    [Benchmark(Baseline = true)]
    public double Plain() => SoftmaxMlp.Loss(_w1, _b1, _w2, _b2, _x, _labels);

    [Benchmark]
    public double Gradient() => SoftmaxMlp.LossGradient(_w1, _b1, _w2, _b2, _x, _labels, _dw1, _db1, _dw2, _db2);

    [Benchmark]
    public double Backward() => SoftmaxMlp.LossBackward(_w1, _b1, _w2, _b2, _x, _labels, 1.0, _aw1, _ab1, _aw2, _ab2);

    [Benchmark]
    public double HandWritten() => SoftmaxMlp.HandGradient(_w1, _b1, _w2, _b2, _x, _labels, _dw1, _db1, _dw2, _db2);

    [Benchmark]
    public double FiniteDifferences()
    {
        Span<double> fd = _fd;
        int offset = 0;
        Infrastructure.FiniteDifferences.Central(_f, Infrastructure.FiniteDifferences.Flat(_w1), fd.Slice(offset), _w1.Length);
        offset += _w1.Length;
        Infrastructure.FiniteDifferences.Central(_f, _b1, fd.Slice(offset), _b1.Length);
        offset += _b1.Length;
        Infrastructure.FiniteDifferences.Central(_f, Infrastructure.FiniteDifferences.Flat(_w2), fd.Slice(offset), _w2.Length);
        offset += _w2.Length;
        Infrastructure.FiniteDifferences.Central(_f, _b2, fd.Slice(offset), _b2.Length);
        return _fd[0];
    }

    public void Check()
    {
        const string name = "Softmax MLP 64×(32→64→10)";
        double plain = Plain();
        var hw1 = new double[Hidden, Inputs]; var hb1 = new double[Hidden]; var hw2 = new double[Outputs, Hidden]; var hb2 = new double[Outputs];
        var gw1 = new double[Hidden, Inputs]; var gb1 = new double[Hidden]; var gw2 = new double[Outputs, Hidden]; var gb2 = new double[Outputs];
        var aw1 = new double[Hidden, Inputs]; var ab1 = new double[Hidden]; var aw2 = new double[Outputs, Hidden]; var ab2 = new double[Outputs];
        Verify.Values(name, plain,
            ("HandGradient", SoftmaxMlp.HandGradient(_w1, _b1, _w2, _b2, _x, _labels, hw1, hb1, hw2, hb2)),
            ("LossGradient", SoftmaxMlp.LossGradient(_w1, _b1, _w2, _b2, _x, _labels, gw1, gb1, gw2, gb2)),
            ("LossBackward", SoftmaxMlp.LossBackward(_w1, _b1, _w2, _b2, _x, _labels, 1.0, aw1, ab1, aw2, ab2)));
        double[] hand = Verify.Concat(Verify.Flat(hw1), hb1, Verify.Flat(hw2), hb2);
        Verify.Gradients(name, "LossGradient vs hand-written", hand, Verify.Concat(Verify.Flat(gw1), gb1, Verify.Flat(gw2), gb2), Verify.ExactTolerance);
        Verify.Gradients(name, "LossBackward(seed 1) vs hand-written", hand, Verify.Concat(Verify.Flat(aw1), ab1, Verify.Flat(aw2), ab2), Verify.ExactTolerance);
        FiniteDifferences();
        Verify.Gradients(name, "finite differences vs hand-written", hand, _fd, Verify.FiniteDifferenceTolerance);
    }
}
