using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Diagnostics
{
    /// <summary>
    /// Every diagnostic AutoDiffGen reports, in one catalogue. Each is built through <see cref="Create"/>, which sets
    /// the help link to its page under docs/diagnostics/. Ids are never reused.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private const string DeclarationCategory = "AutoDiffGen.Declaration";
        private const string DifferentiationCategory = "AutoDiffGen.Differentiation";
        private const string HelpLinkBase = "https://github.com/autodiffgen/autodiffgen/blob/main/docs/diagnostics/";

        public static readonly DiagnosticDescriptor TypeNotPartial = Create(
            "ADG0001", "Containing type must be partial",
            "'{0}' cannot get gradient companions: its containing type '{1}' is not partial",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnsupportedReturnType = Create(
            "ADG0002", "Differentiable method must return double or float",
            "'{0}' returns '{1}': a [Differentiable] method must return double or float (a scalar loss, objective or output)",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnsupportedParameter = Create(
            "ADG0003", "Parameter kind not supported",
            "Parameter '{0}' of '{1}' is {2}: a [Differentiable] method takes its parameters by value",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnsupportedMethodKind = Create(
            "ADG0004", "Method kind not supported",
            "'{0}' is {1}: only ordinary synchronous methods can be [Differentiable]",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor CompanionNameClash = Create(
            "ADG0006", "Companion name already in use",
            "'{0}' cannot get its companion '{1}': the type already has a member with that name and signature",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnsupportedConstruct = Create(
            "ADG0101", "Construct cannot be differentiated",
            "Cannot differentiate {0} in '{1}'",
            DifferentiationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor NonDifferentiableCall = Create(
            "ADG0102", "Call to a method without a derivative",
            "'{1}' passes a value that depends on a differentiable parameter to '{0}', which is neither [Differentiable] nor has a hand-written '{2}': mark it [Differentiable], or write '{2}' (api.md)",
            DifferentiationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor WriteToMember = Create(
            "ADG0103", "Write to a field or property",
            "'{1}' writes to '{0}': a [Differentiable] method may read fields and properties (as constants) but not write them",
            DifferentiationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor ZeroDerivativeOperation = Create(
            "ADG0201", "Gradient does not flow through this operation",
            "{0} in '{1}' has a derivative that is zero almost everywhere or undefined: the gradient does not flow through it",
            DifferentiationCategory, DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor InternalError = Create(
            "ADG0999", "AutoDiffGen could not process the method",
            "AutoDiffGen could not generate gradient companions for '{0}' because of an internal error: {1}",
            DifferentiationCategory, DiagnosticSeverity.Warning);

        private static DiagnosticDescriptor Create(string id, string title, string messageFormat, string category, DiagnosticSeverity severity, bool isEnabledByDefault = true) =>
            new(id, title, messageFormat, category, severity, isEnabledByDefault, helpLinkUri: HelpLinkBase + id + ".md");
    }
}
