using System;
using System.Linq;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// Second order on the extended Rosenbrock function: MHessianVector (value, gradient and H·v) against MGradient (the
/// target: at most 3 × one gradient) and a hand-written fused HVP, at n = 1 000; and MHessian (k HVPs) at k = 10. 0 B/call.
/// Run alone: <c>--filter '*HessianBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class HessianBenchmarks
{
    private const int N = 1_000;
    private const int K = 10;
    private double[] _x = null!, _v = null!, _dx = null!, _hv = null!;
    private double[] _small = null!, _smallGradient = null!;
    private readonly double[,] _hessian = new double[K, K];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(9);
        _x = Enumerable.Range(0, N).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        _v = Enumerable.Range(0, N).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        _dx = new double[N];
        _hv = new double[N];
        _small = _x.Take(K).ToArray();
        _smallGradient = new double[K];
        Check();
    }

    [Benchmark(Baseline = true)]
    public double Gradient() => Rosenbrock.ValueGradient(_x, _dx);

    [Benchmark]
    public double HessianVector() => Rosenbrock.ValueHessianVector(_x, _v, _dx, _hv);

    [Benchmark]
    public double HessianVectorHandWritten() => Rosenbrock.HandHessianVector(_x, _v, _dx, _hv);

    [Benchmark]
    public double Hessian10() => Rosenbrock.ValueHessian(_small, _smallGradient, _hessian);

    /// <summary>The generated H·v and gradient equal the hand-written ones (to round-off) before anything is timed.</summary>
    private void Check()
    {
        double[] dx = new double[N], hv = new double[N], byHandDx = new double[N], byHandHv = new double[N];
        Rosenbrock.ValueHessianVector(_x, _v, dx, hv);
        Rosenbrock.HandHessianVector(_x, _v, byHandDx, byHandHv);
        for (int i = 0; i < N; i++)
        {
            if (Math.Abs(dx[i] - byHandDx[i]) > 1e-10 * Math.Max(1, Math.Abs(byHandDx[i])) || Math.Abs(hv[i] - byHandHv[i]) > 1e-10 * Math.Max(1, Math.Abs(byHandHv[i])))
            {
                throw new InvalidOperationException($"MHessianVector at {i}: gradient {dx[i]:R} vs {byHandDx[i]:R}, H·v {hv[i]:R} vs {byHandHv[i]:R}");
            }
        }
    }
}
