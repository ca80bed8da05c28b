namespace AutoDiffGen.Generator.Diagnostics
{
    /// <summary>
    /// The id of every ADG diagnostic, as constants. The descriptor catalogue uses them, and the code-fix assembly
    /// compiles this same file, so a fix can never name an id the analyzers do not report. Ids are never reused.
    /// </summary>
    internal static class DiagnosticIds
    {
        public const string TypeNotPartial = "ADG0001";
        public const string UnsupportedReturnType = "ADG0002";
        public const string UnsupportedParameter = "ADG0003";
        public const string UnsupportedMethodKind = "ADG0004";
        public const string CompanionNameClash = "ADG0006";
        public const string UnsupportedConstruct = "ADG0101";
        public const string NonDifferentiableCall = "ADG0102";
        public const string WriteToMember = "ADG0103";
        public const string StructNotDifferentiable = "ADG0104";
        public const string StructWithNonRealField = "ADG0105";
        public const string GenericTypeNotReal = "ADG0106";
        public const string OverrideNotDifferentiableAlike = "ADG0107";
        public const string ZeroDerivativeOperation = "ADG0201";
        public const string ResultIndependentOfParameters = "ADG0202";
        public const string ParameterDoesNotAffectResult = "ADG0203";
        public const string NonSmoothOperation = "ADG0204";
        public const string CalleeWithoutTangent = "ADG0301";
        public const string OutputNotArray = "ADG0302";
        public const string VectorValuedNotSupported = "ADG0303";
        public const string HessianOfVectorValued = "ADG0304";
        public const string HessianNotSupported = "ADG0305";
        public const string CalleeWithoutSecondOrder = "ADG0306";
        public const string CalleeTangentNotGenerated = "ADG0307";

        public const string TensorPrimitiveWithoutRule = "ADG0401";
        public const string UnsupportedSpanOperand = "ADG0402";
        public const string SimdVectorNotSupported = "ADG0403";
        public const string InternalError = "ADG0999";
    }
}
