using System;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Engine.Tests.Interpreter;

/// <summary>The interpreter itself: if it is wrong, every gradient test built on it is meaningless.</summary>
public class IrInterpreterTests
{
    [Fact]
    public void Double_arithmetic_follows_csharp()
    {
        var b = new IrBuilder();
        Var x = b.Param("x");
        Var y = b.Param("y");
        b.Return((x + y) * (x - y) / y % 2.5 + -x);
        IrFunction f = b.Build();
        double X = 3.7, Y = 1.3;
        Assert.Equal((X + Y) * (X - Y) / Y % 2.5 + -X, IrRunner.RunDouble(f, X, Y));
    }

    [Fact]
    public void Float_arithmetic_stays_float()
    {
        var b = new IrBuilder(returnType: IrType.Float);
        Var x = b.Param("x", IrType.Float);
        b.Return(x * x / 3 + M.Sin(x));
        float X = 0.1f;
        object? value = IrRunner.Run(b.Build(), new object?[] { X });
        Assert.IsType<float>(value);
        Assert.Equal(X * X / 3f + MathF.Sin(X), (float)value!);
    }

    [Fact]
    public void Integer_arithmetic_truncates_like_csharp()
    {
        var b = new IrBuilder(returnType: IrType.Int);
        Var n = b.Param("n", IrType.Int);
        b.Return(n / 4 * 4 + n % 4);
        Assert.Equal(-7 / 4 * 4 + -7 % 4, IrRunner.Run(b.Build(), new object?[] { -7 }));
    }

    [Fact]
    public void Comparisons_with_NaN_are_false()
    {
        Assert.False((bool)IrInterpreter.Binary(IrBinaryOperator.LessThan, double.NaN, 1.0));
        Assert.False((bool)IrInterpreter.Binary(IrBinaryOperator.GreaterThanOrEqual, double.NaN, 1.0));
        Assert.True((bool)IrInterpreter.Binary(IrBinaryOperator.NotEquals, double.NaN, double.NaN));
        Assert.True((bool)IrInterpreter.Binary(IrBinaryOperator.LessThan, 1, 2.5));
        Assert.IsType<float>(IrInterpreter.Binary(IrBinaryOperator.Multiply, 2, 1.5f));
        Assert.IsType<double>(IrInterpreter.Binary(IrBinaryOperator.Multiply, 2f, 1.5));
    }

    [Fact]
    public void Assigning_a_double_to_a_float_is_a_type_error()
    {
        var factory = new IrVariableFactory();
        IrVariable f = factory.Create("f", IrType.Float, IrVariableRole.Local);
        var interpreter = new IrInterpreter();
        Assert.Throws<IrExecutionException>(() => interpreter.Execute(new IrAssign(f, IrConstant.Of(1.0))));
        Assert.Throws<IrExecutionException>(() => interpreter.Execute(new IrAccumulate(f, IrConstant.Of(1.0))));
        interpreter.Execute(new IrAccumulate(f, IrConstant.Of(2)));
        Assert.Equal(2f, interpreter.Get(f));
    }

    [Fact]
    public void Unassigned_variables_read_as_their_default()
    {
        var factory = new IrVariableFactory();
        var interpreter = new IrInterpreter();
        Assert.Equal(0.0, interpreter.Get(factory.Create("a", IrType.Double, IrVariableRole.Adjoint)));
        Assert.Equal(0f, interpreter.Get(factory.Create("b", IrType.Float, IrVariableRole.Adjoint)));
        Assert.Equal(0, interpreter.Get(factory.Create("c", IrType.Int, IrVariableRole.Local)));
        Assert.Equal(false, interpreter.Get(factory.Create("d", IrType.Bool, IrVariableRole.Local)));
    }

    [Fact]
    public void Loop_runs_head_then_test_then_body()
    {
        var b = new IrBuilder();
        Var x = b.Param("x");
        Var n = b.Param("n", IrType.Int);
        Var s = b.Local("s", 0.0);
        b.For("i", 0, n, i => b.Assign(s, s + x * i.To(IrType.Double)));
        b.Return(s);
        IrFunction f = b.Build();
        Assert.Equal(2.0 * (0 + 1 + 2 + 3), IrRunner.RunDouble(f, 2.0, 4));
        Assert.Equal(0.0, IrRunner.RunDouble(f, 2.0, 0));
        var (_, trace) = IrRunner.RunTraced(f, new object?[] { 2.0, 4 });
        Assert.Equal(new TraceEvent('l', 4), Assert.Single(trace));
    }

    [Fact]
    public void Repeat_counts_down_from_its_count()
    {
        var factory = new IrVariableFactory();
        IrVariable c = factory.Create("c", IrType.Int, IrVariableRole.Control);
        IrVariable log = factory.Create("log", IrType.Int, IrVariableRole.Local);
        var body = new IrBlock(new IrStatement[] { new IrAssign(log, new IrBinary(IrBinaryOperator.Add, new IrBinary(IrBinaryOperator.Multiply, new IrVariableReference(log), IrConstant.Of(10), IrType.Int), new IrVariableReference(c), IrType.Int)) });
        var interpreter = new IrInterpreter();
        interpreter.Execute(new IrRepeat(c, IrConstant.Of(3), body));
        Assert.Equal(321, interpreter.Get(log));
        interpreter.Execute(new IrRepeat(c, IrConstant.Of(0), body));
        Assert.Equal(321, interpreter.Get(log));
    }

