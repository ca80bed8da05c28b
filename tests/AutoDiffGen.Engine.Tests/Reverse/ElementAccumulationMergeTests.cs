using System;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Peepholes.MergeElementAccumulations on hand-made blocks: <c>d[i] += a; … d[i] += b</c> becomes <c>d[i] += a + b</c>
/// where nothing in between stops it, and the pass stays linear in the block's length.
/// </summary>
public class ElementAccumulationMergeTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);
    private readonly IrVariableFactory _variables = new();
    private readonly IrVariable _d, _t, _y;

    public ElementAccumulationMergeTests()
    {
        _d = _variables.Create("d", Vector, IrVariableRole.Adjoint);
        _t = _variables.Create("t", IrType.Double, IrVariableRole.Temporary);
        _y = _variables.Create("y", IrType.Double, IrVariableRole.Local);
    }

    private static IrExpression Ref(IrVariable v) => new IrVariableReference(v);

    private static IrExpression Number(double value) => new IrConstant(value, IrType.Double);

    private IrStatement Add(int index, IrExpression value) =>
        new IrElementAccumulate(_d, ImmutableArray.Create<IrExpression>(new IrConstant(index, IrType.Int)), value);

    private IrExpression Element(int index) =>
        new IrElementRead(Ref(_d), ImmutableArray.Create<IrExpression>(new IrConstant(index, IrType.Int)), IrType.Double);

    private static string Merged(params IrStatement[] statements)
    {
        var block = new IrBlock(statements);
        Peepholes.MergeElementAccumulations(block);
        return IrPrinter.Print(block);
    }

    private static string Printed(params IrStatement[] statements) => IrPrinter.Print(new IrBlock(statements));

    [Fact]
    public void Accumulations_into_one_element_merge_across_accumulations_into_others()
    {
        string merged = Merged(Add(0, Number(1)), Add(1, Number(2)), Add(0, Ref(_t)), Add(1, Number(3)));
        Assert.Equal(Printed(Add(0, new IrBinary(IrBinaryOperator.Add, Number(1), Ref(_t), IrType.Double)),
            Add(1, new IrBinary(IrBinaryOperator.Add, Number(2), Number(3), IrType.Double))), merged);
    }

    [Fact]
    public void A_write_of_what_the_value_reads_keeps_both()
    {
        IrStatement[] block = { Add(0, Ref(_t)), new IrAssign(_t, Number(2)), Add(0, Ref(_t)) };
        Assert.Equal(Printed(block), Merged(block));
    }

    [Fact]
    public void A_read_of_the_array_in_between_keeps_both()
    {
        IrStatement[] block = { Add(0, Number(1)), new IrAssign(_y, Element(1)), Add(0, Number(2)) };
        Assert.Equal(Printed(block), Merged(block));
    }

    [Fact]
    public void A_branch_in_between_keeps_both()
    {
        var then = new IrBlock(new IrStatement[] { new IrAssign(_y, Number(1)) });
        IrStatement[] block = { Add(0, Number(1)), new IrIf(Ref(_y), then, new IrBlock()), Add(0, Number(2)) };
        Assert.Equal(Printed(block), Merged(block));
    }

    [Fact]
    public void An_accumulation_that_reads_its_own_array_stays()
    {
        // Moved to the later one, d[1]'s read would pass d[1] += 5 (an accumulation into another element, which commutes
        // with accumulations that do not read d).
        IrStatement[] block = { Add(0, Element(1)), Add(1, Number(5)), Add(0, Number(2)) };
        Assert.Equal(Printed(block), Merged(block));
    }

    [Fact]
    public void An_accumulation_that_reads_the_array_blocks_the_others()
    {
        IrStatement[] block = { Add(0, Number(1)), Add(1, Element(0)), Add(0, Number(2)) };
        Assert.Equal(Printed(block), Merged(block));
    }

    [Fact]
    public void Many_distinct_elements_cost_the_same_per_statement()
    {
        // Unrolled code: one accumulation into each of n elements, then one more into each, in the same order. Every
        // first one merges into its second, past n - 1 accumulations into other elements. A forward scan from each
        // accumulation was quadratic here; allocation per statement (the machine's load does not change it) stays flat.
        double PerStatement(int n)
        {
            var statements = Enumerable.Range(0, 2 * n).Select(k => Add(k % n, Ref(_t))).ToArray();
            var block = new IrBlock(statements);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Peepholes.MergeElementAccumulations(block);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(n, block.Statements.Count);
            return (double)allocated / (2 * n);
        }

        PerStatement(200); // jitted
        double small = PerStatement(1_000), large = PerStatement(8_000);
        Assert.True(large < 1.5 * small, $"{large:F0} bytes per statement at 16 000 statements against {small:F0} at 2 000");
    }
}
