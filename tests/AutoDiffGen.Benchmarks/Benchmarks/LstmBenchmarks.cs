using System;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// ADBench LSTM, 2 layers, b = 14 (ADBench's width), N characters of a synthetic one-hot text (fixed seed 21), weights
/// uniform in [−0.5, 0.5], initial state in [−0.1, 0.1]. The state of both layers is carried across the whole sequence.
/// </summary>
[MemoryDiagnoser]
public class LstmBenchmarks : IWorkload, IMemoryWorkload
{
    public const int Layers = 2;
    public const int Width = 14;

    [Params(256)]
    public int N { get; set; }

    private double[] _main = null!, _extra = null!, _state = null!, _sequence = null!;
    private double[] _dmain = null!, _dextra = null!, _amain = null!, _aextra = null!, _fd = null!;
    private Func<double> _f = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = Data.Rng(21);
        _main = Data.Vector(rng, 2 * Layers * 4 * Width, 0.5);
        _extra = Data.Vector(rng, 3 * Width, 0.5);
        _state = Data.Vector(rng, 2 * Layers * Width, 0.1);
        _sequence = new double[N * Width];
        for (int t = 0; t < N; t++) _sequence[t * Width + rng.Next(Width)] = 1;
        _dmain = new double[_main.Length];
        _amain = new double[_main.Length];
        _dextra = new double[_extra.Length];
        _aextra = new double[_extra.Length];
        _fd = new double[_main.Length + _extra.Length];
        _f = () => Lstm.Objective(_main, _extra, _state, _sequence, Layers, Width);
    }

    [Benchmark(Baseline = true)]
    public double Plain() => Lstm.Objective(_main, _extra, _state, _sequence, Layers, Width);

    [Benchmark]
    public double Gradient() => Lstm.ObjectiveGradient(_main, _extra, _state, _sequence, Layers, Width, _dmain, _dextra);

    [Benchmark]
    public double Backward() => Lstm.ObjectiveBackward(_main, _extra, _state, _sequence, Layers, Width, 1.0, _amain, _aextra);

    [Benchmark]
    public double HandWritten() => Lstm.HandGradient(_main, _extra, _state, _sequence, Layers, Width, _dmain, _dextra);

    [Benchmark]
    public double FiniteDifferences()
    {
        Span<double> fd = _fd;
        Infrastructure.FiniteDifferences.Central(_f, _main, fd, _main.Length);
        Infrastructure.FiniteDifferences.Central(_f, _extra, fd.Slice(_main.Length), _extra.Length);
        return _fd[0];
    }

    /// <summary>
    /// The hand-written gradient's recording of every step (<see cref="Lstm.RecordPerStep"/> doubles, rented from
    /// ArrayPool.Shared, which the probe does not see) and its state buffers.
    /// </summary>
    public long HandScratchBytes => ((long)(N - 1) * Lstm.RecordPerStep(Layers, Width) + 2 * Layers * Width + 2 * Layers * Width + 2 * Width) * sizeof(double);

    public void Check()
    {
        string name = $"LSTM l={Layers} b={Width} c={N}";
        var hm = new double[_main.Length]; var he = new double[_extra.Length];
        var gm = new double[_main.Length]; var ge = new double[_extra.Length];
        var am = new double[_main.Length]; var ae = new double[_extra.Length];
        Verify.Values(name, Plain(),
            ("HandGradient", Lstm.HandGradient(_main, _extra, _state, _sequence, Layers, Width, hm, he)),
            ("ObjectiveGradient", Lstm.ObjectiveGradient(_main, _extra, _state, _sequence, Layers, Width, gm, ge)),
            ("ObjectiveBackward", Lstm.ObjectiveBackward(_main, _extra, _state, _sequence, Layers, Width, 1.0, am, ae)));
        double[] hand = Verify.Concat(hm, he);
        Verify.Gradients(name, "ObjectiveGradient vs hand-written", hand, Verify.Concat(gm, ge), Verify.ExactTolerance);
        Verify.Gradients(name, "ObjectiveBackward(seed 1) vs hand-written", hand, Verify.Concat(am, ae), Verify.ExactTolerance);
        FiniteDifferences();
        Verify.Gradients(name, "finite differences vs hand-written", hand, _fd, Verify.FiniteDifferenceTolerance);
    }
}
