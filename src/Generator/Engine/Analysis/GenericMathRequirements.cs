using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Generator.Engine.Analysis
{
    /// <summary>
    /// What generated code calls on each generic real (<see cref="IrTypeKind.GenericReal"/>): the derivative of
    /// <c>T.Pow</c> calls <c>T.Log</c> and compares with <c>&gt;</c>, which a <c>T</c> constrained only to
    /// <c>IPowerFunctions&lt;T&gt;</c> does not have. The engine checks these names against the type parameter's
    /// constraints (ADG0106) so that a missing constraint is a clear diagnostic, not generated code that does not compile.
    /// </summary>
    internal static class GenericMathRequirements
    {
        /// <summary>Per generic real (by name), the static members of it that the blocks use, as generic math names them.</summary>
        public static Dictionary<string, HashSet<string>> MembersUsed(IEnumerable<IrBlock> blocks)
        {
            var used = new Dictionary<string, HashSet<string>>();
            void Need(IrType type, string member)
            {
                if (!used.TryGetValue(type.CSharpName, out HashSet<string>? members)) used[type.CSharpName] = members = new HashSet<string>();
                members.Add(member);
            }
            IEnumerable<IrExpression> expressions = blocks.SelectMany(IrWalker.AllStatements).SelectMany(IrWalker.ExpressionsOf).SelectMany(IrWalker.Subexpressions);
            foreach (IrExpression expression in expressions)
            {
                switch (expression)
                {
                    case IrMathCall call when call.Type.Kind == IrTypeKind.GenericReal:
                        Need(call.Type, RuleTable.Of(call.Function).Name);
                        break;
                    case IrBinary binary when binary.Left.Type.Kind == IrTypeKind.GenericReal && OperatorMember(binary.Operator) is { } member:
                        Need(binary.Left.Type, member);
                        break;
                    case IrOpaque opaque:
                        // Code spelled as text (the remainder's partial −T.Truncate(a / b)): the T members it names.
                        foreach (IrType type in opaque.Arguments.Select(a => a.Type).Append(opaque.Type).Where(t => t.Kind == IrTypeKind.GenericReal).Distinct())
                        {
                            foreach (string named in MembersNamedIn(opaque.Template, type.CSharpName)) Need(type, named);
                        }
                        break;
                }
            }
            return used;
        }

        /// <summary>The static members of <paramref name="typeName"/> a template names (<c>T.Truncate</c> in <c>-T.Truncate({0})</c>).</summary>
        private static IEnumerable<string> MembersNamedIn(string template, string typeName)
        {
            string pattern = @"(?<![\w.])" + Regex.Escape(typeName) + @"\.(?<member>@?[\p{L}_][\p{L}\p{Nd}_]*)";
            foreach (Match match in Regex.Matches(template, pattern))
            {
                yield return match.Groups["member"].Value.TrimStart('@');
            }
        }

        /// <summary>
        /// The generic-math operator an IR operator needs beyond <c>INumberBase&lt;T&gt;</c> (which has + − × ÷, unary −,
        /// == and !=, and which every generic real has): the orderings and the remainder.
        /// </summary>
        private static string? OperatorMember(IrBinaryOperator op) => op switch
        {
            IrBinaryOperator.LessThan => "op_LessThan",
            IrBinaryOperator.LessThanOrEqual => "op_LessThanOrEqual",
            IrBinaryOperator.GreaterThan => "op_GreaterThan",
            IrBinaryOperator.GreaterThanOrEqual => "op_GreaterThanOrEqual",
            IrBinaryOperator.Remainder => "op_Modulus",
            _ => null,
        };
    }
}
