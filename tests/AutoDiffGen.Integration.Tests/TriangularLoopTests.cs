using System;
using System.Linq;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>Loops bounded by an enclosing counter (j = i + 1 .. n, j = 0 .. i) and an index advanced in the body (li++).</summary>
public class TriangularLoopTests
{
    [Fact]
    public void Packed_lower_triangular_quadratic_form()
    {
        // f = Σ_i Σ_{j≤i} x_i L_ij x_j, L packed row by row: ∂f/∂L_ij = x_i x_j, ∂f/∂x_k = Σ_{j≤k} L_kj x_j + Σ_{i≥k} x_i L_ik.
        Shape[] shapes = { Shape.Vector("l", 10), Shape.Vector("x", 4) };
        ArrayCheck.Gradient(shapes,
            p => TriangularLoops.PackedQuadraticForm(p.Vector(0), p.Vector(1)),
            (p, g) => TriangularLoops.PackedQuadraticFormGradient(p.Vector(0), p.Vector(1), g.Vector(0), g.Vector(1)),
            (p, seed, g) => TriangularLoops.PackedQuadraticFormBackward(p.Vector(0), p.Vector(1), seed, g.Vector(0), g.Vector(1)),
            (p, e) =>
            {
                double[] l = p.Vector(0), x = p.Vector(1), dl = e.Vector(0), dx = e.Vector(1);
                int li = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    for (int j = 0; j <= i; j++, li++)
                    {
                        dl[li] = x[i] * x[j];
                        dx[i] += l[li] * x[j];
                        dx[j] += x[i] * l[li];
                    }
                }
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Pair_interactions_over_the_strict_upper_triangle()
    {
        // f = E², E = Σ_{i<j} tanh(x_i x_j): ∂f/∂x_k = 2E Σ_{m≠k} x_m (1 − tanh²(x_k x_m)).
        Shape[] shapes = { Shape.Vector("x", 5) };
        ArrayCheck.Gradient(shapes,
            p => TriangularLoops.PairInteractions(p.Vector(0)),
            (p, g) => TriangularLoops.PairInteractionsGradient(p.Vector(0), g.Vector(0)),
            (p, seed, g) => TriangularLoops.PairInteractionsBackward(p.Vector(0), seed, g.Vector(0)),
            (p, e) =>
            {
                double[] x = p.Vector(0), dx = e.Vector(0);
                double energy = 0;
                for (int i = 0; i < x.Length; i++) for (int j = i + 1; j < x.Length; j++) energy += Math.Tanh(x[i] * x[j]);
                for (int k = 0; k < x.Length; k++)
                {
                    for (int m = 0; m < x.Length; m++)
                    {
                        if (m != k) dx[k] += 2 * energy * x[m] * (1 - Math.Pow(Math.Tanh(x[k] * x[m]), 2));
                    }
                }
            },
            ArrayCheck.Points(shapes, -1.5, 1.5));
    }

    // Packed lower triangles read with li++ inside a triangular nest, forward (MTangent) and reverse (issue 12). Each
    // checks MGradient and MBackward against the hand-derived gradient and central differences (ArrayCheck), and
    // MTangent along unit and random directions against the same gradient and differences (TangentCheck).

    private const int N = 4;

    /// <summary>Hand-derived gradient of the packed reads: per entry (i, j ≤ i) at packed index k, <paramref name="term"/> adds its partials.</summary>
    private static double[] PackedGradient(double[] l, double[] x, int stride, Action<int, int, int, double[], double[]> term)
    {
        var dl = new double[l.Length];
        var dx = new double[x.Length];
        int k = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j <= i; j++, k++) term(i, j, k * stride, dl, dx);
        }
        return dl.Concat(dx).ToArray();
    }

