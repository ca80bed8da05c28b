using System;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// A virtual [Differentiable] method called through a base-class reference per loop iteration: the bond energy of a
/// chain of N particles in the plane with Morse bonds (depth 2, rest length 1, width 1.5) held as a
/// <see cref="BondPotential"/>; synthetic data (fixed seed 41): particles on a snake through rows of 32 sites one rest length apart, jittered by ±0.3.
/// </summary>
[MemoryDiagnoser]
public class BondedChainBenchmarks : IWorkload, IMemoryWorkload
{
    [Params(1_000)]
    public int N { get; set; }

    private BondPotential _bond = null!;
    private double[] _p = null!, _dp = null!, _ap = null!, _fd = null!;
    private Func<double> _f = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = Data.Rng(41);
        _bond = new MorseBond(2.0, 1.0, 1.5);
        _p = new double[2 * N];
        // A snake through rows of 32 sites, so that the coordinates stay small (finite differences step relative to them).
        for (int i = 0; i < N; i++)
        {
            int row = i / 32, column = row % 2 == 0 ? i % 32 : 31 - i % 32;
            _p[2 * i] = column + 0.3 * (2 * rng.NextDouble() - 1);
            _p[2 * i + 1] = row + 0.3 * (2 * rng.NextDouble() - 1);
        }
        _dp = new double[2 * N];
        _ap = new double[2 * N];
        _fd = new double[2 * N];
        _f = () => BondedChain.Energy(_bond, _p);
    }

    [Benchmark(Baseline = true)]
    public double Plain() => BondedChain.Energy(_bond, _p);

    [Benchmark]
    public double Gradient() => BondedChain.EnergyGradient(_bond, _p, _dp);

    [Benchmark]
    public double Backward() => BondedChain.EnergyBackward(_bond, _p, 1.0, _ap);

    [Benchmark]
    public double HandWritten() => BondedChain.HandGradient(_bond, _p, _dp);

    [Benchmark]
    public double FiniteDifferences()
    {
        Infrastructure.FiniteDifferences.Central(_f, _p, _fd, _p.Length);
        return _fd[0];
    }

    public long HandScratchBytes => 0;

    public void Check()
    {
        string name = $"Bonded chain {N} (virtual Morse bond)";
        double plain = Plain();
        var hand = new double[2 * N]; var generated = new double[2 * N]; var backward = new double[2 * N];
        Verify.Values(name, plain,
            ("HandGradient", BondedChain.HandGradient(_bond, _p, hand)),
            ("EnergyGradient", BondedChain.EnergyGradient(_bond, _p, generated)),
            ("EnergyBackward", BondedChain.EnergyBackward(_bond, _p, 1.0, backward)));
        Verify.Gradients(name, "EnergyGradient vs hand-written", hand, generated, Verify.ExactTolerance);
        Verify.Gradients(name, "EnergyBackward(seed 1) vs hand-written", hand, backward, Verify.ExactTolerance);
        FiniteDifferences();
        Verify.Gradients(name, "finite differences vs hand-written", hand, _fd, Verify.FiniteDifferenceTolerance);
        // The harmonic base class is what a Morse bond's derivative would be if the call did not dispatch: make sure it differs.
        var harmonic = new double[2 * N];
        BondedChain.HandGradient(new BondPotential(2.0, 1.0), _p, harmonic);
        if (Math.Abs(harmonic[0] - hand[0]) < 1e-6) throw new InvalidOperationException(name + ": the harmonic and Morse gradients coincide; the check cannot tell dispatch apart");
    }
}
