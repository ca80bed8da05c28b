using System.Collections.Immutable;
using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Arrays (design.md): reading an active a[i] accumulates into da[i]; a write restores the old element when needed;
/// local arrays get adjoint arrays; parameter arrays' adjoints are the caller's gradient buffers (or a local adjoint
/// added into them when the method writes the array).
/// </summary>
public class ArrayTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);
    private static readonly IrType Matrix = IrType.ArrayOf(IrType.Double, ArrayLayout.Matrix);
    private static readonly IrType Jagged = IrType.ArrayOf(IrType.Double, ArrayLayout.Jagged);

    private static GradientRun Check(IrFunction f, object?[] args)
    {
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args);
        for (int i = 0; i < args.Length; i++)
        {
            if (f.Parameters[i].IsDifferentiableParameter && f.Parameters[i].Type.Kind == IrTypeKind.Array)
            {
                GradientCheck.AssertArrayGradient(f, args, i, (Array)run.Gradients[i]!);
            }
        }
        return run;
    }

    [Fact]
    public void Sum_of_squares_of_a_parameter_array()
    {
        var b = new IrBuilder("SumSquares");
        Var a = b.Param("a", Vector);
        Var s = b.Local("s", 0.0);
        b.For("i", 0, a.Length, i => b.Assign(s, s + a[i] * a[i]));
        b.Return(s);
        double[] values = { 0.5, -1.25, 2.0 };
        GradientRun run = Check(b.Build(), new object?[] { values });
        Assert.Equal(values.Select(v => 2 * v).ToArray(), (double[])run.Gradients[0]!);
    }

    [Fact]
    public void Dot_product_with_a_passive_array()
    {
        var b = new IrBuilder("Dot");
        Var w = b.Param("w", Vector);
        Var x = b.Param("x", Vector, differentiable: false);
        Var s = b.Local("s", 0.0);
        b.For("i", 0, w.Length, i => b.Assign(s, s + w[i] * x[i]));
        b.Return(s * s);
        double[] weights = { 0.3, -0.7, 1.1 }, data = { 2.0, 0.5, -1.0 };
        GradientRun run = Check(b.Build(), new object?[] { weights, data });
        Assert.Null(run.Gradients[1]);
    }

    [Fact]
    public void Local_array_written_then_read()
    {
        // c = new double[n]; for i: c[i] = a[i] · x; for i: s = s + c[i] · c[i]
        var b = new IrBuilder("LocalArray");
        Var a = b.Param("a", Vector);
        Var x = b.Param("x");
        Var c = b.Local("c", IrBuilder.NewArray(Vector, a.Length));
        Var s = b.Local("s", 0.0);
        b.For("i", 0, a.Length, i => b.SetElement(c, new[] { (E)i }, a[i] * x));
        b.For("j", 0, a.Length, j => b.Assign(s, s + c[j] * c[j]));
        b.Return(s);
        Check(b.Build(), new object?[] { new[] { 0.5, -1.5, 0.75 }, 1.3 });
    }

    [Fact]
    public void Local_jagged_array_with_rows_assigned_in_a_loop()
    {
        // t = new double[n][]; for i: { t[i] = new double[2]; t[i][0] = a[i] · x; t[i][1] = a[i]; } s = Σ t[i][0] · t[i][1]
        var b = new IrBuilder("JaggedLocal");
        Var a = b.Param("a", Vector);
        Var x = b.Param("x");
        Var t = b.Local("t", IrBuilder.NewArray(Jagged, a.Length));
        Var s = b.Local("s", 0.0);
        b.For("i", 0, a.Length, i =>
        {
            b.Add(new IrElementWrite(t, ImmutableArray.Create<IrExpression>(new IrVariableReference(i)),
                new IrNewArray(Vector, ImmutableArray.Create<IrExpression>(IrConstant.Of(2)))));
            b.SetElement(t, new[] { (E)i, 0 }, a[i] * x);
            b.SetElement(t, new[] { (E)i, 1 }, a[i]);
        });
        b.For("j", 0, a.Length, j => b.Assign(s, s + t[j, 0] * t[j, 1]));
        b.Return(s);
        double[] values = { 0.5, -1.5, 0.75 };
        GradientRun run = Check(b.Build(), new object?[] { values, 1.3 });
        Assert.Equal(values.Select(v => 2 * v * 1.3).ToArray(), (double[])run.Gradients[0]!);
        Assert.Equal(values.Sum(v => v * v), (double)run.Gradients[1]!, 12);
    }

    [Fact]
    public void One_element_overwritten_in_a_loop()
    {
        // c = new double[1]; c[0] = 1; for i: c[0] = c[0] · a[i]   → ∏ a
        var b = new IrBuilder("Product");
        Var a = b.Param("a", Vector);
        Var c = b.Local("c", IrBuilder.NewArray(Vector, 1));
        b.SetElement(c, new E[] { 0 }, 1.0);
        b.For("i", 0, a.Length, i => b.SetElement(c, new E[] { 0 }, c[0] * a[i]));
        b.Return(c[0]);
        double[] values = { 0.5, -2.0, 1.5, 3.0 };
        GradientRun run = Check(b.Build(), new object?[] { values });
        double product = values.Aggregate(1.0, (p, v) => p * v);
        Assert.Equal(values.Select(v => product / v).ToArray(), (double[])run.Gradients[0]!);
    }

    [Fact]
    public void Parameter_array_written_in_place()
    {
        // for i: a[i] = sin(a[i]) · a[i]; s = Σ a[i]²   (the method writes its input: a local adjoint is added into da)
        var b = new IrBuilder("InPlace");
        Var a = b.Param("a", Vector);
        Var s = b.Local("s", 0.0);
        b.For("i", 0, a.Length, i => b.SetElement(a, new[] { (E)i }, M.Sin(a[i]) * a[i]));
        b.For("j", 0, a.Length, j => b.Assign(s, s + a[j] * a[j]));
        b.Return(s);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.False(program.Prologue.IsEmpty, "a written parameter array gets a local adjoint\n" + IrPrinter.Print(program));
        Assert.False(program.Epilogue.IsEmpty);
        // The local adjoint goes into the caller's gradient through a typed buffer operation, not C# text, so a second
        // transform and this interpreter know what it reads and writes.
        Assert.Contains(IrQuery.All(program.Epilogue), s => s is IrEffect { Expression: IrBufferCall { Operation: BufferOperation.AddTo } });
        Assert.DoesNotContain(IrQuery.All(program.Prologue).Concat(IrQuery.All(program.Epilogue)), s => s is IrEffect { Expression: IrOpaque });
        double[] values = { 0.4, -0.9, 1.7 };
        GradientRun run = Check(f, new object?[] { values });
        Assert.Equal(new[] { 0.4, -0.9, 1.7 }, values); // the caller's array is not touched by the interpreter
        Assert.NotNull(run.Gradients[0]);
    }

    [Fact]
    public void Matrix_and_jagged_parameters()
    {
        // f(m, j) = Σ_ik (i + 1) · m[i, k]² + m[i, k] · j[i][k]
        var b = new IrBuilder("Grids");
        Var m = b.Param("m", Matrix);
        Var jag = b.Param("j", Jagged);
        Var s = b.Local("s", 0.0);
        b.For("i", 0, 2, i => b.For("k", 0, 3, k =>
            b.Assign(s, s + (i + 1).To(IrType.Double) * m[i, k] * m[i, k] + m[i, k] * jag[i, k])));
        b.Return(s);
        var matrix = new double[2, 3] { { 0.1, -0.2, 0.3 }, { 1.1, 0.7, -0.5 } };
        var jagged = new[] { new[] { 0.5, 0.25, -1.0 }, new[] { 2.0, -0.75, 0.125 } };
        Check(b.Build(), new object?[] { matrix, jagged });
    }
}
