using System;
using System.Linq;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// MJacobian of vector-valued maps against a hand-written Jacobian and the plain map: a 100 × 3 residual map (3
/// forward sweeps) and a 3 × 100 map (3 reverse sweeps); cost should be about min(m, n) runs of the map, and 0 B/call.
/// Run alone: <c>--filter '*Jacobian*'</c>.
/// </summary>
[MemoryDiagnoser]
public class JacobianBenchmarks
{
    private const int N = 100;
    private readonly double[] _p = { 2.0, 0.7, 0.3 };
    private double[] _t = null!;
    private double[] _y = null!;
    private double[] _x = null!;
    private readonly double[] _r = new double[N];
    private readonly double[] _m = new double[3];
    private readonly double[,] _decayJacobian = new double[N, 3];
    private readonly double[,] _momentsJacobian = new double[3, N];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        _t = Enumerable.Range(0, N).Select(i => i * 0.05).ToArray();
        _y = _t.Select(t => 2 * Math.Exp(-0.5 * t) + 0.1 + 0.01 * (rng.NextDouble() - 0.5)).ToArray();
        _x = Enumerable.Range(0, N).Select(_ => rng.NextDouble() * 3 - 1.5).ToArray();
        Check();
    }

    [Benchmark(Baseline = true)]
    public void DecayPlain() => JacobianMaps.Decay(_p, _t, _y, _r);

    [Benchmark]
    public void DecayJacobian() => JacobianMaps.DecayJacobian(_p, _t, _y, _r, _decayJacobian);

    [Benchmark]
    public void DecayJacobianHandWritten() => JacobianMaps.DecayJacobianByHand(_p, _t, _y, _r, _decayJacobian);

    [Benchmark]
    public void MomentsPlain() => JacobianMaps.Moments(_x, _m);

    [Benchmark]
    public void MomentsJacobian() => JacobianMaps.MomentsJacobian(_x, _m, _momentsJacobian);

    [Benchmark]
    public void MomentsJacobianHandWritten() => JacobianMaps.MomentsJacobianByHand(_x, _m, _momentsJacobian);

    /// <summary>The generated Jacobians equal the hand-written ones (to round-off) before anything is timed.</summary>
    private void Check()
    {
        var generated = new double[N, 3];
        var byHand = new double[N, 3];
        JacobianMaps.DecayJacobian(_p, _t, _y, _r, generated);
        JacobianMaps.DecayJacobianByHand(_p, _t, _y, _r, byHand);
        Same("Decay", generated, byHand);
        generated = new double[3, N];
        byHand = new double[3, N];
        JacobianMaps.MomentsJacobian(_x, _m, generated);
        JacobianMaps.MomentsJacobianByHand(_x, _m, byHand);
        Same("Moments", generated, byHand);
    }

    private static void Same(string what, double[,] generated, double[,] byHand)
    {
        for (int i = 0; i < generated.GetLength(0); i++)
        {
            for (int j = 0; j < generated.GetLength(1); j++)
            {
                if (Math.Abs(generated[i, j] - byHand[i, j]) > 1e-12 * Math.Max(1, Math.Abs(byHand[i, j])))
                {
                    throw new InvalidOperationException($"{what}: MJacobian[{i}, {j}] = {generated[i, j]:R}, by hand {byHand[i, j]:R}");
                }
            }
        }
    }
}
