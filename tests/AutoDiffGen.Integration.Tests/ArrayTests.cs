using System;
using System.Linq;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Generated gradients of array code (Functions/Arrays.cs), each against a hand-derived gradient and central finite
/// differences in every element, with MBackward accumulating into buffers pre-filled with 1s (ArrayCheck).
/// </summary>
public class ArrayTests
{
    // ---- Parameter kinds ----

    [Fact]
    public void Double_array_parameter_read_in_a_loop_bounded_by_its_length()
    {
        Shape[] shapes = { Shape.Vector("a", 5) };
        ArrayCheck.Gradient(shapes,
            p => Arrays.WeightedSquares(p.Vector(0)),
            (p, g) => Arrays.WeightedSquaresGradient(p.Vector(0), g.Vector(0)),
            (p, seed, g) => Arrays.WeightedSquaresBackward(p.Vector(0), seed, g.Vector(0)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                for (int i = 0; i < a.Length; i++) da[i] = 2 * (i + 1) * a[i];
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Read_only_span_parameter_with_a_scalar()
    {
        Shape[] shapes = { Shape.Vector("a", 4), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.SpanSines(p.Vector(0), p.Scalar(1)),
            (p, g) => Arrays.SpanSinesGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => Arrays.SpanSinesBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                double x = p.Scalar(1);
                for (int i = 0; i < a.Length; i++)
                {
                    da[i] = x * Math.Cos(a[i] * x);
                    e.Ref(1) += a[i] * Math.Cos(a[i] * x);
                }
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Span_parameter_read_at_computed_indices(int n)
    {
        Shape[] shapes = { Shape.Vector("a", n) };
        ArrayCheck.Gradient(shapes,
            p => Arrays.CyclicProducts(p.Vector(0)),
            (p, g) => Arrays.CyclicProductsGradient(p.Vector(0), g.Vector(0)),
            (p, seed, g) => Arrays.CyclicProductsBackward(p.Vector(0), seed, g.Vector(0)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                for (int k = 0; k < n; k++) da[k] = a[(k + 1) % n] + a[(k + n - 1) % n];
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Matrix_parameter_read_in_loops_bounded_by_GetLength()
    {
        Shape[] shapes = { Shape.Matrix("m", 2, 3), Shape.Vector("u", 2), Shape.Vector("v", 3) };
        ArrayCheck.Gradient(shapes,
            p => Arrays.Bilinear(p.Matrix(0), p.Vector(1), p.Vector(2)),
            (p, g) => Arrays.BilinearGradient(p.Matrix(0), p.Vector(1), p.Vector(2), g.Matrix(0), g.Vector(1), g.Vector(2)),
            (p, seed, g) => Arrays.BilinearBackward(p.Matrix(0), p.Vector(1), p.Vector(2), seed, g.Matrix(0), g.Vector(1), g.Vector(2)),
            (p, e) =>
            {
                double[,] m = p.Matrix(0), dm = e.Matrix(0);
                double[] u = p.Vector(1), v = p.Vector(2), du = e.Vector(1), dv = e.Vector(2);
                for (int i = 0; i < 2; i++)
                {
                    for (int j = 0; j < 3; j++)
                    {
                        dm[i, j] = u[i] * v[j];
                        du[i] += m[i, j] * v[j];
                        dv[j] += u[i] * m[i, j];
                    }
                }
                dm[0, 0] += Math.Exp(m[0, 0]);
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Ragged_jagged_parameter_with_an_empty_row()
    {
        Shape[] shapes = { Shape.Jagged("rows", 3, 0, 2, 1) };
        ArrayCheck.Gradient(shapes,
            p => Arrays.RowNorms(p.Jagged(0)),
            (p, g) => Arrays.RowNormsGradient(p.Jagged(0), g.Jagged(0)),
            (p, seed, g) => Arrays.RowNormsBackward(p.Jagged(0), seed, g.Jagged(0)),
            (p, e) =>
            {
                double[][] r = p.Jagged(0), dr = e.Jagged(0);
                for (int i = 0; i < r.Length; i++)
                {
                    double q = Math.Sqrt(1 + r[i].Sum(v => v * v));
                    for (int j = 0; j < r[i].Length; j++) dr[i][j] = r[i][j] / q;
                }
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    // ---- Local arrays ----

    [Fact]
    public void Local_vector_written_by_assignment_and_compound_assignment()
    {
        Shape[] shapes = { Shape.Vector("a", 4), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.LocalVectorWrites(p.Vector(0), p.Scalar(1)),
            (p, g) => Arrays.LocalVectorWritesGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => Arrays.LocalVectorWritesBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                double x = p.Scalar(1);
                for (int i = 0; i < a.Length; i++)
                {
                    da[i] = 2 * a[i] * x + x;
                    e.Ref(1) += a[i] * a[i] + a[i];
                }
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Local_matrix_written_by_assignment_and_compound_assignment()
    {
        Shape[] shapes = { Shape.Vector("a", 3), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.LocalMatrixWrites(p.Vector(0), p.Scalar(1)),
            (p, g) => Arrays.LocalMatrixWritesGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => Arrays.LocalMatrixWritesBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                double x = p.Scalar(1);
                for (int i = 0; i < 3; i++)
                {
                    for (int j = 0; j < 3; j++)
                    {
                        double c = Math.Cos(a[i] * a[j] + x + (i == j ? x * x : 0));
                        da[i] += 2 * c * a[j];
                        e.Ref(1) += c * (i == j ? 1 + 2 * x : 1);
                    }
                }
            },
            ArrayCheck.Points(shapes, -1.5, 1.5));
    }

    [Fact]
    public void Implicitly_typed_array_initializer() =>
        Check.Two(Arrays.Initializer, Arrays.InitializerGradient, Arrays.InitializerBackward,
            (x, y) => (2 * x * y + y * Math.Sin(y), x * x + x * Math.Sin(y) + x * y * Math.Cos(y)), -2, 2);

    [Fact]
    public void Explicitly_typed_array_initializer_from_parameter_elements()
    {
        Shape[] shapes = { Shape.Vector("a", 3), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.InitializerFromParameter(p.Vector(0), p.Scalar(1)),
            (p, g) => Arrays.InitializerFromParameterGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => Arrays.InitializerFromParameterBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                double x = p.Scalar(1);
                da[0] = x * (a[1] + x) + a[1];
                da[1] = a[0] * x + a[0];
                e.Ref(1) = a[0] * a[1] + 2 * a[0] * x;
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Collection_expression() =>
        Check.Two(Arrays.CollectionExpression, Arrays.CollectionExpressionGradient, Arrays.CollectionExpressionBackward,
            (x, y) => (2 * x + 2 * x * y * y, 2 * y + 2 * x * x * y), -2, 2);

    // ---- Scratch arrays reused across iterations ----

    [Fact]
    public void Two_element_scratch_buffer_rewritten_every_iteration()
    {
        Shape[] shapes = { Shape.Vector("a", 5), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.ScratchRecurrence(p.Vector(0), p.Scalar(1)),
            (p, g) => Arrays.ScratchRecurrenceGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => Arrays.ScratchRecurrenceBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) => ByDuals(p.Vector(0), p.Scalar(1), e.Vector(0), ref e.Ref(1), (a, x) =>
            {
                Dual s0 = 0, s1 = 0, r = 0;
                foreach (Dual ai in a)
                {
                    s0 = s1 * x + ai;
                    s1 = Dual.Sin(s0) * s1 + ai;
                    r += s0 * s1;
                }
                return r;
            }),
            ArrayCheck.Points(shapes, -1, 1));
    }

    [Fact]
    public void Scratch_buffer_refilled_by_an_inner_loop_every_outer_iteration()
    {
        Shape[] shapes = { Shape.Vector("a", 4), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.ScratchInnerLoop(p.Vector(0), p.Scalar(1)),
            (p, g) => Arrays.ScratchInnerLoopGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => Arrays.ScratchInnerLoopBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) => ByDuals(p.Vector(0), p.Scalar(1), e.Vector(0), ref e.Ref(1), (a, x) =>
            {
                Dual b0 = 0, b1 = 0, state = x;
                foreach (Dual ai in a)
                {
                    b0 = state + ai * b1;       // k = 0 reads the previous iteration's buf[1]
                    b1 = state * 2 + ai * b0;   // k = 1 reads the buf[0] just written
                    state = Dual.Tanh(b0 - b1);
                }
                return state + b0 * b1;
            }),
            ArrayCheck.Points(shapes, -1.2, 1.2));
    }

    // ---- Writes into parameter arrays ----

    [Fact]
    public void Parameter_array_overwritten_and_read_back_with_gradient_at_the_entry_values()
    {
        Shape[] shapes = { Shape.Vector("a", 4), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.OverwriteParameter(p.Vector(0), p.Scalar(1)),
            (p, g) => Arrays.OverwriteParameterGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => Arrays.OverwriteParameterBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                double x = p.Scalar(1);
                double a0 = a[0] * x, a1 = a[1] + a0, a2 = a[2] * x;
                da[0] = x + x * a2 + 2 * a0 * x;
                da[1] = a2;
                da[2] = a1 * x;
                e.Ref(1) = a[0] + a[0] * a2 + a1 * a[2] + 2 * a0 * a[0];
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Parameter_array_scaled_in_place_and_replaced_by_a_function_of_itself()
    {
        Shape[] shapes = { Shape.Vector("a", 4), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.ScaleParameterInPlace(p.Vector(0), p.Scalar(1)),
            (p, g) => Arrays.ScaleParameterInPlaceGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => Arrays.ScaleParameterInPlaceBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                double x = p.Scalar(1);
                for (int i = 0; i < a.Length; i++)
                {
                    double u = a[i] * x, ai = Math.Sin(u) + u, dai = 2 * ai * (Math.Cos(u) + 1);
                    da[i] = dai * x;
                    e.Ref(1) += dai * a[i];
                }
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Span_parameter_updated_in_place_by_a_prefix_recurrence()
    {
        Shape[] shapes = { Shape.Vector("a", 5) };
        ArrayCheck.Gradient(shapes,
            p => Arrays.SpanPrefixInPlace(p.Vector(0)),
            (p, g) => Arrays.SpanPrefixInPlaceGradient(p.Vector(0), g.Vector(0)),
            (p, seed, g) => Arrays.SpanPrefixInPlaceBackward(p.Vector(0), seed, g.Vector(0)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                double[] prefix = (double[])a.Clone();
                for (int i = 1; i < a.Length; i++) prefix[i] += prefix[i - 1] * prefix[i - 1];
                double adjoint = 1;
                for (int i = a.Length - 1; i >= 0; i--)
                {
                    da[i] = adjoint;
                    if (i > 0) adjoint *= 2 * prefix[i - 1];
                }
            },
            ArrayCheck.Points(shapes, -0.8, 0.8));
    }

    [Fact]
    public void Matrix_parameter_scaled_in_place_then_one_element_added_to_another()
    {
        Shape[] shapes = { Shape.Matrix("m", 2, 3), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.ScaleMatrixParameter(p.Matrix(0), p.Scalar(1)),
            (p, g) => Arrays.ScaleMatrixParameterGradient(p.Matrix(0), p.Scalar(1), g.Matrix(0), out g.Ref(1)),
            (p, seed, g) => Arrays.ScaleMatrixParameterBackward(p.Matrix(0), p.Scalar(1), seed, g.Matrix(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[,] m = p.Matrix(0), dm = e.Matrix(0);
                double x = p.Scalar(1), sum = m[0, 0] + m[1, 1], squares = sum * sum;
                for (int i = 0; i < 2; i++)
                {
                    for (int j = 0; j < 3; j++)
                    {
                        dm[i, j] = 2 * x * x * m[i, j];
                        if (i != 0 || j != 0) squares += m[i, j] * m[i, j];
                    }
                }
                dm[0, 0] = 2 * x * x * sum;
                dm[1, 1] += 2 * x * x * sum;
                e.Ref(1) = 2 * x * squares;
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Jagged_parameter_replaced_element_wise()
    {
        Shape[] shapes = { Shape.Jagged("rows", 3, 1, 2) };
        ArrayCheck.Gradient(shapes,
            p => Arrays.TanhJaggedParameter(p.Jagged(0)),
            (p, g) => Arrays.TanhJaggedParameterGradient(p.Jagged(0), g.Jagged(0)),
            (p, seed, g) => Arrays.TanhJaggedParameterBackward(p.Jagged(0), seed, g.Jagged(0)),
            (p, e) =>
            {
                double[][] r = p.Jagged(0), dr = e.Jagged(0);
                for (int i = 0; i < r.Length; i++)
                {
                    double[] t = r[i].Select(Math.Tanh).ToArray();
                    for (int j = 0; j < t.Length; j++) dr[i][j] = (1 - t[j] * t[j]) * (t[0] + (j == 0 ? t.Sum() : 0));
                }
            },
            ArrayCheck.Points(shapes, -1.5, 1.5));
    }

    [Fact]
    public void Companions_modify_a_parameter_array_exactly_as_the_method_does()
    {
        // ArrayCheck compares the inputs after every companion call with the method's; this states it on one call.
        double[] viaMethod = { 0.5, -1.25, 2.0, 0.75 }, viaGradient = (double[])viaMethod.Clone(), viaBackward = (double[])viaMethod.Clone();
        Arrays.OverwriteParameter(viaMethod, 1.5);
        Arrays.OverwriteParameterGradient(viaGradient, 1.5, new double[4], out _);
        double dx = 0;
        Arrays.OverwriteParameterBackward(viaBackward, 1.5, 1.0, new double[4], ref dx);
        Assert.Equal(new[] { 0.75, -0.5, 3.0, 0.75 }, viaMethod);
        Assert.Equal(viaMethod, viaGradient);
        Assert.Equal(viaMethod, viaBackward);
    }

    // ---- foreach ----

    [Fact]
    public void Foreach_over_a_read_only_span_parameter()
    {
        Shape[] shapes = { Shape.Vector("a", 4), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.ForeachSpanProduct(p.Vector(0), p.Scalar(1)),
            (p, g) => Arrays.ForeachSpanProductGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => Arrays.ForeachSpanProductBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                double x = p.Scalar(1);
                for (int k = 0; k < a.Length; k++)
                {
                    double others = 1;
                    for (int i = 0; i < a.Length; i++)
                    {
                        if (i != k) others *= 1 + a[i] * x;
                    }
                    da[k] = x * others;
                    e.Ref(1) += a[k] * others;
                }
            },
            ArrayCheck.Points(shapes, 0.1, 1.5));
    }

    [Theory]
    [InlineData(100.0)] // never breaks
    [InlineData(1.0)]   // breaks part-way
    [InlineData(0.0)]   // breaks at the first non-negative element
    public void Foreach_over_a_read_only_span_with_break_and_continue(double limit)
    {
        Shape[] shapes = { Shape.Vector("a", 6) };
        ArrayCheck.Gradient(shapes,
            p => Arrays.ForeachSpanBreakContinue(p.Vector(0), limit),
            (p, g) => Arrays.ForeachSpanBreakContinueGradient(p.Vector(0), limit, g.Vector(0)),
            (p, seed, g) => Arrays.ForeachSpanBreakContinueBackward(p.Vector(0), limit, seed, g.Vector(0)),
            (p, e) => BreakContinueGradient(p.Vector(0), e.Vector(0), limit),
            ArrayCheck.Points(shapes, -1, 1.2, count: 8));
    }

    /// <summary>The gradient of Σ aᵢ² over the non-negative aᵢ up to the first partial sum above the limit.</summary>
    internal static void BreakContinueGradient(double[] a, double[] da, double limit)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] < 0) continue;
            s += a[i] * a[i];
            da[i] = 2 * a[i];
            if (s > limit) break;
        }
    }

    // ---- Calls with array arguments ----

    [Fact]
    public void Array_parameters_passed_through_to_a_callee_including_the_same_array_twice()
    {
        Shape[] shapes = { Shape.Vector("a", 4), Shape.Vector("b", 4) };
        ArrayCheck.Gradient(shapes,
            p => Arrays.PassThrough(p.Vector(0), p.Vector(1)),
            (p, g) => Arrays.PassThroughGradient(p.Vector(0), p.Vector(1), g.Vector(0), g.Vector(1)),
            (p, seed, g) => Arrays.PassThroughBackward(p.Vector(0), p.Vector(1), seed, g.Vector(0), g.Vector(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), b = p.Vector(1), da = e.Vector(0), db = e.Vector(1);
                double ab = a.Zip(b, (u, v) => u * v).Sum(), aa = a.Sum(u => u * u);
                for (int i = 0; i < a.Length; i++)
                {
                    da[i] = b[i] * aa + 2 * a[i] * ab;
                    db[i] = a[i] * aa;
                }
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Local_array_passed_to_a_callee()
    {
        Shape[] shapes = { Shape.Vector("a", 4), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.LocalToCallee(p.Vector(0), p.Scalar(1)),
            (p, g) => Arrays.LocalToCalleeGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => Arrays.LocalToCalleeBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                double x = p.Scalar(1);
                for (int i = 0; i < a.Length; i++)
                {
                    da[i] = Math.Cos(a[i] * x) * x * a[i] + Math.Sin(a[i] * x);
                    e.Ref(1) += Math.Cos(a[i] * x) * a[i] * a[i];
                }
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void No_derivative_array_passed_to_callees_as_data()
    {
        double[] w = { 0.5, -1.5, 2.0, 1.0 };
        Shape[] shapes = { Shape.Vector("a", 4), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.DataToCallee(p.Vector(0), p.Scalar(1), w),
            (p, g) => Arrays.DataToCalleeGradient(p.Vector(0), p.Scalar(1), w, g.Vector(0), out g.Ref(1)),
            (p, seed, g) => Arrays.DataToCalleeBackward(p.Vector(0), p.Scalar(1), w, seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                for (int i = 0; i < a.Length; i++) da[i] = 2 * w[i] * a[i] + w[i];
                e.Ref(1) = w.Sum(v => v * v * v);
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Matrix_parameter_and_local_matrix_passed_to_a_callee()
    {
        Shape[] shapes = { Shape.Matrix("m", 3, 3), Shape.Vector("v", 3), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.MatrixToCallee(p.Matrix(0), p.Vector(1), p.Scalar(2)),
            (p, g) => Arrays.MatrixToCalleeGradient(p.Matrix(0), p.Vector(1), p.Scalar(2), g.Matrix(0), g.Vector(1), out g.Ref(2)),
            (p, seed, g) => Arrays.MatrixToCalleeBackward(p.Matrix(0), p.Vector(1), p.Scalar(2), seed, g.Matrix(0), g.Vector(1), ref g.Ref(2)),
            (p, e) =>
            {
                double[,] m = p.Matrix(0), dm = e.Matrix(0);
                double[] v = p.Vector(1), dv = e.Vector(1);
                double x = p.Scalar(2);
                for (int i = 0; i < 3; i++)
                {
                    for (int j = 0; j < 3; j++)
                    {
                        dm[i, j] = (1 + x) * v[i] * v[j];
                        dv[i] += (1 + x) * (m[i, j] + m[j, i]) * v[j];
                        e.Ref(2) += v[i] * m[i, j] * v[j];
                    }
                }
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    // ---- [NoDerivative] array data ----

    private static readonly double[,] DesignMatrix = { { 1.0, 0.5, -0.25 }, { -1.5, 2.0, 0.75 }, { 0.25, -0.5, 1.25 }, { 2.0, 1.0, -1.0 } };
    private static readonly double[] Targets = { 0.5, -1.0, 2.0, 0.25 };

    [Fact]
    public void No_derivative_matrix_and_vector_data()
    {
        Shape[] shapes = { Shape.Vector("w", 3), Shape.Scalar("b") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.LeastSquares(p.Vector(0), p.Scalar(1), DesignMatrix, Targets),
            (p, g) => Arrays.LeastSquaresGradient(p.Vector(0), p.Scalar(1), DesignMatrix, Targets, g.Vector(0), out g.Ref(1)),
            (p, seed, g) => Arrays.LeastSquaresBackward(p.Vector(0), p.Scalar(1), DesignMatrix, Targets, seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] w = p.Vector(0), dw = e.Vector(0);
                double b = p.Scalar(1);
                for (int i = 0; i < Targets.Length; i++)
                {
                    double r = b - Targets[i];
                    for (int j = 0; j < 3; j++) r += DesignMatrix[i, j] * w[j];
                    for (int j = 0; j < 3; j++) dw[j] += 2 * r * DesignMatrix[i, j];
                    e.Ref(1) += 2 * r;
                }
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void No_derivative_arrays_get_no_gradient_parameter()
    {
        string[] Names(string method) => typeof(Arrays).GetMethods().Single(m => m.Name == method).GetParameters().Select(p => p.Name!).ToArray();
        Assert.Equal(new[] { "w", "b", "x", "y", "dw", "db" }, Names(nameof(Arrays.LeastSquaresGradient)));
        Assert.Equal(new[] { "w", "b", "x", "y", "seed", "dw", "db" }, Names(nameof(Arrays.LeastSquaresBackward)));
        Assert.Equal(new[] { "a", "limit", "da" }, Names(nameof(Arrays.ForeachSpanBreakContinueGradient)));
        Assert.Equal(new[] { "a", "x", "w", "seed", "da", "dx" }, Names(nameof(Arrays.DataToCalleeBackward)));

        string[] Softmax(string method, Type element) => typeof(Arrays).GetMethods()
            .Single(m => m.Name == method && m.GetParameters()[0].ParameterType == element.MakeArrayType())
            .GetParameters().Select(p => p.Name!).ToArray();
        Assert.Equal(new[] { "z", "t", "dz" }, Softmax(nameof(Arrays.SoftmaxCrossEntropyGradient), typeof(double)));
        Assert.Equal(new[] { "z", "t", "dz" }, Softmax(nameof(Arrays.SoftmaxCrossEntropyGradient), typeof(float)));
    }

    [Fact]
    public void No_derivative_data_is_not_modified()
    {
        double[,] x = (double[,])DesignMatrix.Clone();
        double[] y = (double[])Targets.Clone();
        Arrays.LeastSquaresGradient(new[] { 0.5, -0.5, 1.0 }, 0.25, x, y, new double[3], out _);
        Assert.Equal(DesignMatrix, x);
        Assert.Equal(Targets, y);
    }

    // ---- Gradient buffers of the wrong length or shape ----

    [Fact]
    public void Vector_gradient_of_the_wrong_length_is_rejected_naming_the_parameter()
    {
        double[] a = { 1, 2, 3 };
        ArrayCheck.RejectsBuffer("da", () => Arrays.WeightedSquaresGradient(a, new double[2]));
        ArrayCheck.RejectsBuffer("da", () => Arrays.WeightedSquaresGradient(a, new double[4]));
        ArrayCheck.RejectsBuffer("da", () => Arrays.WeightedSquaresBackward(a, 1.0, new double[2]));
        ArrayCheck.RejectsBuffer("da", () => Arrays.SpanSinesGradient(a, 0.5, new double[4], out _));
        ArrayCheck.RejectsBuffer("db", () => Arrays.PassThroughGradient(a, new double[] { 4, 5, 6 }, new double[3], new double[2]));
        ArrayCheck.RejectsBuffer("dw", () => Arrays.LeastSquaresGradient(new double[3], 0, DesignMatrix, Targets, new double[4], out _));
        ArrayCheck.RejectsBuffer("dz", () => Arrays.SoftmaxCrossEntropyGradient(new float[3], new float[3], new float[2]));
    }

    [Fact]
    public void Matrix_gradient_of_the_wrong_shape_is_rejected_naming_the_parameter()
    {
        var m = new double[2, 3];
        // 3×2 has the right number of elements but the wrong shape.
        ArrayCheck.RejectsBuffer("dm", () => Arrays.BilinearGradient(m, new double[2], new double[3], new double[3, 2], new double[2], new double[3]));
        ArrayCheck.RejectsBuffer("dm", () => Arrays.BilinearBackward(m, new double[2], new double[3], 1.0, new double[2, 2], new double[2], new double[3]));
        ArrayCheck.RejectsBuffer("du", () => Arrays.BilinearGradient(m, new double[2], new double[3], new double[2, 3], new double[3], new double[3]));
    }

    [Fact]
    public void Jagged_gradient_of_the_wrong_shape_is_rejected_naming_the_parameter()
    {
        double[][] rows = { new double[] { 1, 2 }, new double[] { 3 } };
        ArrayCheck.RejectsBuffer("drows", () => Arrays.RowNormsGradient(rows, new[] { new double[2] }));
        ArrayCheck.RejectsBuffer("drows", () => Arrays.RowNormsGradient(rows, new[] { new double[2], new double[2] }));
        ArrayCheck.RejectsBuffer("drows", () => Arrays.RowNormsBackward(rows, 1.0, new[] { new double[1], new double[2] }));
    }

    // ---- Accumulation ----

    [Fact]
    public void Backward_accumulates_array_gradients_over_a_minibatch()
    {
        // One buffer for the weights, several calls: the sum of the per-sample gradients, added to what was there.
        double[] w = { 0.5, -1.0, 0.25, 2.0 };
        double[][] batch = { new[] { 1.0, 0.0, 2.0, -1.0 }, new[] { -0.5, 1.5, 0.0, 0.5 }, new[] { 0.25, 0.25, -1.0, 1.0 } };
        double[] dw = { 1, 1, 1, 1 }, expected = { 1, 1, 1, 1 };
        foreach (double[] t in batch)
        {
            Arrays.PassThroughBackward(w, t, 0.5, dw, new double[4]);
            var g = new double[4];
            Arrays.PassThroughGradient(w, t, g, new double[4]);
            for (int i = 0; i < 4; i++) expected[i] += 0.5 * g[i];
        }
        for (int i = 0; i < 4; i++) Check.Close(expected[i], dw[i], 1e-12, $"dw[{i}]");
    }

    // ---- Loops over arrays ----

    [Fact]
    public void Matrix_vector_product_then_tanh_then_sum_of_squares()
    {
        Shape[] shapes = { Shape.Matrix("w", 3, 4), Shape.Vector("x", 4), Shape.Vector("b", 3) };
        ArrayCheck.Gradient(shapes,
            p => Arrays.MatVecTanh(p.Matrix(0), p.Vector(1), p.Vector(2)),
            (p, g) => Arrays.MatVecTanhGradient(p.Matrix(0), p.Vector(1), p.Vector(2), g.Matrix(0), g.Vector(1), g.Vector(2)),
            (p, seed, g) => Arrays.MatVecTanhBackward(p.Matrix(0), p.Vector(1), p.Vector(2), seed, g.Matrix(0), g.Vector(1), g.Vector(2)),
            MatVecTanhExact,
            ArrayCheck.Points(shapes, -1, 1));
    }

    [Fact]
    public void Matrix_vector_product_then_tanh_then_sum_of_squares_in_float()
    {
        Shape[] shapes = { Shape.Matrix("w", 3, 4), Shape.Vector("x", 4), Shape.Vector("b", 3) };
        ArrayCheck.Gradient(shapes,
            p => Arrays.MatVecTanh(p.MatrixF(0), p.VectorF(1), p.VectorF(2)),
            (p, g) => Arrays.MatVecTanhGradient(p.MatrixF(0), p.VectorF(1), p.VectorF(2), g.MatrixF(0), g.VectorF(1), g.VectorF(2)),
            (p, seed, g) => Arrays.MatVecTanhBackward(p.MatrixF(0), p.VectorF(1), p.VectorF(2), (float)seed, g.MatrixF(0), g.VectorF(1), g.VectorF(2)),
            MatVecTanhExact,
            ArrayCheck.Points(shapes, -1, 1), Precision.Float);
    }

    private static void MatVecTanhExact(Args p, Args e)
    {
        double[,] w = p.Matrix(0), dw = e.Matrix(0);
        double[] x = p.Vector(1), b = p.Vector(2), dx = e.Vector(1), db = e.Vector(2);
        for (int i = 0; i < 3; i++)
        {
            double z = b[i];
            for (int j = 0; j < 4; j++) z += w[i, j] * x[j];
            double h = Math.Tanh(z), dz = 2 * h * (1 - h * h);
            db[i] = dz;
            for (int j = 0; j < 4; j++)
            {
                dw[i, j] = dz * x[j];
                dx[j] += dz * w[i, j];
            }
        }
    }

    [Fact]
    public void Max_pooling_by_a_branch_choosing_the_larger_element()
    {
        // An odd length: the last element is never pooled and has zero gradient.
        Shape[] shapes = { Shape.Vector("a", 7) };
        ArrayCheck.Gradient(shapes,
            p => Arrays.MaxPoolPairs(p.Vector(0)),
            (p, g) => Arrays.MaxPoolPairsGradient(p.Vector(0), g.Vector(0)),
            (p, seed, g) => Arrays.MaxPoolPairsBackward(p.Vector(0), seed, g.Vector(0)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                for (int k = 0; k < 3; k++)
                {
                    int chosen = a[2 * k] > a[2 * k + 1] ? 2 * k : 2 * k + 1;
                    da[chosen] = 2 * (k + 1) * a[chosen];
                }
            },
            ArrayCheck.Points(shapes, -2, 2, count: 8));
    }

    [Fact]
    public void Element_read_at_an_index_chosen_by_comparisons()
    {
        Shape[] shapes = { Shape.Vector("a", 5), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => Arrays.ArgMaxTimes(p.Vector(0), p.Scalar(1)),
            (p, g) => Arrays.ArgMaxTimesGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => Arrays.ArgMaxTimesBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                int best = Array.IndexOf(a, a.Max());
                da[best] += p.Scalar(1);
                da[0] += 1;
                e.Ref(1) = a[best];
            },
            ArrayCheck.Points(shapes, -2, 2, count: 8));
    }

    private static readonly double[] SoftmaxTargets = { 0.25, 1.5, 0.0, 0.5, 0.75 };

    [Fact]
    public void Softmax_over_a_local_array_then_cross_entropy()
    {
        Shape[] shapes = { Shape.Vector("z", 5) };
        ArrayCheck.Gradient(shapes,
            p => Arrays.SoftmaxCrossEntropy(p.Vector(0), SoftmaxTargets),
            (p, g) => Arrays.SoftmaxCrossEntropyGradient(p.Vector(0), SoftmaxTargets, g.Vector(0)),
            (p, seed, g) => Arrays.SoftmaxCrossEntropyBackward(p.Vector(0), SoftmaxTargets, seed, g.Vector(0)),
            SoftmaxCrossEntropyExact,
            ArrayCheck.Points(shapes, -3, 3));
    }

    [Fact]
    public void Softmax_over_a_local_array_then_cross_entropy_in_float()
    {
        Shape[] shapes = { Shape.Vector("z", 5) };
        float[] targets = SoftmaxTargets.Select(t => (float)t).ToArray();
        ArrayCheck.Gradient(shapes,
            p => Arrays.SoftmaxCrossEntropy(p.VectorF(0), targets),
            (p, g) => Arrays.SoftmaxCrossEntropyGradient(p.VectorF(0), targets, g.VectorF(0)),
            (p, seed, g) => Arrays.SoftmaxCrossEntropyBackward(p.VectorF(0), targets, (float)seed, g.VectorF(0)),
            SoftmaxCrossEntropyExact,
            ArrayCheck.Points(shapes, -3, 3), Precision.Float);
    }

    private static void SoftmaxCrossEntropyExact(Args p, Args e)
    {
        double[] z = p.Vector(0), dz = e.Vector(0);
        double[] softmax = Softmax(z);
        for (int k = 0; k < z.Length; k++) dz[k] = softmax[k] * SoftmaxTargets.Sum() - SoftmaxTargets[k];
    }

    [Fact]
    public void Softmax_weighted_mean_of_a_read_only_span_in_float()
    {
        Shape[] shapes = { Shape.Vector("z", 4), Shape.Vector("v", 4) };
        ArrayCheck.Gradient(shapes,
            p => Arrays.SoftmaxMean(p.VectorF(0), p.VectorF(1)),
            (p, g) => Arrays.SoftmaxMeanGradient(p.VectorF(0), p.VectorF(1), g.VectorF(0), g.VectorF(1)),
            (p, seed, g) => Arrays.SoftmaxMeanBackward(p.VectorF(0), p.VectorF(1), (float)seed, g.VectorF(0), g.VectorF(1)),
            (p, e) =>
            {
                double[] z = p.Vector(0), v = p.Vector(1), dz = e.Vector(0), dv = e.Vector(1);
                double[] s = Softmax(z);
                double mean = s.Zip(v, (a, b) => a * b).Sum();
                for (int k = 0; k < z.Length; k++)
                {
                    dz[k] = s[k] * (v[k] - mean);
                    dv[k] = s[k];
                }
            },
            ArrayCheck.Points(shapes, -2, 2), Precision.Float);
    }

    private static double[] Softmax(double[] z)
    {
        double[] e = z.Select(Math.Exp).ToArray();
        double total = e.Sum();
        return e.Select(v => v / total).ToArray();
    }

    /// <summary>The exact gradient of g(a, x) by forward-mode dual numbers, one pass per input.</summary>
    private static void ByDuals(double[] a, double x, double[] da, ref double dx, Func<Dual[], Dual, Dual> g)
    {
        for (int k = 0; k < a.Length; k++)
        {
            da[k] = g(a.Select((v, i) => new Dual(v, i == k ? 1 : 0)).ToArray(), Dual.Constant(x)).D;
        }
        dx = g(a.Select(Dual.Constant).ToArray(), Dual.Variable(x)).D;
    }

    // ---- Writes into an array parameter the reverse sweep must restore to read (ArrayCheck checks a is left as M leaves it) ----

    /// <summary>∂/∂aᵢ = ¼ sech²(aᵢ)(q + L) + [i = n−1]·q and ∂/∂p = q + L, with q = p + ¼Σ tanh aⱼ and L = a[n−1] + q.</summary>
    private static void AfterRecomputedLoopExact(Args p, Args e)
    {
        double[] a = p.Vector(0), da = e.Vector(0);
        double q = p.Scalar(1) + a.Sum(v => 0.25 * Math.Tanh(v)), last = a[^1] + q;
        for (int i = 0; i < a.Length; i++) da[i] = 0.25 * (1 - Math.Tanh(a[i]) * Math.Tanh(a[i])) * (q + last) + (i == a.Length - 1 ? q : 0);
        e.Ref(1) = q + last;
    }

    /// <summary>ArrayCheck over (a of 4, p) against <see cref="AfterRecomputedLoopExact"/>: a is checked after both companions.</summary>
    private static void CheckAfterRecomputedLoop(Func<Args, double> f, Func<Args, Args, double> gradient, Func<Args, double, Args, double> backward)
    {
        Shape[] shapes = { Shape.Vector("a", 4), Shape.Scalar("p") };
        ArrayCheck.Gradient(shapes, f, gradient, backward, AfterRecomputedLoopExact, ArrayCheck.Points(shapes, -1.5, 1.5));
    }

    [Fact]
    public void Array_parameter_written_after_a_loop_recomputed_in_reverse_is_left_as_the_method_leaves_it() =>
        CheckAfterRecomputedLoop(p => ArrayParameterWrites.AfterRecomputedLoop(p.Vector(0), p.Scalar(1)),
            (p, g) => ArrayParameterWrites.AfterRecomputedLoopGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => ArrayParameterWrites.AfterRecomputedLoopBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)));

    [Fact]
    public void Generic_array_parameter_written_after_a_loop_recomputed_in_reverse_is_left_as_the_method_leaves_it() =>
        CheckAfterRecomputedLoop(p => ArrayParameterWrites.AfterRecomputedLoopGeneric(p.Vector(0), p.Scalar(1)),
            (p, g) => ArrayParameterWrites.AfterRecomputedLoopGenericGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => ArrayParameterWrites.AfterRecomputedLoopGenericBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)));

    [Fact]
    public void Array_parameter_written_through_a_view_after_a_loop_recomputed_in_reverse_is_left_as_the_method_leaves_it() =>
        CheckAfterRecomputedLoop(p => ArrayParameterWrites.ThroughViewAfterRecomputedLoop(p.Vector(0), p.Scalar(1)),
            (p, g) => ArrayParameterWrites.ThroughViewAfterRecomputedLoopGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => ArrayParameterWrites.ThroughViewAfterRecomputedLoopBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)));
}
