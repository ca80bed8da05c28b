using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Decides whether a callee is differentiable: marked [Differentiable] (its <c>…Backward</c> is generated, maybe in
    /// another assembly), or accompanied by a hand-written <c>…Backward</c> of the shape api.md fixes.
    /// </summary>
    internal static class CallTargets
    {
        public static CallTarget? TryCreate(IMethodSymbol callee)
        {
            if (callee.IsGenericMethod || callee.Parameters.Any(p => p.RefKind is not (RefKind.None or RefKind.In))
                || callee.ReturnType.SpecialType is not (SpecialType.System_Double or SpecialType.System_Single))
            {
                return null;
            }
            bool[] differentiable = callee.Parameters.Select(MethodParser.IsDifferentiableParameter).ToArray();
            bool isMarked = KnownNames.HasAttribute(callee.OriginalDefinition, KnownNames.DifferentiableAttribute);
            if (!isMarked && !HasHandWrittenBackward(callee, differentiable))
            {
                return null;
            }
            return new CallTarget(
                MethodParser.TypeName(callee.ContainingType),
                MethodParser.EscapeIdentifier(callee.Name),
                callee.IsStatic,
                differentiable.ToEquatableArray(),
                callee.Parameters.Select(p => MethodLowering.TypeOf(p.Type)).ToEquatableArray());
        }

        /// <summary>
        /// <c>R NameBackward(P1 p1, …, Pn pn, R seed, ref A1 a1, …)</c>: the callee's parameters, the seed, then one
        /// <c>ref</c> adjoint per differentiable parameter, with the callee's static-ness.
        /// </summary>
        private static bool HasHandWrittenBackward(IMethodSymbol callee, bool[] differentiable)
        {
            int adjoints = differentiable.Count(d => d);
            foreach (ISymbol member in callee.ContainingType.GetMembers(callee.Name + KnownNames.BackwardSuffix))
            {
                if (member is not IMethodSymbol backward || backward.IsStatic != callee.IsStatic) continue;
                var ps = backward.Parameters;
                int n = callee.Parameters.Length;
                if (ps.Length != n + 1 + adjoints) continue;
                bool matches = true;
                for (int i = 0; i < n && matches; i++)
                {
                    matches = ps[i].RefKind == callee.Parameters[i].RefKind && SymbolEqualityComparer.Default.Equals(ps[i].Type, callee.Parameters[i].Type);
                }
                matches = matches && SymbolEqualityComparer.Default.Equals(ps[n].Type, callee.ReturnType);
                int next = n + 1;
                for (int i = 0; i < n && matches; i++)
                {
                    if (!differentiable[i]) continue;
                    IParameterSymbol adjoint = ps[next++];
                    matches = adjoint.RefKind == RefKind.Ref && SymbolEqualityComparer.Default.Equals(adjoint.Type, callee.Parameters[i].Type);
                }
                if (matches) return true;
            }
            return false;
        }
    }
}
