using System.Linq;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Parsing
{
    /// <summary>The metadata names the generator looks for, in one place.</summary>
    internal static class KnownNames
    {
        public const string DifferentiableAttribute = "AutoDiffGen.DifferentiableAttribute";
        public const string NoDerivativeAttribute = "AutoDiffGen.NoDerivativeAttribute";
        public const string BackwardSuffix = "Backward";
        public const string GradientSuffix = "Gradient";
        public const string GeneratedCodeTool = "AutoDiffGen";

        public static bool HasAttribute(ISymbol symbol, string metadataName) =>
            symbol.GetAttributes().Any(a => a.AttributeClass is { } c && c.ToDisplayString() == metadataName);
    }
}
