using System;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// ADBench GMM, d = 8, K = 5, synthetic data (fixed seed 12): the samples are standard normal-ish points, the means
/// uniform in [−1, 1], the inverse-covariance factors small. N samples.
/// </summary>
[MemoryDiagnoser]
public class GaussianMixtureBenchmarks : IWorkload, IMemoryWorkload
{
    public const int Dimensions = 8;
    public const int Components = 5;
    public const double WishartGamma = 1.0;
    public const int WishartM = 0;

    [Params(1_000)]
    public int N { get; set; }

    private double[] _alphas = null!, _dalphas = null!, _aalphas = null!, _fd = null!;
    private double[,] _means = null!, _icf = null!, _x = null!, _dmeans = null!, _dicf = null!, _ameans = null!, _aicf = null!;
    private Func<double> _f = null!;

    public static int IcfWidth => Dimensions + Dimensions * (Dimensions - 1) / 2;

    [GlobalSetup]
    public void Setup()
    {
        var rng = Data.Rng(12);
        _alphas = Data.Vector(rng, Components);
        _means = Data.Matrix(rng, Components, Dimensions);
        _icf = Data.Matrix(rng, Components, IcfWidth, 0.3);
        _x = Data.Matrix(rng, N, Dimensions, 1.5);
        _dalphas = new double[Components];
        _aalphas = new double[Components];
        _dmeans = new double[Components, Dimensions];
        _ameans = new double[Components, Dimensions];
        _dicf = new double[Components, IcfWidth];
        _aicf = new double[Components, IcfWidth];
        _fd = new double[Components + Components * Dimensions + Components * IcfWidth];
        _f = () => GaussianMixture.Objective(_alphas, _means, _icf, _x, WishartGamma, WishartM);
    }

    [Benchmark(Baseline = true)]
    public double Plain() => GaussianMixture.Objective(_alphas, _means, _icf, _x, WishartGamma, WishartM);

    [Benchmark]
    public double Gradient() => GaussianMixture.ObjectiveGradient(_alphas, _means, _icf, _x, WishartGamma, WishartM, _dalphas, _dmeans, _dicf);

    [Benchmark]
    public double Backward() => GaussianMixture.ObjectiveBackward(_alphas, _means, _icf, _x, WishartGamma, WishartM, 1.0, _aalphas, _ameans, _aicf);

    [Benchmark]
    public double HandWritten() => GaussianMixture.HandGradient(_alphas, _means, _icf, _x, WishartGamma, WishartM, _dalphas, _dmeans, _dicf);

    [Benchmark]
    public double FiniteDifferences()
    {
        Span<double> fd = _fd;
        Infrastructure.FiniteDifferences.Central(_f, _alphas, fd, Components);
        Infrastructure.FiniteDifferences.Central(_f, Infrastructure.FiniteDifferences.Flat(_means), fd.Slice(Components), _means.Length);
        Infrastructure.FiniteDifferences.Central(_f, Infrastructure.FiniteDifferences.Flat(_icf), fd.Slice(Components + _means.Length), _icf.Length);
        return _fd[0];
    }

    /// <summary>The hand-written gradient's working memory: xc and Qxc of every component, and the K values, on the stack.</summary>
    public long HandScratchBytes => (2 * Components * Dimensions + Components) * sizeof(double);

    public void Check()
    {
        string name = $"GMM d={Dimensions} K={Components} n={N}";
        double plain = Plain();
        var ha = new double[Components]; var hm = new double[Components, Dimensions]; var hi = new double[Components, IcfWidth];
        var ga = new double[Components]; var gm = new double[Components, Dimensions]; var gi = new double[Components, IcfWidth];
        var aa = new double[Components]; var am = new double[Components, Dimensions]; var ai = new double[Components, IcfWidth];
        Verify.Values(name, plain,
            ("HandGradient", GaussianMixture.HandGradient(_alphas, _means, _icf, _x, WishartGamma, WishartM, ha, hm, hi)),
            ("ObjectiveGradient", GaussianMixture.ObjectiveGradient(_alphas, _means, _icf, _x, WishartGamma, WishartM, ga, gm, gi)),
            ("ObjectiveBackward", GaussianMixture.ObjectiveBackward(_alphas, _means, _icf, _x, WishartGamma, WishartM, 1.0, aa, am, ai)));
        double[] hand = Verify.Concat(ha, Verify.Flat(hm), Verify.Flat(hi));
        Verify.Gradients(name, "ObjectiveGradient vs hand-written", hand, Verify.Concat(ga, Verify.Flat(gm), Verify.Flat(gi)), Verify.ExactTolerance);
        Verify.Gradients(name, "ObjectiveBackward(seed 1) vs hand-written", hand, Verify.Concat(aa, Verify.Flat(am), Verify.Flat(ai)), Verify.ExactTolerance);
        FiniteDifferences();
        Verify.Gradients(name, "finite differences vs hand-written", hand, _fd, Verify.FiniteDifferenceTolerance);
    }
}
