using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// The decision ReverseModeTransform.Spans.cs takes for a TensorPrimitives map whose destination's array is also read by
/// the call, pinned on small IR (the generator snapshot SpanInPlaceAdjointTests shows it in generated text only):
/// <list type="bullet">
/// <item>the destination is structurally the same view as exactly one input, of a rule that supports it: that input's
/// contribution updates the seed g in place — no pooled copy of g, no clearing of the adjoint view;</item>
/// <item>the views differ (another start, another length), or two inputs share the array: g is copied to a pooled buffer
/// first and the adjoint view cleared;</item>
/// <item>no input reads the destination's array: g is used directly, then the view is cleared (nothing to copy).</item>
/// </list>
/// The interpreter does not run span calls, so these tests check the shape only; the values are checked by the Integration
/// tests (TensorPrimitivesTests.InPlace) and the random programs, which draw in-place maps.
/// </summary>
public class SpanInPlaceAdjointDecisionTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);
    private static readonly IrType SpanOf = IrType.ArrayOf(IrType.Double, ArrayLayout.Span);
    private static readonly IrType ReadOnlySpanOf = IrType.ArrayOf(IrType.Double, ArrayLayout.ReadOnlySpan);
    private static readonly IrType Void = new(IrTypeKind.Other, "void");

    private enum Path { InPlace, Copy, Direct }

    /// <summary>A view of <paramref name="array"/>: the whole of it when start and length are null.</summary>
    private static IrSpan View(Var array, IrType spanType, IrExpression? start = null, IrExpression? length = null) =>
        new(new IrVariableReference(array.Variable), start, length, spanType);

    private static IrExpression LengthOf(Var array) => new IrOpaque("{0}.Length", ImmutableArray.Create<IrExpression>(new IrVariableReference(array.Variable)), IrType.Int);

    private static IrExpression Minus(IrExpression a, int b) => new IrBinary(IrBinaryOperator.Subtract, a, IrConstant.Of(b), IrType.Int);

    /// <summary>
    /// F(h, g, w) = Dot(h, w) after <c>function(inputs(h, g)…, destination(h))</c>: h and g active, w passive. The reverse
    /// program's span store path, read off its statements.
    /// </summary>
    private static (Path Path, string Printed) Decide(SpanFunction function, System.Func<Var, Var, IrSpan[]> inputs, System.Func<Var, IrSpan> destination)
    {
        var b = new IrBuilder("Layer");
        Var h = b.Param("h", Vector);
        Var g = b.Param("g", Vector);
        Var w = b.Param("w", Vector, differentiable: false);
        var arguments = inputs(h, g).Cast<IrExpression>().Append(destination(h)).ToImmutableArray();
        b.Add(new IrSpanStore(new IrSpanCall(function, arguments, Void)));
        Var dot = b.Temp(new E(new IrSpanCall(SpanFunction.Dot, ImmutableArray.Create<IrExpression>(View(h, ReadOnlySpanOf), View(w, ReadOnlySpanOf)), IrType.Double)));
        b.Return(dot);
        ReverseProgram program = IrRunner.Differentiate(b.Build());
        string printed = IrPrinter.Print(program);
        IrVariable? adjoint = program.Adjoints.TryGetValue(h.Variable, out IrVariable? a) ? a : null;
        var statements = IrQuery.All(program.Reverse).ToList();
        bool copied = statements.OfType<IrAssign>().Any(s => s.Target.PreferredName.Contains("_seed"));
        bool cleared = statements.SelectMany(IrWalker.ExpressionsOf).SelectMany(IrQuery.Subtree).OfType<IrBufferCall>()
            .Any(c => c.Operation == BufferOperation.ClearSpan && c.Arguments.OfType<IrSpan>().Any(v => v.Variable == adjoint));
        Path path = copied ? Path.Copy : cleared ? Path.Direct : Path.InPlace;
        Assert.True(adjoint is not null, printed);
        Assert.False(copied && !cleared, "a copied seed clears the adjoint view after the copy:\n" + printed);
        return (path, printed);
    }

    [Fact]
    public void Tanh_of_h_into_h_updates_the_seed_in_place()
    {
        var (path, printed) = Decide(SpanFunction.Tanh, (h, _) => new[] { View(h, ReadOnlySpanOf) }, h => View(h, SpanOf));
        Assert.True(path == Path.InPlace, printed);
    }

    [Fact]
    public void Add_into_its_first_input_updates_the_seed_in_place()
    {
        var (path, printed) = Decide(SpanFunction.Add, (h, g) => new[] { View(h, ReadOnlySpanOf), View(g, ReadOnlySpanOf) }, h => View(h, SpanOf));
        Assert.True(path == Path.InPlace, printed);
    }

    [Fact]
    public void Views_written_differently_but_the_same_elements_are_the_same_view()
    {
        // h[0 .. +h.Length] read, h (whole) written: a missing start is 0, a missing length the whole array.
        var (path, printed) = Decide(SpanFunction.Tanh, (h, _) => new[] { View(h, ReadOnlySpanOf, IrConstant.Of(0), LengthOf(h)) }, h => View(h, SpanOf));
        Assert.True(path == Path.InPlace, printed);
    }

    [Fact]
    public void A_view_at_another_start_copies_the_seed()
    {
        // Tanh(h[0 .. +n−1], h[1 .. +n−1]): overlapping, not the same elements.
        var (path, printed) = Decide(SpanFunction.Tanh, (h, _) => new[] { View(h, ReadOnlySpanOf, IrConstant.Of(0), Minus(LengthOf(h), 1)) },
            h => View(h, SpanOf, IrConstant.Of(1), Minus(LengthOf(h), 1)));
        Assert.True(path == Path.Copy, printed);
    }

    [Fact]
    public void A_view_of_another_length_copies_the_seed()
    {
        // Same start, the destination longer than the input: the elements beyond the input are not the input's.
        var (path, printed) = Decide(SpanFunction.Tanh, (h, _) => new[] { View(h, ReadOnlySpanOf, IrConstant.Of(0), Minus(LengthOf(h), 1)) },
            h => View(h, SpanOf, IrConstant.Of(0), LengthOf(h)));
        Assert.True(path == Path.Copy, printed);
    }

    [Fact]
    public void Two_inputs_of_the_destinations_array_copy_the_seed()
    {
        // Multiply(h, h, h): both inputs are the destination, so neither contribution can update g alone.
        var (path, printed) = Decide(SpanFunction.Multiply, (h, _) => new[] { View(h, ReadOnlySpanOf), View(h, ReadOnlySpanOf) }, h => View(h, SpanOf));
        Assert.True(path == Path.Copy, printed);
    }

    [Fact]
    public void A_rule_without_an_in_place_adjoint_copies_the_seed()
    {
        // Sqrt(h, h): its adjoint is not written through Contribute, so it cannot update g in place.
        var (path, printed) = Decide(SpanFunction.Sqrt, (h, _) => new[] { View(h, ReadOnlySpanOf) }, h => View(h, SpanOf));
        Assert.True(path == Path.Copy, printed);
    }

    [Fact]
    public void An_input_of_another_array_uses_the_seed_directly_and_clears_it()
    {
        // Tanh(g, h): no input reads h, so there is nothing to copy and nothing to update in place.
        var (path, printed) = Decide(SpanFunction.Tanh, (_, g) => new[] { View(g, ReadOnlySpanOf) }, h => View(h, SpanOf));
        Assert.True(path == Path.Direct, printed);
    }
}
