using System;
using System.Linq;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// ADBench bundle adjustment with a scalar objective: 20 cameras, 200 points, N observations (fixed seed 33). Cameras
/// look along +z from about 10 units behind the points (rotations up to 0.2 rad, focal length about 1, small principal
/// point and distortion); features are the projections plus noise; weights near 1. One [Differentiable] helper call
/// per observation.
/// </summary>
[MemoryDiagnoser]
public class BundleAdjustmentBenchmarks : IWorkload, IMemoryWorkload
{
    public const int Cameras = 20;
    public const int Points = 200;

    [Params(1_000)]
    public int N { get; set; }

    private double[][] _cams = null!, _points = null!, _dcams = null!, _dpoints = null!, _acams = null!, _apoints = null!;
    private double[] _weights = null!, _dweights = null!, _aweights = null!, _fd = null!;
    private int[] _cameraOf = null!, _pointOf = null!;
    private double[,] _features = null!;
    private Func<double> _f = null!;

    [GlobalSetup]
    public void Setup() => (_cams, _points, _weights, _cameraOf, _pointOf, _features) = Generate(N, 33);

    /// <summary>The synthetic problem (also used by the Integration test at a small size).</summary>
    public static (double[][] Cams, double[][] Points, double[] Weights, int[] CameraOf, int[] PointOf, double[,] Features) Generate(int observations, int seed)
    {
        var rng = Data.Rng(seed);
        var cams = new double[Cameras][];
        for (int c = 0; c < Cameras; c++)
        {
            double[] v = Data.Vector(rng, BundleAdjustment.CameraParameters);
            var cam = new double[BundleAdjustment.CameraParameters];
            for (int k = 0; k < 3; k++) cam[k] = 0.2 * v[k];
            cam[3] = v[3]; cam[4] = v[4]; cam[5] = -10 + v[5];
            cam[6] = 1 + 0.1 * v[6];
            cam[7] = 0.05 * v[7]; cam[8] = 0.05 * v[8];
            cam[9] = 0.01 * v[9]; cam[10] = 0.001 * v[10];
            cams[c] = cam;
        }
        var points = new double[Points][];
        for (int p = 0; p < Points; p++) points[p] = Data.Vector(rng, 3);
        var weights = new double[observations];
        var cameraOf = new int[observations];
        var pointOf = new int[observations];
        var features = new double[observations, 2];
        for (int i = 0; i < observations; i++)
        {
            cameraOf[i] = rng.Next(Cameras);
            pointOf[i] = rng.Next(Points);
            weights[i] = 1 + 0.2 * (2 * rng.NextDouble() - 1);
            features[i, 0] = 0.1 * (2 * rng.NextDouble() - 1);
            features[i, 1] = 0.1 * (2 * rng.NextDouble() - 1);
        }
        return (cams, points, weights, cameraOf, pointOf, features);
    }

    private void EnsureBuffers()
    {
        if (_dcams is not null && _dweights.Length == N) return;
        _dcams = _cams.Select(r => new double[r.Length]).ToArray();
        _acams = _cams.Select(r => new double[r.Length]).ToArray();
        _dpoints = _points.Select(r => new double[r.Length]).ToArray();
        _apoints = _points.Select(r => new double[r.Length]).ToArray();
        _dweights = new double[N];
        _aweights = new double[N];
        _fd = new double[Cameras * BundleAdjustment.CameraParameters + Points * 3 + N];
        _f = () => BundleAdjustment.Objective(_cams, _points, _weights, _cameraOf, _pointOf, _features);
    }

    [Benchmark(Baseline = true)]
    public double Plain() => BundleAdjustment.Objective(_cams, _points, _weights, _cameraOf, _pointOf, _features);

    [Benchmark]
    public double Gradient()
    {
        EnsureBuffers();
        return BundleAdjustment.ObjectiveGradient(_cams, _points, _weights, _cameraOf, _pointOf, _features, _dcams, _dpoints, _dweights);
    }

    [Benchmark]
    public double Backward()
    {
        EnsureBuffers();
        return BundleAdjustment.ObjectiveBackward(_cams, _points, _weights, _cameraOf, _pointOf, _features, 1.0, _acams, _apoints, _aweights);
    }

    [Benchmark]
    public double HandWritten()
    {
        EnsureBuffers();
        return BundleAdjustment.HandGradient(_cams, _points, _weights, _cameraOf, _pointOf, _features, _dcams, _dpoints, _dweights);
    }

    [Benchmark]
    public double FiniteDifferences()
    {
        EnsureBuffers();
        Span<double> fd = _fd;
        int at = 0;
        foreach (double[] cam in _cams)
        {
            Infrastructure.FiniteDifferences.Central(_f, cam, fd.Slice(at), cam.Length);
            at += cam.Length;
        }
        foreach (double[] point in _points)
        {
            Infrastructure.FiniteDifferences.Central(_f, point, fd.Slice(at), point.Length);
            at += point.Length;
        }
        Infrastructure.FiniteDifferences.Central(_f, _weights, fd.Slice(at), _weights.Length);
        return _fd[0];
    }

    /// <summary>The hand-written gradient keeps nothing but locals.</summary>
    public long HandScratchBytes => 0;

    public void Check()
    {
        EnsureBuffers();
        string name = $"bundle adjustment {Cameras} cameras, {Points} points, {N} observations";
        double[] Flat(double[][] rows) => rows.SelectMany(r => r).ToArray();
        double hand = HandWritten();
        double[] handGradient = Verify.Concat(Flat(_dcams), Flat(_dpoints), _dweights);
        double generated = Gradient();
        double[] generatedGradient = Verify.Concat(Flat(_dcams), Flat(_dpoints), _dweights);
        foreach (double[] row in _acams.Concat(_apoints)) Array.Clear(row);
        Array.Clear(_aweights);
        double backward = Backward();
        Verify.Values(name, Plain(), ("HandGradient", hand), ("ObjectiveGradient", generated), ("ObjectiveBackward", backward));
        Verify.Gradients(name, "ObjectiveGradient vs hand-written", handGradient, generatedGradient, Verify.ExactTolerance);
        Verify.Gradients(name, "ObjectiveBackward(seed 1) vs hand-written", handGradient, Verify.Concat(Flat(_acams), Flat(_apoints), _aweights), Verify.ExactTolerance);
        FiniteDifferences();
        Verify.Gradients(name, "finite differences vs hand-written", handGradient, _fd, Verify.FiniteDifferenceTolerance);
    }
}
