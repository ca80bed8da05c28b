using System.Collections.Generic;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Finds the rule-table entry (<see cref="RuleTable"/>) a called method stands for: the Roslyn side of the table,
    /// which itself knows nothing of symbols.
    /// </summary>
    internal static class MathMembers
    {
        /// <summary>
        /// The rule for a static member of Math, MathF, double or float, if the table has one: a differentiated rule
        /// when the overload's parameters are reals of its result type (or the ints the rule expects), else a rule that
        /// covers the name whatever the overload (zero derivative, predicate).
        /// </summary>
        public static FunctionRule? Find(IMethodSymbol callee)
        {
            RuleOwners owner = callee.ContainingType?.ToDisplayString() switch
            {
                "System.Math" => RuleOwners.Math,
                "System.MathF" => RuleOwners.MathF,
                "double" => RuleOwners.Double,
                "float" => RuleOwners.Single,
                // T.Sin(x) of generic math binds to ITrigonometricFunctions<T>.Sin: double implements every one of these
                // interfaces, so its static members are exactly the functions a generic real has.
                // (T is a real, or reads as double or float in the inlined body of a member of Vec<double>: Parsing/TypeSubstitution.cs.)
                _ when GenericMath.IsInterfaceMember(callee) && TypeMapper.IsReal(callee.ReturnType) => RuleOwners.Double,
                _ => RuleOwners.None,
            };
            if (owner == RuleOwners.None) return null;
            return RuleTable.Find(owner, callee.Name, callee.IsStatic ? Signature(callee) : null);
        }

        /// <summary>The parameters as the table describes them; null when the member cannot be a differentiated rule.</summary>
        private static List<RuleParameter>? Signature(IMethodSymbol callee)
        {
            ITypeSymbol real = callee.ReturnType;
            if (!TypeMapper.IsReal(real)) return null;
            var parameters = new List<RuleParameter>(callee.Parameters.Length);
            foreach (IParameterSymbol parameter in callee.Parameters)
            {
                if (SymbolEqualityComparer.Default.Equals(parameter.Type, real)) parameters.Add(RuleParameter.Real);
                else if (parameter.Type.SpecialType == SpecialType.System_Int32) parameters.Add(RuleParameter.Integer);
                else return null;
            }
            return parameters;
        }
    }
}
