using System.Globalization;
using System.Linq;
using System.Text;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Infrastructure;

/// <summary>IR as compact C#-like text, for failure messages and bug reports (variables print as name#id).</summary>
internal static class IrPrinter
{
    public static string Print(IrFunction function)
    {
        var text = new StringBuilder();
        text.Append(function.ReturnType).Append(' ').Append(function.Name).Append('(')
            .Append(string.Join(", ", function.Parameters.Select(p => (p.IsDifferentiableParameter ? "" : "[NoDerivative] ") + p.Type + " " + p)))
            .Append(")\n");
        Block(text, function.Body, 0);
        return text.ToString();
    }

    public static string Print(ReverseProgram program)
    {
        var text = new StringBuilder();
        text.Append("// forward\n");
        Block(text, program.Forward, 0);
        text.Append("// reverse (").Append(program.ResultAdjoint).Append(" = seed)\n");
        Block(text, program.Reverse, 0);
        return text.ToString();
    }

    public static string Print(IrBlock block)
    {
        var text = new StringBuilder();
        Block(text, block, 0);
        return text.ToString();
    }

    private static void Block(StringBuilder text, IrBlock block, int depth)
    {
        foreach (IrStatement statement in block.Statements) Statement(text, statement, depth);
    }

    private static void Line(StringBuilder text, int depth, string line) => text.Append(' ', 2 * depth).Append(line).Append('\n');

    private static void Statement(StringBuilder text, IrStatement statement, int depth)
    {
        switch (statement)
        {
            case IrAssign s:
                Line(text, depth, s.Target + " = " + Expr(s.Value) + ";" + (s.IsDeclaration ? "  // declaration" : ""));
                break;
            case IrAccumulate s:
                Line(text, depth, s.Target + " += " + Expr(s.Value) + ";");
                break;
            case IrIf s:
                Line(text, depth, "if (" + Expr(s.Condition) + ") {");
                Block(text, s.Then, depth + 1);
                if (!s.Else.IsEmpty)
                {
                    Line(text, depth, "} else {");
                    Block(text, s.Else, depth + 1);
                }
                Line(text, depth, "}");
                break;
            case IrLoop s:
                Line(text, depth, "while (true) {" + (s.TripCounter is null ? "" : "  // trips: " + s.TripCounter));
                Block(text, s.Head, depth + 1);
                Line(text, depth + 1, "if (!" + Expr(s.Condition) + ") break;");
                Block(text, s.Body, depth + 1);
                Line(text, depth, "}");
                break;
            case IrRepeat { Down: { } down } s:
                Line(text, depth, "for (" + down.Variable + " = " + Expr(down.Floor) + " + " + Expr(s.Count) + " - 1; " + down.Variable + " >= " + Expr(down.Floor) + "; " + down.Variable + "--) {");
                Block(text, s.Body, depth + 1);
                Line(text, depth, "}");
                break;
            case IrRepeat s:
                Line(text, depth, "for (" + s.Counter + " = " + Expr(s.Count) + "; " + s.Counter + " > 0; " + s.Counter + "--) {");
                Block(text, s.Body, depth + 1);
                Line(text, depth, "}");
                break;
            case IrTapePush s:
                Line(text, depth, "push<" + s.Value.Type + ">(" + Expr(s.Value) + ");");
                break;
            case IrTapeExpect s:
                Line(text, depth, "expect<" + s.ElementType + ">(" + Expr(s.Count) + ");");
                break;
            case IrTapePushSpan s:
                Line(text, depth, "pushRange(" + Expr(s.Source) + ");");
                break;
            case IrTapePopSpan s:
                Line(text, depth, "popRange(" + Expr(s.Target) + ");");
                break;
            case IrBackwardCall s:
                Line(text, depth, (s.Result is { } result ? result + " = " : "") + s.Call.Target.BackwardName + "(" + string.Join(", ", s.Call.Arguments.Select(Expr)) + ", seed: " + Expr(s.Seed)
                    + ", " + string.Join(", ", s.Adjoints.Select(a => a?.ToString() ?? "_")) + ");");
                break;
            case IrElementWrite s:
                Line(text, depth, s.Array + "[" + string.Join(", ", s.Indices.Select(Expr)) + "] = " + Expr(s.Value) + ";");
                break;
            case IrElementAccumulate s:
                Line(text, depth, s.Array + "[" + string.Join(", ", s.Indices.Select(Expr)) + "] += " + Expr(s.Value) + ";");
                break;
            case IrEffect s:
                Line(text, depth, Expr(s.Expression) + ";");
                break;
            case IrComment s:
                Line(text, depth, "// " + s.Text);
                break;
            default:
                Line(text, depth, statement.GetType().Name);
                break;
        }
    }

