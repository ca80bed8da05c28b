using System;
using System.Globalization;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// The TensorPrimitives MLP (issue 13) at the suite's small size (batch 64, 32 → 64 → 10) and at MNIST size (batch
/// 256, 784 → 128 → 10, 101 770 parameters): plain, generated gradient and pullback, the hand-written TensorPrimitives
/// gradient, and the same model written as scalar loops (the <see cref="SoftmaxMlp"/> workload's generated gradient)
/// for the speed-up.
/// </summary>
[MemoryDiagnoser]
public class TensorMlpBenchmarks : IWorkload
{
    [Params("64x32-64-10", "256x784-128-10")]
    public string Shape { get; set; } = "64x32-64-10";

    private const int Outputs = 10;
    private int _batch, _inputs, _hidden;
    private double[] _w1 = null!, _b1 = null!, _w2 = null!, _b2 = null!, _x = null!;
    private int[] _labels = null!;
    private double[] _dw1 = null!, _db1 = null!, _dw2 = null!, _db2 = null!;
    private double[,] _mw1 = null!, _mw2 = null!, _mx = null!, _mdw1 = null!, _mdw2 = null!;

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Shape.Split('x', '-');
        _batch = int.Parse(parts[0], CultureInfo.InvariantCulture);
        _inputs = int.Parse(parts[1], CultureInfo.InvariantCulture);
        _hidden = int.Parse(parts[2], CultureInfo.InvariantCulture);
        var rng = Data.Rng(13);
        _mw1 = Data.Matrix(rng, _hidden, _inputs, 1 / Math.Sqrt(_inputs));
        _b1 = Data.Vector(rng, _hidden, 0.1);
        _mw2 = Data.Matrix(rng, Outputs, _hidden, 1 / Math.Sqrt(_hidden));
        _b2 = Data.Vector(rng, Outputs, 0.1);
        _mx = Data.Matrix(rng, _batch, _inputs);
        _w1 = Verify.Flat(_mw1);
        _w2 = Verify.Flat(_mw2);
        _x = Verify.Flat(_mx);
        _labels = new int[_batch];
        for (int s = 0; s < _batch; s++) _labels[s] = rng.Next(Outputs);
        _dw1 = new double[_w1.Length];
        _db1 = new double[_hidden];
        _dw2 = new double[_w2.Length];
        _db2 = new double[Outputs];
        _mdw1 = new double[_hidden, _inputs];
        _mdw2 = new double[Outputs, _hidden];
    }

    [Benchmark(Baseline = true)]
    public double Plain() => TensorMlp.Loss(_w1, _b1, _w2, _b2, _x, _labels);

    [Benchmark]
    public double Gradient() => TensorMlp.LossGradient(_w1, _b1, _w2, _b2, _x, _labels, _dw1, _db1, _dw2, _db2);

    [Benchmark]
    public double Backward() => TensorMlp.LossBackward(_w1, _b1, _w2, _b2, _x, _labels, 1.0, _dw1, _db1, _dw2, _db2);

    [Benchmark]
    public double HandWritten() => TensorMlp.HandGradient(_w1, _b1, _w2, _b2, _x, _labels, _dw1, _db1, _dw2, _db2);

    /// <summary>The same model as scalar loops (<see cref="SoftmaxMlp"/>), its generated gradient.</summary>
    [Benchmark]
    public double ScalarLoopGradient() => SoftmaxMlp.LossGradient(_mw1, _b1, _mw2, _b2, _mx, _labels, _mdw1, _db1, _mdw2, _db2);

    /// <summary>The same model as scalar loops, the plain function.</summary>
    [Benchmark]
    public double ScalarLoopPlain() => SoftmaxMlp.Loss(_mw1, _b1, _mw2, _b2, _mx, _labels);

    public void Check()
    {
        string name = "TensorPrimitives MLP " + Shape;
        var hand = new[] { new double[_w1.Length], new double[_hidden], new double[_w2.Length], new double[Outputs] };
        var generated = new[] { new double[_w1.Length], new double[_hidden], new double[_w2.Length], new double[Outputs] };
        var pulled = new[] { new double[_w1.Length], new double[_hidden], new double[_w2.Length], new double[Outputs] };
        Verify.Values(name, Plain(),
            ("HandGradient", TensorMlp.HandGradient(_w1, _b1, _w2, _b2, _x, _labels, hand[0], hand[1], hand[2], hand[3])),
            ("LossGradient", TensorMlp.LossGradient(_w1, _b1, _w2, _b2, _x, _labels, generated[0], generated[1], generated[2], generated[3])),
            ("LossBackward", TensorMlp.LossBackward(_w1, _b1, _w2, _b2, _x, _labels, 1.0, pulled[0], pulled[1], pulled[2], pulled[3])),
            ("scalar-loop Loss", SoftmaxMlp.Loss(_mw1, _b1, _mw2, _b2, _mx, _labels)));
        double[] h = Verify.Concat(hand);
        Verify.Gradients(name, "LossGradient vs hand-written", h, Verify.Concat(generated), Verify.ExactTolerance);
        Verify.Gradients(name, "LossBackward(seed 1) vs hand-written", h, Verify.Concat(pulled), Verify.ExactTolerance);
        // Central differences on a sample of coordinates (all 101 770 would take minutes).
        var rng = Data.Rng(5);
        double[][] parameters = { _w1, _b1, _w2, _b2 };
        for (int probe = 0; probe < 12; probe++)
        {
            int p = probe % 4;
            int i = rng.Next(parameters[p].Length);
            double saved = parameters[p][i];
            parameters[p][i] = saved + 1e-6;
            double up = Plain();
            parameters[p][i] = saved - 1e-6;
            double down = Plain();
            parameters[p][i] = saved;
            Verify.Gradients(name, $"finite difference of parameter {p}[{i}] vs hand-written", new[] { hand[p][i] }, new[] { (up - down) / 2e-6 }, Verify.FiniteDifferenceTolerance);
        }
    }
}
