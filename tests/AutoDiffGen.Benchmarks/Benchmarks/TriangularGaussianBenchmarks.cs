using System;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// Gaussian negative log-likelihood through a Cholesky factor, d = 16, N samples; synthetic data (fixed seed 21):
/// L lower triangular with diagonal in [1, 2] and off-diagonal entries in [−0.3, 0.3], μ and the samples in [−1, 1].
/// </summary>
[MemoryDiagnoser]
public class TriangularGaussianBenchmarks : IWorkload, IMemoryWorkload
{
    public const int Dimensions = 16;

    [Params(1_000)]
    public int N { get; set; }

    private double[,] _l = null!, _x = null!, _dl = null!, _al = null!;
    private double[] _mu = null!, _dmu = null!, _amu = null!, _fd = null!;
    private Func<double> _f = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = Data.Rng(21);
        _l = new double[Dimensions, Dimensions];
        for (int i = 0; i < Dimensions; i++)
        {
            for (int j = 0; j < i; j++) _l[i, j] = 0.3 * (2 * rng.NextDouble() - 1);
            _l[i, i] = 1 + rng.NextDouble();
        }
        _mu = Data.Vector(rng, Dimensions);
        _x = Data.Matrix(rng, N, Dimensions);
        _dl = new double[Dimensions, Dimensions];
        _al = new double[Dimensions, Dimensions];
        _dmu = new double[Dimensions];
        _amu = new double[Dimensions];
        _fd = new double[Dimensions * Dimensions + Dimensions];
        _f = () => TriangularGaussian.NegLogLikelihood(_l, _mu, _x);
    }

    [Benchmark(Baseline = true)]
    public double Plain() => TriangularGaussian.NegLogLikelihood(_l, _mu, _x);

    [Benchmark]
    public double Gradient() => TriangularGaussian.NegLogLikelihoodGradient(_l, _mu, _x, _dl, _dmu);

    [Benchmark]
    public double Backward() => TriangularGaussian.NegLogLikelihoodBackward(_l, _mu, _x, 1.0, _al, _amu);

    [Benchmark]
    public double HandWritten() => TriangularGaussian.HandGradient(_l, _mu, _x, _dl, _dmu);

    [Benchmark]
    public double FiniteDifferences()
    {
        Span<double> fd = _fd;
        Infrastructure.FiniteDifferences.Central(_f, Infrastructure.FiniteDifferences.Flat(_l), fd, _l.Length);
        Infrastructure.FiniteDifferences.Central(_f, _mu, fd.Slice(_l.Length), Dimensions);
        return _fd[0];
    }

    /// <summary>r and dr on the stack.</summary>
    public long HandScratchBytes => 2 * Dimensions * sizeof(double);

    public void Check()
    {
        string name = $"Triangular Gaussian d={Dimensions} n={N}";
        double plain = Plain();
        var hl = new double[Dimensions, Dimensions]; var hm = new double[Dimensions];
        var gl = new double[Dimensions, Dimensions]; var gm = new double[Dimensions];
        var al = new double[Dimensions, Dimensions]; var am = new double[Dimensions];
        Verify.Values(name, plain,
            ("HandGradient", TriangularGaussian.HandGradient(_l, _mu, _x, hl, hm)),
            ("NegLogLikelihoodGradient", TriangularGaussian.NegLogLikelihoodGradient(_l, _mu, _x, gl, gm)),
            ("NegLogLikelihoodBackward", TriangularGaussian.NegLogLikelihoodBackward(_l, _mu, _x, 1.0, al, am)));
        double[] hand = Verify.Concat(Verify.Flat(hl), hm);
        Verify.Gradients(name, "Gradient vs hand-written", hand, Verify.Concat(Verify.Flat(gl), gm), Verify.ExactTolerance);
        Verify.Gradients(name, "Backward(seed 1) vs hand-written", hand, Verify.Concat(Verify.Flat(al), am), Verify.ExactTolerance);
        FiniteDifferences();
        // The upper triangle is never read: its finite differences are exactly 0, as the gradients' are.
        Verify.Gradients(name, "finite differences vs hand-written", hand, _fd, Verify.FiniteDifferenceTolerance);
    }
}
