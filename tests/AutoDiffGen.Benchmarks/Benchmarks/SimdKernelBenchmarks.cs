using System;
using AutoDiffGen.Benchmarks.Infrastructure;
using AutoDiffGen.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// Vector&lt;T&gt; kernels (issue 13), the dot product and the sum of squares at n = 1 000 and 100 000: plain, generated
/// gradient and pullback, hand-written SIMD gradient. Each call computes both kernels' gradients, so the ratio covers both.
/// </summary>
[MemoryDiagnoser]
public class SimdKernelBenchmarks : IWorkload
{
    [Params(1_000, 100_000)]
    public int N { get; set; } = 1_000;

    private double[] _x = null!, _y = null!, _dx = null!, _dy = null!, _dz = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = Data.Rng(17);
        _x = Data.Vector(rng, N);
        _y = Data.Vector(rng, N);
        _dx = new double[N];
        _dy = new double[N];
        _dz = new double[N];
    }

    [Benchmark(Baseline = true)]
    public double Plain() => SimdKernels.Dot(_x, _y) + SimdKernels.SumOfSquares(_x);

    [Benchmark]
    public double Gradient() => SimdKernels.DotGradient(_x, _y, _dx, _dy) + SimdKernels.SumOfSquaresGradient(_x, _dz);

    [Benchmark]
    public double Backward() => SimdKernels.DotBackward(_x, _y, 1.0, _dx, _dy) + SimdKernels.SumOfSquaresBackward(_x, 1.0, _dz);

    [Benchmark]
    public double HandWritten()
    {
        // The generated MGradient zeroes its buffers first (api.md); so does the hand-written one, to compare like with like.
        _dx.AsSpan().Clear();
        _dy.AsSpan().Clear();
        _dz.AsSpan().Clear();
        return SimdKernels.HandDotGradient(_x, _y, _dx, _dy) + SimdKernels.HandSumOfSquaresGradient(_x, _dz);
    }

    public void Check()
    {
        string name = "SIMD kernels N=" + N;
        double[] hx = new double[N], hy = new double[N], hz = new double[N];
        double[] gx = new double[N], gy = new double[N], gz = new double[N];
        double[] bx = new double[N], by = new double[N], bz = new double[N];
        double hand = SimdKernels.HandDotGradient(_x, _y, hx, hy) + SimdKernels.HandSumOfSquaresGradient(_x, hz);
        Verify.Values(name, Plain(),
            ("hand-written", hand),
            ("Gradient", SimdKernels.DotGradient(_x, _y, gx, gy) + SimdKernels.SumOfSquaresGradient(_x, gz)),
            ("Backward", SimdKernels.DotBackward(_x, _y, 1.0, bx, by) + SimdKernels.SumOfSquaresBackward(_x, 1.0, bz)));
        double[] h = Verify.Concat(hx, hy, hz);
        Verify.Gradients(name, "Gradient vs hand-written", h, Verify.Concat(gx, gy, gz), Verify.ExactTolerance);
        Verify.Gradients(name, "Backward(seed 1) vs hand-written", h, Verify.Concat(bx, by, bz), Verify.ExactTolerance);
        // Central differences on a few coordinates.
        for (int probe = 0; probe < 6; probe++)
        {
            int i = probe * (N - 1) / 5;
            double saved = _x[i];
            _x[i] = saved + 1e-6;
            double up = Plain();
            _x[i] = saved - 1e-6;
            double down = Plain();
            _x[i] = saved;
            Verify.Gradients(name, $"finite difference of x[{i}] vs hand-written", new[] { hx[i] + hz[i] }, new[] { (up - down) / 2e-6 }, Verify.FiniteDifferenceTolerance);
        }
    }
}
