using System;
using System.Linq;
using AutoDiffGen.Benchmarks.Workloads;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// The benchmark workloads of issue 12 (tests/AutoDiffGen.Benchmarks/Workloads, compiled into this project too) at small
/// sizes: the generated gradient against the workload's hand-written gradient and central finite differences, and the
/// generated pullback's accumulation.
/// </summary>
public class WorkloadTests
{
    [Fact]
    public void Lstm_objective_over_a_character_sequence() =>
        // 2 layers, b = 3, 6 characters: the state of both layers is carried through 5 steps (taped).
        CheckLstm(characters: 6, b: 3, seed: 7, points: 2);

    [Fact]
    public void Lstm_objective_over_a_sequence_long_enough_for_several_checkpoints() =>
        // 100 characters: 99 steps (taped: their recording fits the tape budget, see the next test).
        CheckLstm(characters: 100, b: 2, seed: 11, points: 1);

    [Fact]
    public void Lstm_objective_over_a_sequence_whose_recording_exceeds_the_tape_budget() =>
        // 20 000 characters at b = 2: at most 57 values per step, over 2²⁰ in all, so the time loop is checkpointed
        // (every 142 steps): each segment's state — s, gates, y and the total — comes back from a block copy.
        CheckLstm(characters: 20_000, b: 2, seed: 13, points: 1);

    private static void CheckLstm(int characters, int b, int seed, int points)
    {
        const int layers = 2;
        var rng = new Random(seed);
        double[] state = Enumerable.Range(0, 2 * layers * b).Select(_ => 0.2 * (2 * rng.NextDouble() - 1)).ToArray();
        var sequence = new double[characters * b];
        for (int t = 0; t < characters; t++) sequence[t * b + rng.Next(b)] = 1;
        Shape[] shapes = { Shape.Vector("main", 2 * layers * 4 * b), Shape.Vector("extra", 3 * b) };
        ArrayCheck.Gradient(shapes,
            p => Lstm.Objective(p.Vector(0), p.Vector(1), state, sequence, layers, b),
            (p, g) => Lstm.ObjectiveGradient(p.Vector(0), p.Vector(1), state, sequence, layers, b, g.Vector(0), g.Vector(1)),
            (p, seed, g) => Lstm.ObjectiveBackward(p.Vector(0), p.Vector(1), state, sequence, layers, b, seed, g.Vector(0), g.Vector(1)),
            (p, e) => Lstm.HandGradient(p.Vector(0), p.Vector(1), state, sequence, layers, b, e.Vector(0), e.Vector(1)),
            ArrayCheck.Points(shapes, -0.8, 0.8, count: points));
    }

    [Fact]
    public void Gaussian_mixture_objective_with_scratch_rewritten_per_component()
    {
        // d = 3, K = 2, 4 samples: the component loop inside the fused sample loop is taped, its scratch xc and qxc
        // recorded whole once per component (ReverseModeTransform.Snapshots.cs), the triangular loop's restores dropped.
        const int d = 3, k = 2, n = 4;
        var rng = new Random(5);
        var x = new double[n, d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) x[i, j] = 2 * rng.NextDouble() - 1;
        }
        int width = d + d * (d - 1) / 2;
        Shape[] shapes = { Shape.Vector("alphas", k), Shape.Matrix("means", k, d), Shape.Matrix("icf", k, width) };
        ArrayCheck.Gradient(shapes,
            p => GaussianMixture.Objective(p.Vector(0), p.Matrix(1), p.Matrix(2), x, 1.0, 0),
            (p, g) => GaussianMixture.ObjectiveGradient(p.Vector(0), p.Matrix(1), p.Matrix(2), x, 1.0, 0, g.Vector(0), g.Matrix(1), g.Matrix(2)),
            (p, seed, g) => GaussianMixture.ObjectiveBackward(p.Vector(0), p.Matrix(1), p.Matrix(2), x, 1.0, 0, seed, g.Vector(0), g.Matrix(1), g.Matrix(2)),
            (p, e) => GaussianMixture.HandGradient(p.Vector(0), p.Matrix(1), p.Matrix(2), x, 1.0, 0, e.Vector(0), e.Matrix(1), e.Matrix(2)),
            ArrayCheck.Points(shapes, -0.6, 0.6, count: 2));
    }

    [Fact]
    public void Bundle_adjustment_reprojection_error_summed_over_observations()
    {
        // 2 cameras (the second with no rotation: the helper's first-order branch), 3 points, 5 observations.
        int[] cameraOf = { 0, 1, 0, 1, 1 };
        int[] pointOf = { 0, 0, 1, 2, 1 };
        var features = new double[,] { { 0.05, -0.02 }, { 0.01, 0.03 }, { -0.04, 0.0 }, { 0.02, 0.02 }, { 0.0, -0.05 } };
        double[] camera0 = { 0.1, -0.15, 0.05, 0.2, -0.1, -10, 1.05, 0.01, -0.02, 0.01, 0.001 };
        double[] camera1 = { 0, 0, 0, -0.3, 0.2, -9.5, 0.95, -0.03, 0.02, -0.005, 0.002 };
        double[] pointsAt = { 0.3, -0.5, 0.8, -0.6, 0.4, 0.1, 0.2, 0.7, -0.9 };
        double[] weightsAt = { 1.1, 0.9, 1.0, 0.85, 1.15 };
        Shape[] shapes = { Shape.Jagged("cams", 11, 11), Shape.Jagged("points", 3, 3, 3), Shape.Vector("w", 5) };
        double[] theta = camera0.Concat(camera1).Concat(pointsAt).Concat(weightsAt).ToArray();
        // The second point keeps camera 1's rotation exactly zero (a perturbation of it would leave that branch).
        double[] moved = theta.Select((v, i) => i is >= 11 and < 14 ? v : v + 0.02 * Math.Sin(3 * i)).ToArray();
        ArrayCheck.Gradient(shapes,
            p => BundleAdjustment.Objective(p.Jagged(0), p.Jagged(1), p.Vector(2), cameraOf, pointOf, features),
            (p, g) => BundleAdjustment.ObjectiveGradient(p.Jagged(0), p.Jagged(1), p.Vector(2), cameraOf, pointOf, features, g.Jagged(0), g.Jagged(1), g.Vector(2)),
            (p, seed, g) => BundleAdjustment.ObjectiveBackward(p.Jagged(0), p.Jagged(1), p.Vector(2), cameraOf, pointOf, features, seed, g.Jagged(0), g.Jagged(1), g.Vector(2)),
            (p, e) => BundleAdjustment.HandGradient(p.Jagged(0), p.Jagged(1), p.Vector(2), cameraOf, pointOf, features, e.Jagged(0), e.Jagged(1), e.Vector(2)),
            new[] { theta, moved });
    }
}