    private static void CheckBothModes(int packedLength, Func<double[], double[], double> f,
        Func<double[], double[], double[], double[], double> gradient, Func<double[], double[], double, double[], double[], double> backward,
        Func<double[], double[], double[], double[], (double Value, double Tangent)> tangent, Func<double[], double[], double[]> exact)
    {
        Shape[] shapes = { Shape.Vector("l", packedLength), Shape.Vector("x", N) };
        double[][] points = ArrayCheck.Points(shapes, -2, 2);
        ArrayCheck.Gradient(shapes,
            p => f(p.Vector(0), p.Vector(1)),
            (p, g) => gradient(p.Vector(0), p.Vector(1), g.Vector(0), g.Vector(1)),
            (p, seed, g) => backward(p.Vector(0), p.Vector(1), seed, g.Vector(0), g.Vector(1)),
            (p, e) =>
            {
                double[] hand = exact(p.Vector(0), p.Vector(1));
                Array.Copy(hand, e.Vector(0), packedLength);
                Array.Copy(hand, packedLength, e.Vector(1), 0, N);
            },
            points);
        static (double[] L, double[] X) Split(double[] p, int length) => (p[..length], p[length..]);
        TangentCheck.Directional(
            p => { var (l, x) = Split(p, packedLength); return f(l, x); },
            (p, v) =>
            {
                var (l, x) = Split(p, packedLength);
                var (dl, dx) = Split(v, packedLength);
                return tangent(l, x, dl, dx);
            },
            p => { var (l, x) = Split(p, packedLength); return exact(l, x); },
            points);
    }

    [Fact]
    public void Packed_triangle_read_with_the_index_advanced_in_the_subscript()
    {
        // f = Σ_{j≤i} l_k x_i x_j (k = li, advanced by l[li++]): ∂f/∂l_k = x_i x_j, ∂f/∂x_i += l_k x_j, ∂f/∂x_j += l_k x_i.
        CheckBothModes(N * (N + 1) / 2, TriangularLoops.PackedTriangleRead, (l, x, dl, dx) => TriangularLoops.PackedTriangleReadGradient(l, x, dl, dx),
            (l, x, seed, dl, dx) => TriangularLoops.PackedTriangleReadBackward(l, x, seed, dl, dx),
            (l, x, dl, dx) => (TriangularLoops.PackedTriangleReadTangent(l, x, dl, dx, out double t), t),
            (l, x) => PackedGradient(l, x, 1, (i, j, k, dl, dx) =>
            {
                dl[k] = x[i] * x[j];
                dx[i] += l[k] * x[j];
                dx[j] += l[k] * x[i];
            }));
    }

    [Fact]
    public void Packed_triangle_whose_index_also_feeds_values()
    {
        // f = Σ_{j≤i} (l_k x_i x_j + 0.01 (k + 1) x_j) + N x_0, N = n(n+1)/2 (li after the loops, k + 1 after li++):
        // the packed partials as above, plus ∂f/∂x_j += 0.01 (k + 1) per entry and ∂f/∂x_0 += N.
        int count = N * (N + 1) / 2;
        CheckBothModes(count, TriangularLoops.PackedTriangleIndexAsValue, (l, x, dl, dx) => TriangularLoops.PackedTriangleIndexAsValueGradient(l, x, dl, dx),
            (l, x, seed, dl, dx) => TriangularLoops.PackedTriangleIndexAsValueBackward(l, x, seed, dl, dx),
            (l, x, dl, dx) => (TriangularLoops.PackedTriangleIndexAsValueTangent(l, x, dl, dx, out double t), t),
            (l, x) =>
            {
                double[] g = PackedGradient(l, x, 1, (i, j, k, dl, dx) =>
                {
                    dl[k] = x[i] * x[j];
                    dx[i] += l[k] * x[j];
                    dx[j] += l[k] * x[i] + 0.01 * (k + 1);
                });
                g[count] += count;
                return g;
            });
    }

    [Fact]
    public void Packed_triangle_of_pairs_with_the_index_advanced_by_two()
    {
        // f = Σ_{j≤i} (l_{2k} x_i x_j + l_{2k+1} x_j), li += 2: ∂f/∂l_{2k} = x_i x_j, ∂f/∂l_{2k+1} = x_j,
        // ∂f/∂x_i += l_{2k} x_j, ∂f/∂x_j += l_{2k} x_i + l_{2k+1}.
        CheckBothModes(N * (N + 1), TriangularLoops.PackedTrianglePairs, (l, x, dl, dx) => TriangularLoops.PackedTrianglePairsGradient(l, x, dl, dx),
            (l, x, seed, dl, dx) => TriangularLoops.PackedTrianglePairsBackward(l, x, seed, dl, dx),
            (l, x, dl, dx) => (TriangularLoops.PackedTrianglePairsTangent(l, x, dl, dx, out double t), t),
            (l, x) => PackedGradient(l, x, 2, (i, j, k, dl, dx) =>
            {
                dl[k] = x[i] * x[j];
                dl[k + 1] = x[j];
                dx[i] += l[k] * x[j];
                dx[j] += l[k] * x[i] + l[k + 1];
            }));
    }
}
