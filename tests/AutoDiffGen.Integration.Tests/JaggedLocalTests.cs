using AutoDiffGen.Integration.Tests.Infrastructure;
using J = AutoDiffGen.Integration.Tests.Functions.JaggedLocals;

namespace AutoDiffGen.Integration.Tests;

/// <summary>Local jagged arrays with rows assigned one by one: exact gradients and finite differences.</summary>
public class JaggedLocalTests
{
    [Fact]
    public void One_row_one_element()
    {
        Shape[] shapes = { Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => J.JaggedLocalMinimal(p.Scalar(0)),
            (p, g) => J.JaggedLocalMinimalGradient(p.Scalar(0), out g.Ref(0)),
            (p, seed, g) => J.JaggedLocalMinimalBackward(p.Scalar(0), seed, ref g.Ref(0)),
            (p, e) => e.Ref(0) = 1,
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Triangle_of_rows_written_by_assignment_and_compound_assignment()
    {
        Shape[] shapes = { Shape.Vector("a", 4), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => J.LocalJaggedTriangle(p.Vector(0), p.Scalar(1)),
            (p, g) => J.LocalJaggedTriangleGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => J.LocalJaggedTriangleBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                double x = p.Scalar(1);
                int n = a.Length;
                for (int k = 0; k < n; k++)
                {
                    for (int j = 0; j <= k; j++) da[k] += a[j] * a[j];
                    for (int i = k; i < n; i++) da[k] += 2 * a[i] * a[k] + x;
                    e.Ref(1) += (n - k) * a[k];
                }
            },
            ArrayCheck.Points(shapes, -1.5, 1.5));
    }

    [Fact]
    public void Rows_replaced_every_outer_iteration()
    {
        Shape[] shapes = { Shape.Vector("a", 3), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => J.RebuiltEveryIteration(p.Vector(0), p.Scalar(1)),
            (p, g) => J.RebuiltEveryIterationGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => J.RebuiltEveryIterationBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                double x = p.Scalar(1);
                int n = a.Length;
                for (int o = 0; o < 3; o++)
                {
                    for (int k = 0; k < n; k++)
                    {
                        for (int j = 0; j <= k; j++) da[k] += a[j];
                        for (int i = k; i < n; i++) da[k] += a[i] + o * x;
                    }
                    for (int i = 0; i < n; i++)
                    {
                        for (int j = 0; j <= i; j++) e.Ref(1) += o * a[j];
                    }
                }
            },
            ArrayCheck.Points(shapes, -1.5, 1.5));
    }
}
