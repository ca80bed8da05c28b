using System.Text;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// The most common lines (an assignment, an accumulation, a tape push, a source comment) written part by part into the
    /// text, their expressions included, instead of first rendered into strings and joined: a long method's emission
    /// made about one throw-away string per line that way.
    /// </summary>
    /// <remarks>
    /// Only for plain expressions (<see cref="IsPlain"/>): variables, constants, operators, conditionals, math calls and
    /// tape pops, written exactly as <see cref="Render"/> writes them, left to right (so names are given in the same
    /// order). Rendering anything else can write lines of its own (a callee's scratch array is rented on the line before
    /// the call), which must come before the line being written: those lines are rendered first, as before.
    /// </remarks>
    internal sealed partial class CompanionEmitter
    {
        /// <summary>Whether <see cref="Write"/> writes <paramref name="expression"/> without rendering any part of it first.</summary>
        private static bool IsPlain(IrExpression expression) => expression switch
        {
            IrVariableReference or IrConstant or IrTapePop => true,
            IrBinary binary => IsPlain(binary.Left) && IsPlain(binary.Right),
            IrUnary unary => IsPlain(unary.Operand),
            IrConditional conditional => IsPlain(conditional.Condition) && IsPlain(conditional.WhenTrue) && IsPlain(conditional.WhenFalse),
            IrMathCall call => AllPlain(call.Arguments),
            _ => false,
        };

        private static bool AllPlain(System.Collections.Immutable.ImmutableArray<IrExpression> expressions)
        {
            foreach (IrExpression expression in expressions)
            {
                if (!IsPlain(expression)) return false;
            }
            return true;
        }

        /// <summary>Starts a line: its indentation, in the builder the caller appends the rest of the line to (ending it with a newline).</summary>
        private StringBuilder BeginLine() => _out.Append(' ', 4 * _indent);

        /// <summary>
        /// <c>prefix target op value;</c> (<c>double a = x * y;</c>, <c>_d_a += _d_t;</c>), the value written straight into
        /// the line when it is plain, else rendered first.
        /// </summary>
        private void AssignmentLine(string prefix, string target, string op, IrExpression value)
        {
            if (!IsPlain(value))
            {
                Line(prefix, target, op, Render(value), ";");
                return;
            }
            StringBuilder line = BeginLine().Append(prefix).Append(target).Append(op);
            Write(line, value);
            line.Append(";\n");
        }

        /// <summary><paramref name="expression"/> as <see cref="Render"/> writes it; only for <see cref="IsPlain"/> expressions.</summary>
        private void Write(StringBuilder line, IrExpression expression)
        {
            switch (expression)
            {
                case IrVariableReference reference:
                    line.Append(Name(reference.Variable));
                    break;
                case IrConstant constant:
                    line.Append(RenderConstant(constant));
                    break;
                case IrTapePop pop:
                    line.Append(Tape(pop.Type)).Append(".Pop()");
                    break;
                case IrUnary unary:
                    line.Append(RuleTable.Of(unary.Operator).Symbol);
                    WriteOperand(line, unary.Operand);
                    break;
                case IrBinary binary:
                    WriteOperand(line, binary.Left);
                    line.Append(' ').Append(RuleTable.Of(binary.Operator).Symbol).Append(' ');
                    WriteOperand(line, binary.Right);
                    break;
                case IrConditional conditional:
                    WriteOperand(line, conditional.Condition);
                    line.Append(" ? ");
                    WriteOperand(line, conditional.WhenTrue);
                    line.Append(" : ");
                    WriteOperand(line, conditional.WhenFalse);
                    break;
                case IrMathCall call:
                    line.Append(RuleTable.Of(call.Function).Spelling(call.Type)).Append('(');
                    for (int i = 0; i < call.Arguments.Length; i++)
                    {
                        if (i > 0) line.Append(", ");
                        Write(line, call.Arguments[i]);
                    }
                    line.Append(')');
                    break;
                default:
                    line.Append(Render(expression)); // not reached for a plain expression
                    break;
            }
        }

        /// <summary>An operand as <see cref="Operand"/> writes it: parenthesised unless it is atomic.</summary>
        private void WriteOperand(StringBuilder line, IrExpression expression)
        {
            switch (expression)
            {
                case IrVariableReference or IrMathCall or IrTapePop:
                    Write(line, expression);
                    break;
                case IrConstant constant:
                {
                    string text = RenderConstant(constant);
                    if (text.StartsWith("-", System.StringComparison.Ordinal)) line.Append('(').Append(text).Append(')');
                    else line.Append(text);
                    break;
                }
                case IrUnary or IrBinary or IrConditional:
                    line.Append('(');
                    Write(line, expression);
                    line.Append(')');
                    break;
                default:
                    line.Append(Operand(expression)); // not reached for a plain expression
                    break;
            }
        }
    }
}
