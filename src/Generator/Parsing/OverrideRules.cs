using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Engine.Lowering;
using AutoDiffGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Parsing
{
    /// <summary>
    /// ADG0107: an override of a [Differentiable] virtual method must be [Differentiable] alike — the same modes or more,
    /// the same [NoDerivative] parameters — so that its companions override every virtual companion of the base (README
    /// "Virtual methods"). Otherwise a companion called on an object of the overriding class would differentiate the base's
    /// body: silently wrong. The parser reports it for a [Differentiable] override (which then gets no companions, like any
    /// method with an error); <see cref="Analyzers.OverrideAnalyzer"/> for an override without the attribute.
    /// </summary>
    internal static class OverrideRules
    {
        /// <summary>ADG0107 for <paramref name="method"/> at <paramref name="location"/>, or null when it is differentiable alike.</summary>
        public static EngineDiagnostic? Check(IMethodSymbol method, Location location)
        {
            if (!method.IsOverride || DifferentiableAncestor(method) is not { } ancestor
                || CallTargets.WhyCompanionsDoNotDispatch(ancestor) is not null
                || Mismatch(method, ancestor) is not { } mismatch)
            {
                return null;
            }
            return new EngineDiagnostic(DiagnosticDescriptors.OverrideNotDifferentiableAlike, location,
                method.Name, method.ContainingType.Name, ancestor.ContainingType.Name + "." + ancestor.Name, mismatch.What, mismatch.Fix);
        }

        /// <summary>The nearest method <paramref name="method"/> overrides that is [Differentiable] (its definition), or null.</summary>
        public static IMethodSymbol? DifferentiableAncestor(IMethodSymbol method)
        {
            for (IMethodSymbol? overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
            {
                if (KnownNames.HasAttribute(overridden.OriginalDefinition, KnownNames.DifferentiableAttribute)) return overridden.OriginalDefinition;
            }
            return null;
        }

        /// <summary>What the override lacks, and how to fix it; null when it is [Differentiable] alike.</summary>
        private static (string What, string Fix)? Mismatch(IMethodSymbol method, IMethodSymbol ancestor)
        {
            DerivativeModes wanted = Normalized(KnownNames.ModesOf(ancestor));
            if (!KnownNames.HasAttribute(method, KnownNames.DifferentiableAttribute))
            {
                return ("without being [Differentiable]", "mark it " + AttributeFor(wanted));
            }
            DerivativeModes own = Normalized(KnownNames.ModesOf(method));
            if ((wanted & ~own) is var missing and not DerivativeModes.None)
            {
                return ("without asking for " + Flags(missing), "mark it " + AttributeFor(wanted | own));
            }
            var differing = method.Parameters.Where((p, i) => MethodParser.IsDifferentiableParameter(p) != MethodParser.IsDifferentiableParameter(ancestor.Parameters[i])).ToList();
            if (differing.Count > 0)
            {
                return ("with other [NoDerivative] parameters (" + string.Join(", ", differing.Select(p => "'" + p.Name + "'")) + ")",
                    "mark the same parameters [NoDerivative] as '" + ancestor.ContainingType.Name + "." + ancestor.Name + "' does, so that its companions have the same signatures");
            }
            return null;
        }

        /// <summary>Hessian implies Reverse (api.md): the companions Reverse asks for are generated for it too.</summary>
        private static DerivativeModes Normalized(DerivativeModes modes) =>
            (modes & DerivativeModes.Hessian) != 0 ? modes | DerivativeModes.Reverse : modes;

        /// <summary>The attribute that asks for <paramref name="modes"/>, as a user writes it.</summary>
        private static string AttributeFor(DerivativeModes modes) =>
            modes == DerivativeModes.Reverse ? "[Differentiable]" : "[Differentiable(" + Flags(modes) + ")]";

        private static string Flags(DerivativeModes modes) =>
            string.Join(" | ", new[] { DerivativeModes.Reverse, DerivativeModes.Forward, DerivativeModes.Hessian }
                .Where(m => (modes & m) != 0).Select(m => "Derivatives." + m));
    }
}