    [Fact]
    public void Tapes_are_last_in_first_out_per_type()
    {
        var factory = new IrVariableFactory();
        IrVariable d = factory.Create("d", IrType.Double, IrVariableRole.Local);
        IrVariable i = factory.Create("i", IrType.Int, IrVariableRole.Local);
        var interpreter = new IrInterpreter();
        interpreter.Execute(new IrTapePush(IrConstant.Of(1.5)));
        interpreter.Execute(new IrTapePush(IrConstant.Of(7)));
        interpreter.Execute(new IrTapePush(IrConstant.Of(2.5)));
        interpreter.Execute(new IrAssign(d, new IrTapePop(IrType.Double)));
        Assert.Equal(2.5, interpreter.Get(d));
        interpreter.Execute(new IrAssign(d, new IrTapePop(IrType.Double)));
        Assert.Equal(1.5, interpreter.Get(d));
        interpreter.Execute(new IrAssign(i, new IrTapePop(IrType.Int)));
        Assert.Equal(7, interpreter.Get(i));
        Assert.Throws<IrExecutionException>(() => interpreter.Execute(new IrAssign(d, new IrTapePop(IrType.Double))));
    }

    [Fact]
    public void Conditional_evaluates_only_the_selected_arm()
    {
        var interpreter = new IrInterpreter();
        var pop = new IrTapePop(IrType.Double); // would throw: the tape is empty
        Assert.Equal(1.0, interpreter.Evaluate(new IrConditional(IrConstant.Of(true), IrConstant.Of(1.0), pop, IrType.Double)));
    }

    [Fact]
    public void Unknown_opaque_expression_is_not_supported()
    {
        var interpreter = new IrInterpreter();
        Assert.Throws<NotSupportedException>(() => interpreter.Evaluate(new IrOpaque("this.Field", ImmutableArray<IrExpression>.Empty, IrType.Double)));
        Assert.Equal(-2.0, interpreter.Evaluate(new IrOpaque("global::System.Math.Truncate({0})", ImmutableArray.Create<IrExpression>(IrConstant.Of(-2.7)), IrType.Double)));
    }

    [Theory]
    [MemberData(nameof(AllFunctions))]
    public void Math_calls_match_Math_and_MathF(string name)
    {
        MathFunction function = Enum.Parse<MathFunction>(name);
        double[] args = function switch
        {
            MathFunction.Acosh => new[] { 1.6 },
            MathFunction.Clamp => new[] { 0.3, -0.5, 0.7 },
            MathFunction.RootN => new[] { 0.37, 3 },
            MathFunction.RadiansToDegrees => new[] { 0.0037 },
            _ => new[] { 0.37, 0.81, 0.52 }.Take(Arity(function)).ToArray(),
        };
        object d = IrInterpreter.MathCall(function, args.Cast<object?>().ToArray(), IrType.Double);
        object f = IrInterpreter.MathCall(function, args.Select(a => (object?)(float)a).ToArray(), IrType.Float);
        Assert.IsType<double>(d);
        Assert.IsType<float>(f);
        Assert.Equal((double)d, (float)f, 5);
        Assert.Throws<IrExecutionException>(() => IrInterpreter.MathCall(function, args.Cast<object?>().ToArray(), IrType.Float));
    }

    public static TheoryData<string> AllFunctions() => new(Enum.GetNames<MathFunction>());

    internal static int Arity(MathFunction function) => RuleTable.Of(function).Arity;

    [Fact]
    public void Builder_folds_into_the_target_unless_it_reads_it()
    {
        var b = new IrBuilder();
        Var x = b.Param("x");
        Var y = b.Local("y", x * 2.0);
        b.Assign(y, y * x);      // reads y: through a temporary
        b.Assign(y, y + M.Sin(x)); // v = v + e: in place
        b.Return(y);
        IrFunction f = b.Build();
        IrAssign[] assigns = f.Body.Statements.OfType<IrAssign>().ToArray();
        Assert.True(assigns[0].IsDeclaration);
        Assert.Equal("y", assigns[0].Target.PreferredName);
        Assert.Equal(IrVariableRole.Temporary, assigns[1].Target.Role);
        Assert.Equal("y", assigns[2].Target.PreferredName);
        Assert.IsType<IrVariableReference>(assigns[2].Value);
        Assert.IsType<IrMathCall>(assigns[3].Value);
        Assert.Equal("y", assigns[4].Target.PreferredName);
        Assert.IsType<IrBinary>(assigns[4].Value);
        Assert.Equal((3.0 * 2 * 3) + Math.Sin(3.0), IrRunner.RunDouble(f, 3.0));
    }
}
