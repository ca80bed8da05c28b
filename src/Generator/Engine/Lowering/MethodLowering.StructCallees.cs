using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Calls of [Differentiable] methods that take or return a struct of reals (<c>Norm(new Point(a, b))</c>,
    /// <c>var q = Rotate(p, θ)</c>), or take an array or span of them (<c>Energy(points)</c>). The IR passes scalars to a callee's companions, and a struct argument would need a
    /// struct adjoint scattered back into its leaves; so such a callee is inlined from source instead, like a struct's own
    /// members: its body is lowered in place (MethodLowering.LocalFunctions.cs, <see cref="InlineBody"/>), which gives the
    /// same derivatives as calling its <c>…Backward</c>. The callee's declaration (body included: it takes a struct) is
    /// part of the caller's cache key (Pipeline/DeclarationIndex). Only non-generic callees whose code is in this
    /// compilation, without a hand-written <c>…Backward</c> (whose derivative must be the one used), static or instance
    /// methods called on the caller's own object (<see cref="CallsOnThisObject"/>), are inlined; a
    /// [NoDerivative] parameter keeps its meaning: a value that depends on a differentiable input passed there is an error.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        /// <summary>Whether a call is differentiated by inlining its callee (see the type's summary).</summary>
        private bool InlinesDifferentiableCallee(IInvocationOperation invocation) =>
            InlinesDifferentiableCallee(invocation.TargetMethod) && (invocation.TargetMethod.IsStatic || CallsOnThisObject(invocation));

        /// <summary>
        /// An instance callee called on the caller's own object (<c>Energy(p)</c> or <c>this.Energy(p)</c> from an instance
        /// method of a class): its body's <c>this</c> is the caller's, so it can be inlined as written. A virtual method is
        /// not (another body may run), nor a call on another object (ADG0101: make it static, or pass the fields).
        /// </summary>
        private bool CallsOnThisObject(IInvocationOperation invocation) =>
            !_method.IsStatic && _thisStruct is null && invocation.TargetMethod is { IsVirtual: false, IsAbstract: false, IsOverride: false, ContainingType.IsReferenceType: true }
            && invocation.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

        private static bool InlinesDifferentiableCallee(IMethodSymbol callee) =>
            !callee.IsGenericMethod && callee.MethodKind == MethodKind.Ordinary
            && KnownNames.HasAttribute(callee.OriginalDefinition, KnownNames.DifferentiableAttribute) && !HasHandWrittenBackward(callee)
            && !callee.Parameters.Any(p => p.RefKind is not (RefKind.None or RefKind.In) || KnownNames.HasAttribute(p, KnownNames.OutputAttribute))
            && (callee.Parameters.Any(p => MethodParser.IsDifferentiableParameter(p) && TakesStructs(p.Type))
                || ReturnsStruct(callee));

        /// <summary>A struct of reals, or an array or span of them (MethodLowering.StructArrays.cs): a callee taking one is inlined.</summary>
        private static bool TakesStructs(ITypeSymbol type) => MethodParser.IsDifferentiableStruct(type) || MethodParser.IsDifferentiableStructArray(type);

        private static bool ReturnsStruct(IMethodSymbol method) => !method.ReturnsVoid && MethodParser.IsDifferentiableStruct(method.ReturnType);

        /// <summary>
        /// Inlines the call of a [Differentiable] callee taking or returning a struct: its scalar result (read when
        /// <paramref name="resultUsed"/>), or its struct result stored into <paramref name="structResult"/>.
        /// </summary>
        private IrExpression InlineDifferentiableCallee(IInvocationOperation invocation, bool resultUsed, StructVariable? structResult)
        {
            IMethodSymbol callee = invocation.TargetMethod;
            string name = "'" + callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "'";
            if (SourceBody(callee, invocation) is not { } body)
            {
                return Unsupported(invocation, "the call '" + Describe(invocation) + "': " + name
                    + " takes or returns a struct of reals, and such a call is differentiated by inlining the callee's code, which is not in this compilation (pass the fields as double or float parameters)");
            }
            int diagnostics = _diagnostics.Count, pending = _pending.Count;
            var arguments = invocation.Arguments.Select(a => (a.Parameter!, a.Value, (IOperation)a)).ToList();
            IrExpression result = InlineBody(callee, body, invocation, arguments, receiver: null, structResult, resultUsed, name,
                "a [Differentiable] method taking or returning a struct is differentiated by inlining it where it is called, so it cannot call itself: pass the fields as double or float parameters");
            ReportAtCallSite(invocation, diagnostics, pending);
            foreach (IArgumentOperation argument in invocation.Arguments.Where(a => KnownNames.HasAttribute(a.Parameter!, KnownNames.NoDerivativeAttribute)))
            {
                // The callee declares the parameter data: a value depending on a differentiable input would get a derivative
                // through the inlined code that the callee's own companions would not give.
                string message = "the argument '" + argument.Syntax + "': '" + callee.Name + "' takes it as data (parameter '" + argument.Parameter!.Name
                    + "' is [NoDerivative]), so its gradient would be lost; remove [NoDerivative] there, or pass a value that does not depend on a differentiable parameter";
                if (_symbolVariables.TryGetValue(argument.Parameter, out IrVariable? bound) && bound.Type.CarriesDerivative)
                {
                    AddPending(argument, DiagnosticDescriptors.UnsupportedConstruct, Read(bound), message, isError: true);
                }
                else if (_structVariables.TryGetValue(argument.Parameter, out StructVariable? leaves))
                {
                    foreach (IrVariable leaf in leaves.Leaves) AddPending(argument, DiagnosticDescriptors.UnsupportedConstruct, Read(leaf), message, isError: true);
                }
                else if (_structArrays.TryGetValue(argument.Parameter, out StructArray? array))
                {
                    foreach (IrVariable leaf in array.Leaves) AddPending(argument, DiagnosticDescriptors.UnsupportedConstruct, Read(leaf), message, isError: true);
                }
            }
            return result;
        }
    }
}