    public static string Expr(IrExpression expression) => expression switch
    {
        IrVariableReference r => r.Variable.ToString(),
        IrConstant { Value: double d } => d.ToString("R", CultureInfo.InvariantCulture),
        IrConstant { Value: float f } => f.ToString("R", CultureInfo.InvariantCulture) + "f",
        IrConstant { Value: bool b } => b ? "true" : "false",
        IrConstant c => System.Convert.ToString(c.Value, CultureInfo.InvariantCulture) ?? "default",
        IrUnary u => (u.Operator switch { IrUnaryOperator.Negate => "-", IrUnaryOperator.Not => "!", _ => "~" }) + Expr(u.Operand),
        IrBinary b => "(" + Expr(b.Left) + " " + Symbol(b.Operator) + " " + Expr(b.Right) + ")",
        IrConvert c => "(" + c.TargetType + ")" + Expr(c.Operand),
        IrConditional c => "(" + Expr(c.Condition) + " ? " + Expr(c.WhenTrue) + " : " + Expr(c.WhenFalse) + ")",
        IrMathCall m => (m.Type.Kind == IrTypeKind.Float ? "MathF." : "Math.") + m.Function + "(" + string.Join(", ", m.Arguments.Select(Expr)) + ")",
        IrDifferentiableCall c => c.Target.MethodName + "(" + string.Join(", ", c.Arguments.Select(Expr)) + ")",
        IrOpaque o => string.Format(CultureInfo.InvariantCulture, o.Template, o.Arguments.Select(a => (object)Expr(a)).ToArray()),
        IrTapePop p => "pop<" + p.Type + ">()",
        IrElementRead e => Expr(e.Array) + "[" + string.Join(", ", e.Indices.Select(Expr)) + "]",
        IrZeroedArray z => (z.IsRental ? "rent " : "zeroed ") + z.ArrayType + "(like " + Expr(z.ShapeOf) + ")",
        IrPoolReturn r => "return-to-pool(" + Expr(r.Array) + ")",
        IrBufferCall b => b.Operation.ToString().ToLowerInvariant() + "(" + string.Join(", ", b.Arguments.Select(Expr)) + ")",
        IrNewArray n => "new " + n.ArrayType + "(" + string.Join(", ", n.Lengths.Select(Expr)) + ")",
        IrSpan { Start: null, Length: null } v => Expr(v.Array),
        IrSpan v => Expr(v.Array) + "[" + Expr(v.Start ?? IrConstant.Of(0)) + " .. +" + Expr(v.LengthExpression) + "]",
        _ => expression.GetType().Name,
    };

    private static string Symbol(IrBinaryOperator op) => op switch
    {
        IrBinaryOperator.Add => "+",
        IrBinaryOperator.Subtract => "-",
        IrBinaryOperator.Multiply => "*",
        IrBinaryOperator.Divide => "/",
        IrBinaryOperator.Remainder => "%",
        IrBinaryOperator.LessThan => "<",
        IrBinaryOperator.LessThanOrEqual => "<=",
        IrBinaryOperator.GreaterThan => ">",
        IrBinaryOperator.GreaterThanOrEqual => ">=",
        IrBinaryOperator.Equals => "==",
        IrBinaryOperator.NotEquals => "!=",
        IrBinaryOperator.And => "&",
        IrBinaryOperator.Or => "|",
        IrBinaryOperator.ExclusiveOr => "^",
        IrBinaryOperator.LeftShift => "<<",
        _ => ">>",
    };
}
