using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Diagnostics
{
    /// <summary>
    /// Every diagnostic AutoDiffGen reports, in one catalogue. Each is built through <see cref="Create"/>, which sets
    /// the help link to its page under docs/diagnostics/. Ids are never reused.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        /// <summary>Where the pages live; each descriptor's help link is this plus its id and <c>.md</c>.</summary>
        public const string HelpLinkBase = "https://github.com/autodiffgen/autodiffgen/blob/main/docs/diagnostics/";

        private const string DeclarationCategory = "AutoDiffGen.Declaration";
        private const string DifferentiationCategory = "AutoDiffGen.Differentiation";

        public static readonly DiagnosticDescriptor TypeNotPartial = Create(
            DiagnosticIds.TypeNotPartial, "Containing type must be partial",
            "'{0}' cannot get gradient companions: its containing type '{1}' is not partial (every type around a [Differentiable] method must be)",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnsupportedReturnType = Create(
            DiagnosticIds.UnsupportedReturnType, "Differentiable method must return double or float",
            "'{0}' returns '{1}': a [Differentiable] method must return double or float (a scalar loss, objective or output)",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnsupportedParameter = Create(
            DiagnosticIds.UnsupportedParameter, "Parameter kind not supported",
            "Parameter '{0}' of '{1}' is {2}: a [Differentiable] method takes its parameters by value",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnsupportedMethodKind = Create(
            DiagnosticIds.UnsupportedMethodKind, "Method kind not supported",
            "'{0}' is {1}: only ordinary synchronous methods can be [Differentiable]",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor CompanionNameClash = Create(
            DiagnosticIds.CompanionNameClash, "Companion name already in use",
            "'{0}' cannot get its companion '{1}': the type already has a member with that name and signature",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnsupportedConstruct = Create(
            DiagnosticIds.UnsupportedConstruct, "Construct cannot be differentiated",
            "Cannot differentiate {0} in '{1}'",
            DifferentiationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor NonDifferentiableCall = Create(
            DiagnosticIds.NonDifferentiableCall, "Call to a method without a derivative",
            "'{1}' passes a value that depends on a differentiable parameter to '{0}', which is neither [Differentiable] nor has a hand-written '{2}': mark it [Differentiable], or write '{2}' (api.md)",
            DifferentiationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor WriteToMember = Create(
            DiagnosticIds.WriteToMember, "Write to a field or property",
            "'{1}' writes to '{0}': a [Differentiable] method may read fields and properties (as constants) but not write them",
            DifferentiationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor StructNotDifferentiable = Create(
            DiagnosticIds.StructNotDifferentiable, "Struct parameter cannot be differentiated",
            "Parameter '{0}' of '{1}' is the struct '{2}', whose fields are double or float, but {3}: passing it through as data would lose its gradient silently; mark it [NoDerivative] if it is data, or pass its fields as double or float parameters",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor StructWithNonRealField = Create(
            DiagnosticIds.StructWithNonRealField, "Struct parameter has a field that cannot carry a derivative",
            "Parameter '{0}' of '{1}' is the struct '{2}', which holds double or float values but also the field '{3}' of type '{4}', which cannot carry a derivative: a struct is differentiable when all its instance fields are double, float or such structs; pass the values as double or float parameters, or mark it [NoDerivative] if it is data",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor GenericTypeNotReal = Create(
            DiagnosticIds.GenericTypeNotReal, "Type parameter is not a floating-point generic-math type",
            "The type parameter '{1}' of '{0}' {2}: constrain it with 'where {1} : System.Numerics.IFloatingPointIeee754<{1}>'{3}",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor OverrideNotDifferentiableAlike = Create(
            DiagnosticIds.OverrideNotDifferentiableAlike, "Override of a [Differentiable] method is not differentiable alike",
            "'{0}' of '{1}' overrides the [Differentiable] method '{2}' {3}: the companions of '{2}' are virtual, and called on a '{1}' they would give the derivative of '{2}', not of this override; {4}",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor ZeroDerivativeOperation = Create(
            DiagnosticIds.ZeroDerivativeOperation, "Gradient does not flow through this operation",
            "{0} in '{1}' has a derivative that is zero almost everywhere or undefined: the gradient does not flow through it",
            DifferentiationCategory, DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor ResultIndependentOfParameters = Create(
            DiagnosticIds.ResultIndependentOfParameters, "Result does not depend on any differentiable parameter",
            "The result of '{0}' does not depend on its differentiable parameters ({1}): every gradient it computes is zero",
            DifferentiationCategory, DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor ParameterDoesNotAffectResult = Create(
            DiagnosticIds.ParameterDoesNotAffectResult, "Differentiable parameter does not affect the result",
            "Parameter '{0}' of '{1}' never reaches the result through a differentiable operation: its gradient is always zero (mark it [NoDerivative] if it is data)",
            DifferentiationCategory, DiagnosticSeverity.Info);

        /// <summary>Off by default: most code that uses Abs, Max or a comparison is fine with the subgradient.</summary>
        public static readonly DiagnosticDescriptor NonSmoothOperation = Create(
            DiagnosticIds.NonSmoothOperation, "Operation is not differentiable everywhere",
            "{0} in '{1}' is not differentiable {2}: the gradient there uses {3}",
            DifferentiationCategory, DiagnosticSeverity.Info, isEnabledByDefault: false);

        public static readonly DiagnosticDescriptor CalleeWithoutTangent = Create(
            DiagnosticIds.CalleeWithoutTangent, "Call to a method without a forward derivative",
            "'{1}' asks for forward mode (Derivatives.Forward) and passes a value that depends on a differentiable parameter to '{0}', which has no '{2}': mark '{0}' [Differentiable(Derivatives.Forward)], or write '{2}' by hand (api.md)",
            DifferentiationCategory, DiagnosticSeverity.Error);

        /// <summary>api.md: a companion a caller needs of a callee in another assembly that lacks it is an error naming the flag the callee needs.</summary>
        public static readonly DiagnosticDescriptor CalleeWithoutSecondOrder = Create(
            DiagnosticIds.CalleeWithoutSecondOrder, "Call to a method of another assembly without second-order companions",
            "'{1}' asks for second order (Derivatives.Hessian) and passes a value that depends on a differentiable parameter to '{0}', compiled in another assembly without '{2}': mark it [Differentiable({3})] in its assembly",
            DifferentiationCategory, DiagnosticSeverity.Error);

        /// <summary>
        /// A [Differentiable] callee in source whose own <c>MTangent</c> cannot be generated: it calls, itself or through
        /// others, a method with no forward derivative (ADG0301 is for the direct call).
        /// </summary>
        public static readonly DiagnosticDescriptor CalleeTangentNotGenerated = Create(
            DiagnosticIds.CalleeTangentNotGenerated, "Call to a method whose forward derivative cannot be generated",
            "'{1}' asks for forward mode (Derivatives.Forward) and passes a value that depends on a differentiable parameter to '{0}', whose '{2}' cannot be generated: {3}",
            DifferentiationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor OutputNotArray = Create(
            DiagnosticIds.OutputNotArray, "[Output] on a parameter that is not an array or span",
            "Parameter '{0}' of '{1}' is marked [Output] but its type is '{2}': only an array or span of double, float or a struct of reals can be an output (use 'out' for a scalar or a struct)",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor VectorValuedNotSupported = Create(
            DiagnosticIds.VectorValuedNotSupported, "Output or vector-valued call not supported yet",
            "'{0}' in '{1}' cannot be differentiated yet: {2}",
            DeclarationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor HessianOfVectorValued = Create(
            DiagnosticIds.HessianOfVectorValued, "Hessian of a method that is not scalar-valued",
            "'{0}' asks for Derivatives.Hessian, but it is not scalar-valued (its outputs are not one returned double or float): MHessian and MHessianVector are not generated; its other companions are",
            DeclarationCategory, DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor HessianNotSupported = Create(
            DiagnosticIds.HessianNotSupported, "Second order through a construct not supported yet",
            "'{0}' asks for Derivatives.Hessian, but MHessian and MHessianVector cannot be generated for it yet: {1}; its other companions are",
            DifferentiationCategory, DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor TensorPrimitiveWithoutRule = Create(
            DiagnosticIds.TensorPrimitiveWithoutRule, "TensorPrimitives member without a derivative rule",
            "'{1}' passes a value that depends on a differentiable parameter to '{0}', which has no derivative rule: the differentiable TensorPrimitives members are Dot, Sum, SumOfSquares, Norm, CosineSimilarity, Distance, Max, Min, Add, Subtract, Multiply, Divide, MultiplyAdd, Negate, Abs, Exp, Log, Sqrt, Tanh, Sigmoid, SoftMax and Pow on spans of double or float",
            DifferentiationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnsupportedSpanOperand = Create(
            DiagnosticIds.UnsupportedSpanOperand, "Span operand of a TensorPrimitives call not supported",
            "The span '{0}' passed to TensorPrimitives in '{1}' is not an array or span of the method, or a slice of one written at the call (x, x.AsSpan(start, length), x.Slice(start, length), new ReadOnlySpan<T>(x, start, length))",
            DifferentiationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor SimdVectorNotSupported = Create(
            DiagnosticIds.SimdVectorNotSupported, "SIMD vector operation not differentiated",
            "'{1}' passes a value that depends on a differentiable parameter to the SIMD vector operation '{0}', which is not differentiated: {2}",
            DifferentiationCategory, DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor InternalError = Create(
            DiagnosticIds.InternalError, "AutoDiffGen could not process the method",
            "AutoDiffGen could not generate gradient companions for '{0}' because of an internal error: {1}",
            DifferentiationCategory, DiagnosticSeverity.Warning);

        /// <summary>The whole catalogue (declared after every descriptor: static fields initialise in textual order).</summary>
        public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
            TypeNotPartial, UnsupportedReturnType, UnsupportedParameter, UnsupportedMethodKind, CompanionNameClash,
            UnsupportedConstruct, NonDifferentiableCall, WriteToMember, StructNotDifferentiable, StructWithNonRealField,
            GenericTypeNotReal, OverrideNotDifferentiableAlike,
            ZeroDerivativeOperation, ResultIndependentOfParameters, ParameterDoesNotAffectResult, NonSmoothOperation,
            CalleeWithoutTangent, OutputNotArray, VectorValuedNotSupported, HessianOfVectorValued, HessianNotSupported,
            CalleeWithoutSecondOrder, CalleeTangentNotGenerated,

            TensorPrimitiveWithoutRule, UnsupportedSpanOperand, SimdVectorNotSupported,
            InternalError);

        private static DiagnosticDescriptor Create(string id, string title, string messageFormat, string category, DiagnosticSeverity severity, bool isEnabledByDefault = true) =>
            new(id, title, messageFormat, category, severity, isEnabledByDefault, helpLinkUri: HelpLinkBase + id + ".md");
    }
}
