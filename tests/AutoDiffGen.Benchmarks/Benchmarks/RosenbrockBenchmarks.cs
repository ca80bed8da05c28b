using System;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>Extended Rosenbrock at n = 10, 1 000 and 100 000: the linear-scaling check.</summary>
[MemoryDiagnoser]
public class RosenbrockBenchmarks : IWorkload
{
    /// <summary>
    /// Finite differences are O(n²): at n = 100 000 a full central-difference gradient is 200 000 evaluations of a
    /// 100 000-term sum (about 20 s). The benchmark differentiates only the first 1 000 coordinates; multiply by n/1 000.
    /// </summary>
    public const int FiniteDifferenceCap = 1_000;

    private double[] _x = null!;
    private double[] _dx = null!;
    private double[] _adjoint = null!;
    private double[] _fd = null!;
    private double[] _v = null!;
    private Func<double> _f = null!;

    [Params(10, 1_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = Data.Rng(1);
        _x = Data.Vector(rng, N, 1.2);
        _dx = new double[N];
        _adjoint = new double[N];
        _fd = new double[N];
        _v = Data.Vector(rng, N, 1.0);
        _f = () => Rosenbrock.Value(_x);
    }

    [Benchmark(Baseline = true)]
    public double Plain() => Rosenbrock.Value(_x);

    [Benchmark]
    public double Gradient() => Rosenbrock.ValueGradient(_x, _dx);

    [Benchmark]
    public double Backward() => Rosenbrock.ValueBackward(_x, 1.0, _adjoint);

    [Benchmark]
    public double HandWritten() => Rosenbrock.HandGradient(_x, _dx);

    /// <summary>MTangent along a fixed direction: not in the suite, timed against Plain by <c>--interleaved Rosenbrock</c>.</summary>
    public double Tangent() => Rosenbrock.ValueTangent(_x, _v, out _);

    /// <summary>The hand-written tangent, the yardstick of <see cref="Tangent"/> (also only in <c>--interleaved</c>).</summary>
    public double HandTangent() => Rosenbrock.HandTangent(_x, _v, out _);

    [Benchmark]
    public double FiniteDifferences()
    {
        Infrastructure.FiniteDifferences.Central(_f, _x, _fd, Math.Min(N, FiniteDifferenceCap));
        return _fd[0];
    }

    public void Check()
    {
        string name = $"Rosenbrock n={N}";
        double plain = Rosenbrock.Value(_x);
        var hand = new double[N];
        var generated = new double[N];
        var adjoint = new double[N];
        Verify.Values(name, plain,
            ("HandGradient", Rosenbrock.HandGradient(_x, hand)),
            ("ValueGradient", Rosenbrock.ValueGradient(_x, generated)),
            ("ValueBackward", Rosenbrock.ValueBackward(_x, 1.0, adjoint)));
        Verify.Gradients(name, "ValueGradient vs hand-written", hand, generated, Verify.ExactTolerance);
        Verify.Gradients(name, "ValueBackward(seed 1) vs hand-written", hand, adjoint, Verify.ExactTolerance);
        // The tangents along v: each is the gradient dotted with v.
        double dot = 0;
        for (int k = 0; k < N; k++) dot += hand[k] * _v[k];
        Verify.Values(name, plain, ("ValueTangent", Rosenbrock.ValueTangent(_x, _v, out double tangent)), ("HandTangent", Rosenbrock.HandTangent(_x, _v, out double handTangent)));
        Verify.Gradients(name, "ValueTangent and HandTangent vs gradient · v", new[] { dot, dot }, new[] { tangent, handTangent }, Verify.ExactTolerance * Math.Max(1.0, N / 1_000.0));
        int m = Math.Min(N, FiniteDifferenceCap);
        FiniteDifferences();
        // The sum has n terms, so its rounding error, and with it the difference quotient's, grows with n.
        double tolerance = Verify.FiniteDifferenceTolerance * Math.Max(1.0, N / 1_000.0);
        Verify.Gradients(name, $"finite differences ({m} coords) vs hand-written", hand.AsSpan(0, m), _fd.AsSpan(0, m), tolerance);
    }
}
