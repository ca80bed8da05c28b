using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>"No tape for straight-line code": outside loops a saved local is enough, whatever is overwritten.</summary>
public class TapeUsageTests
{
    [Fact]
    public void Straight_line_code_stores_nothing_on_the_tape()
    {
        // Parameters and locals overwritten several times, values read after being overwritten.
        var b = new IrBuilder("Straight");
        Var x = b.Param("x");
        Var y = b.Param("y");
        Var t = b.Local("t", x * y);
        b.Assign(x, M.Sin(t) * x);
        b.Assign(t, t * x + y);
        b.Assign(y, M.Exp(t * 0.1) * y);
        b.Assign(t, t / y);
        b.Return(t * x + y);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.Empty(IrQuery.Pushes(program.Forward));
        Assert.DoesNotContain(IrQuery.Expressions(program.Reverse), e => e is IrTapePop);
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.7, 1.3 }, program: program);
        Assert.Empty(run.TapePushes);
    }

    [Fact]
    public void Branches_outside_loops_store_nothing_on_the_tape()
    {
        var b = new IrBuilder("Branchy");
        Var x = b.Param("x");
        Var y = b.Local("y", x * x);
        b.If(y > 1.0, () => { b.Assign(y, y * x); b.Assign(x, M.Cos(y)); }, () => { b.Assign(x, x * y); b.Assign(y, y + x); });
        b.If(x < 0.0, () => b.Assign(y, y * y));
        b.Return(x * y);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.Empty(IrQuery.Pushes(program.Forward));
        foreach (double x0 in new[] { -1.7, -0.4, 0.5, 1.3, 2.2 })
        {
            GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { x0 }, program: program);
        }
    }

    [Fact]
    public void Single_assignment_code_saves_nothing_at_all()
    {
        // Every variable assigned once: no saved locals, no tape.
        var b = new IrBuilder("Ssa");
        Var x = b.Param("x");
        Var y = b.Param("y");
        Var a = b.Local("a", M.Sin(x) * y);
        Var c = b.Local("c", a * a + M.Exp(y));
        b.Return(c / (x * x + 1.0));
        ReverseProgram program = IrRunner.Differentiate(b.Build());
        Assert.Empty(IrQuery.Pushes(program.Forward));
        Assert.DoesNotContain(program.ExtraVariables, v => v.Role == IrVariableRole.Saved);
    }

    [Fact]
    public void Loop_whose_reverse_needs_nothing_records_only_its_trip_count()
    {
        // s = s + x · c for a passive c: no overwritten value is needed; nothing is pushed (not nested, so the trip
        // count stays in a local).
        var b = new IrBuilder("Sum");
        Var x = b.Param("x");
        Var c = b.Param("c", differentiable: false);
        Var n = b.Param("n", IrType.Int);
        Var s = b.Local("s", 0.0);
        b.For("i", 0, n, _ => b.Assign(s, s + x * c));
        b.Return(s);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.Empty(IrQuery.Pushes(program.Forward));
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.4, 1.5, 5 }, program: program);
        Assert.Equal(7.5, run.Gradient(0), 14);
    }
}
