using System.Linq;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Parsing
{
    /// <summary>The metadata names the generator looks for, in one place.</summary>
    internal static class KnownNames
    {
        public const string DifferentiableAttribute = "AutoDiffGen.DifferentiableAttribute";
        public const string NoDerivativeAttribute = "AutoDiffGen.NoDerivativeAttribute";
        public const string OutputAttribute = "AutoDiffGen.OutputAttribute";
        public static readonly string BackwardSuffix = Model.Companion.Backward.Suffix;
        public static readonly string GradientSuffix = Model.Companion.Gradient.Suffix;
        public static readonly string TangentSuffix = Model.Companion.Tangent.Suffix;
        public const string GeneratedCodeTool = "AutoDiffGen";

        /// <summary>
        /// The modes a [Differentiable] method asks for: the <c>Derivatives</c> argument of its attribute, or
        /// <see cref="Model.DerivativeModes.Reverse"/> when there is none (or the method has no attribute).
        /// </summary>
        public static Model.DerivativeModes ModesOf(ISymbol method) =>
            ModesOf(method.GetAttributes().FirstOrDefault(a => a.AttributeClass is { } c && c.ToDisplayString() == DifferentiableAttribute));

        /// <summary>The modes a [Differentiable] attribute asks for (<see cref="Model.DerivativeModes.Reverse"/> when null or without argument).</summary>
        public static Model.DerivativeModes ModesOf(AttributeData? attribute) =>
            attribute is { ConstructorArguments.Length: 1 } && attribute.ConstructorArguments[0].Value is int flags
                ? (Model.DerivativeModes)flags
                : Model.DerivativeModes.Reverse;

        /// <summary>
        /// Whether a [Differentiable] method's own file has its <c>MTangent</c>: it asks for forward mode, or it is
        /// vector-valued (its MJacobian runs forward sweeps; see <see cref="Model.Companion.GeneratedFor"/>).
        /// </summary>
        public static bool GetsOwnTangent(IMethodSymbol method) =>
            (ModesOf(method) & Model.DerivativeModes.Forward) != 0 || IsVectorValued(method);

        /// <summary>
        /// A method with outputs besides a returned scalar: <c>out double</c>/<c>out float</c>/<c>out S</c> or <c>[Output]</c>
        /// parameters, or a returned struct of reals <c>S</c>.
        /// </summary>
        public static bool IsVectorValued(IMethodSymbol method) =>
            method.Parameters.Any(p => MethodParser.IsOutValue(p) || HasAttribute(p, OutputAttribute))
            || !method.ReturnsVoid && method.ReturnType.TypeKind == TypeKind.Struct && MethodParser.IsDifferentiableStruct(method.ReturnType);

        public static bool HasAttribute(ISymbol symbol, string metadataName) =>
            symbol.GetAttributes().Any(a => a.AttributeClass is { } c && c.ToDisplayString() == metadataName);
    }
}
