using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Engine.Tests.Property;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Passes;
using AutoDiffGen.Generator.Engine.Tangent;

namespace AutoDiffGen.Engine.Tests.Passes;

/// <summary>
/// The pass that shares repeated reads of one array element (Passes/SharedElementReads.cs): reads of the same element
/// with nothing in between that could change it share one load; a write to the array, a write through any other array
/// of that element type (it may be the same array), a new index or a new holder value stops the sharing. Each program is
/// also run: the value, the gradient (against the exact one and finite differences) and the tangent must not change.
/// </summary>
public class SharedElementReadsTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    private static int ElementReads(IrFunction f) => IrQuery.Expressions(f.Body).Count(e => e is IrElementRead);

    /// <summary><c>_t = array[index];</c> into a fresh temporary, as lowering writes an element read (IrBuilder.Temp would copy it once more).</summary>
    private static Var Load(IrBuilder b, Var array, Var index)
    {
        Var temporary = b.Variable("_t", array.Type.Element!, IrVariableRole.Temporary);
        b.Add(new IrAssign(temporary, array[index].Node));
        return temporary;
    }

    /// <summary>A program and how many reads the pass shared in it.</summary>
    private sealed record TwoLoads(IrFunction Function, Var X, Var? Other, Var T2, int Shared);

    /// <summary>
    /// <c>F(x[, o]) { k = index; t1 = x[k]; between(b, x, o, k, t1); t2 = x[k]; return combine(t1, t2); }</c>, <c>o</c> a passive parameter of
    /// type <paramref name="other"/> when given; then the pass runs on it.
    /// </summary>
    private static TwoLoads LoadTwice(string name, int index, Action<IrBuilder, Var, Var?, Var, Var> between, Func<Var, Var, E> combine, IrType? other = null)
    {
        var b = new IrBuilder(name);
        Var x = b.Param("x", Vector);
        Var? o = other is null ? null : b.Param("o", other, differentiable: false);
        Var k = b.Local("k", index, IrType.Int);
        Var t1 = Load(b, x, k);
        between(b, x, o, k, t1);
        Var t2 = Load(b, x, k);
        b.Return(combine(t1, t2));
        IrFunction f = b.Build();
        Assert.Equal(2, ElementReads(f));
        return new TwoLoads(f, x, o, t2, SharedElementReads.Run(f.Body));
    }

    [Fact]
    public void Repeated_reads_of_one_element_share_one_load()
    {
        // t1 = x[k]; t2 = x[k]; return t1 · t2 + t2   (k = 1): f = x₁² + x₁, ∂f/∂x₁ = 2x₁ + 1
        var (f, _, _, t2, shared) = LoadTwice("Square", 1, (_, _, _, _, _) => { }, (t1, t2) => t1 * t2 + t2);
        Assert.Equal(1, shared);
        Assert.Equal(1, ElementReads(f));
        Assert.False(IrQuery.Reads(f.Body, t2), IrPrinter.Print(f));
        var args = new object?[] { new[] { 0.5, -1.5, 2.0 } };
        Assert.Equal(-1.5 * -1.5 - 1.5, IrRunner.RunDouble(f, args));
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args);
        GradientCheck.AssertArrayGradient(f, args, 0, (Array)run.Gradients[0]!);
        Assert.Equal(new[] { 0.0, 2 * -1.5 + 1, 0.0 }, (double[])run.Gradients[0]!);
        TangentProgram tangent = TangentRunner.Differentiate(f);
        Assert.Equal(1, IrQuery.Expressions(tangent.Body).Count(e => e is IrElementRead { Array: IrVariableReference { Variable.GradientParameterOf: not null } }));
        TangentRun along = TangentRunner.Tangent(tangent, args, new object?[] { new[] { 0.0, 1.0, 0.0 } });
        Assert.Equal(2 * -1.5 + 1, along.TangentValue);
    }

    [Fact]
    public void Reads_in_a_loop_body_share_within_each_iteration()
    {
        // Rosenbrock: Σ (1 − xᵢ)² + 100 (xᵢ₊₁ − xᵢ·xᵢ)², xᵢ read three times per iteration.
        var b = new IrBuilder("Rosenbrock");
        Var x = b.Param("x", Vector);
        Var sum = b.Local("sum", 0.0);
        b.For("i", 0, x.Length - 1, i =>
        {
            Var a = b.Local("a", 1.0 - x[i]);
            Var c = b.Local("c", x[i + 1] - x[i] * x[i]);
            b.Assign(sum, sum + a * a + 100.0 * c * c);
        });
        b.Return(sum);
        IrFunction f = b.Build();
        Assert.Equal(4, ElementReads(f));

        Assert.Equal(2, SharedElementReads.Run(f.Body));

        Assert.Equal(2, ElementReads(f));
        double[] point = { 0.3, -0.7, 1.2, 0.9 };
        var args = new object?[] { point };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args);
        GradientCheck.AssertArrayGradient(f, args, 0, (Array)run.Gradients[0]!);
        double[] exact = new double[point.Length];
        for (int i = 0; i < point.Length - 1; i++)
        {
            double cc = point[i + 1] - point[i] * point[i];
            exact[i] += -2 * (1 - point[i]) - 400 * cc * point[i];
            exact[i + 1] += 200 * cc;
        }
        double[] gradient = (double[])run.Gradients[0]!;
        for (int i = 0; i < point.Length; i++) GradientCheck.AssertClose(exact[i], gradient[i], 1e-14, 1e-14, "∂f/∂x" + i);
        // Forward and reverse agree: ⟨∇f, v⟩ = the tangent along v.
        double[] v = { 0.2, -1.0, 0.5, 0.25 };
        TangentRun along = TangentRunner.Tangent(TangentRunner.Differentiate(f), args, new object?[] { v });
        GradientCheck.AssertClose(gradient.Zip(v, (g, w) => g * w).Sum(), along.TangentValue, 1e-14, 1e-14, "dot-product test");
    }

    [Fact]
    public void A_write_to_the_array_in_between_stops_sharing()
    {
        // t1 = x[k]; x[k] = 3 · t1; t2 = x[k]; return t1 · t2   (= 3 x₁²)
        var (f, _, _, _, shared) = LoadTwice("Written", 1, (b, x, _, k, t1) => b.SetElement(x, new E[] { k }, 3.0 * t1), (t1, t2) => t1 * t2);
        Assert.Equal(0, shared);
        var args = new object?[] { new[] { 0.5, 2.0 } };
        Assert.Equal(12.0, IrRunner.RunDouble(f, args));
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args);
        Assert.Equal(new[] { 0.0, 12.0 }, (double[])run.Gradients[0]!);
    }

    [Fact]
    public void A_write_through_another_array_of_the_element_type_stops_sharing()
    {
        // t1 = x[k]; o[0] = 5; t2 = x[k]; return t1 + t2 — o may be x itself (the caller passes one array twice).
        var (f, x, o, _, shared) = LoadTwice("Aliased", 0, (b, _, o, _, _) => b.SetElement(o!, new E[] { 0 }, 5.0), (t1, t2) => t1 + t2, Vector);
        Assert.Equal(0, shared);
        // One array bound to both parameters (IrRunner copies each argument, which would hide the aliasing).
        double[] array = { 2.0, 1.0 };
        var interpreter = new IrInterpreter();
        interpreter.Set(x, array);
        interpreter.Set(o!, array);
        interpreter.Execute(f.Body);
        Assert.Equal(2.0 + 5.0, IrValues.ToDouble(interpreter.Get(f.Result)));
        Assert.Equal(4.0, IrRunner.RunDouble(f, new[] { 2.0, 1.0 }, new[] { 0.0, 0.0 }));
    }

    [Fact]
    public void A_write_to_an_array_of_another_element_type_keeps_sharing()
    {
        // t1 = x[k]; o[0] = 7 (an int array cannot alias a double array); t2 = x[k]
        var (f, _, _, _, shared) = LoadTwice("OtherType", 0, (b, _, o, _, _) => b.SetElement(o!, new E[] { 0 }, 7), (t1, t2) => t1 * t2,
            IrType.ArrayOf(IrType.Int, ArrayLayout.Vector));
        Assert.Equal(1, shared);
        Assert.Equal(9.0, IrRunner.RunDouble(f, new[] { 3.0 }, new[] { 0 }));
    }

    [Fact]
    public void Changing_the_index_stops_sharing()
    {
        // t1 = x[k]; k = k + 1; t2 = x[k]; return t1 · t2   (= x₀ x₁)
        var (f, _, _, _, shared) = LoadTwice("Moved", 0, (b, _, _, k, _) => b.Assign(k, k + 1), (t1, t2) => t1 * t2);
        Assert.Equal(0, shared);
        var args = new object?[] { new[] { 2.0, 3.0 } };
        Assert.Equal(6.0, IrRunner.RunDouble(f, args));
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args);
        Assert.Equal(new[] { 3.0, 2.0 }, (double[])run.Gradients[0]!);
    }

    [Fact]
    public void Reassigning_the_holder_stops_sharing()
    {
        // xi = x[k]; xi = xi · 2; t = x[k]; return xi + t   (= 3 x₀): xi no longer holds the element.
        var b = new IrBuilder("Holder");
        Var x = b.Param("x", Vector);
        Var k = b.Local("k", 0, IrType.Int);
        Var xi = b.Local("xi", x[k]);
        b.Assign(xi, xi * 2.0);
        Var t = Load(b, x, k);
        b.Return(xi + t);
        IrFunction f = b.Build();

        Assert.Equal(0, SharedElementReads.Run(f.Body));

        Assert.Equal(6.0, IrRunner.RunDouble(f, new object?[] { new[] { 2.0 } }));
    }

    [Fact]
    public void A_read_in_a_branch_does_not_share_with_one_before_it_and_a_write_in_the_branch_stops_sharing_after_it()
    {
        // t1 = x[k]; if (t1 > 0) { x[k] = 1; t2 = x[k] (own block: not shared) }; t3 = x[k] (after the write: not shared)
        var b = new IrBuilder("Branchy");
        Var x = b.Param("x", Vector);
        Var s = b.Local("s", 0.0);
        Var k = b.Local("k", 0, IrType.Int);
        Var t1 = Load(b, x, k);
        b.If(t1 > 0.0, () =>
        {
            b.SetElement(x, new E[] { k }, 1.0);
            Var t2 = Load(b, x, k);
            b.Assign(s, s + t2);
        });
        Var t3 = Load(b, x, k);
        b.Return(s + t1 * t3);
        IrFunction f = b.Build();

        Assert.Equal(0, SharedElementReads.Run(f.Body));

        Assert.Equal(1.0 + 2.0 * 1.0, IrRunner.RunDouble(f, new object?[] { new[] { 2.0 } }));
    }

    [Fact]
    public void Random_array_programs_compute_the_same_value_gradient_and_tangent_after_the_pass()
    {
        // RandomArrayProgramTests' programs (parameter writes, scratch buffers, loop nests, repeated x[i] reads), each
        // built twice from its seed: the one the pass rewrote must agree with the other at both points.
        int shared = 0, programs = 0;
        for (int seed = 11_000; seed < 11_080; seed++)
        {
            var (original, points) = RandomArrayProgramTests.Generate(seed);
            var (rewritten, _) = RandomArrayProgramTests.Generate(seed);
            int count = SharedElementReads.Run(rewritten.Body);
            shared += count;
            if (count > 0) programs++;
            foreach (object?[] point in points)
            {
                string where = "seed " + seed + "\n" + IrPrinter.Print(rewritten);
                Assert.True(Equals(IrRunner.Run(original, point), IrRunner.Run(rewritten, point)), where);
                GradientRun before = IrRunner.Gradient(IrRunner.Differentiate(original), point);
                GradientRun after = IrRunner.Gradient(IrRunner.Differentiate(rewritten), point);
                double[] expected = (double[])before.Gradients[0]!, actual = (double[])after.Gradients[0]!;
                for (int i = 0; i < expected.Length; i++) GradientCheck.AssertClose(expected[i], actual[i], 1e-12, 1e-12, "∂/∂x" + i + " of " + where);
                GradientCheck.AssertClose(before.Gradient(1), after.Gradient(1), 1e-12, 1e-12, "∂/∂y of " + where);
                double[] v = expected.Select((_, i) => 0.5 - 0.25 * i).ToArray();
                TangentRun along = TangentRunner.Tangent(TangentRunner.Differentiate(rewritten), point, new object?[] { v, 0.75 });
                double dot = actual.Zip(v, (g, w) => g * w).Sum() + 0.75 * after.Gradient(1);
                GradientCheck.AssertClose(dot, along.TangentValue, 1e-10, 1e-10, "dot-product test of " + where);
            }
        }
        // Not vacuous: most programs read some x[i] twice in one statement.
        Assert.True(programs >= 10, programs + " of 80 programs had a read shared (" + shared + " reads)");
    }
}
