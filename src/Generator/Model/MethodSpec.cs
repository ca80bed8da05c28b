namespace AutoDiffGen.Generator.Model
{
    /// <summary>One containing type, as needed to re-open it: <c>partial record struct Pair&lt;T&gt;</c>.</summary>
    internal sealed record ContainingTypeSpec(string Keyword, string NameWithTypeParameters);

    /// <summary>A parameter of the differentiated method, as the companions declare and pass it.</summary>
    /// <param name="Name">The parameter's name as written (escaped with @ where it is a keyword).</param>
    /// <param name="TypeName">Its type, <c>global::</c>-qualified.</param>
    /// <param name="IsDifferentiable">Whether it gets a gradient (differentiable type and not [NoDerivative]).</param>
    /// <param name="IsThis">The <c>this</c> parameter of an extension method.</param>
    /// <param name="Layout">For arrays and spans: how they are stored (decides the gradient's type).</param>
    /// <param name="ScalarTypeName">The scalar type: the parameter's own, or its elements'.</param>
    internal sealed record ParameterSpec(string Name, string TypeName, bool IsDifferentiable, bool IsThis, Engine.Ir.ArrayLayout Layout, string ScalarTypeName)
    {
        /// <summary>An <c>in</c> parameter: an input like a by-value one, and <c>in</c> in every companion too (api.md).</summary>
        public bool IsIn { get; init; }

        /// <summary>A struct of reals (api.md v2): its gradient, adjoint and tangent are values of the same struct.</summary>
        public bool IsStruct { get; init; }

        /// <summary>A parameter marked <c>[Output]</c> (api.md "Outputs (v2)").</summary>
        public bool IsOutput { get; init; }

        /// <summary>A tangent's type in <c>MTangent</c>: the scalar itself, <c>ReadOnlySpan&lt;T&gt;</c> for vectors and spans, the same array type for matrices and jagged arrays.</summary>
        public string TangentTypeName => Layout switch
        {
            Engine.Ir.ArrayLayout.None => ScalarTypeName,
            Engine.Ir.ArrayLayout.Matrix => ScalarTypeName + "[,]",
            Engine.Ir.ArrayLayout.Jagged => ScalarTypeName + "[][]",
            _ => "global::System.ReadOnlySpan<" + ScalarTypeName + ">",
        };

        /// <summary>The gradient's type: <c>Span&lt;T&gt;</c> for vectors and spans, the same array type for matrices and jagged arrays.</summary>
        public string GradientTypeName => Layout switch
        {
            Engine.Ir.ArrayLayout.None => ScalarTypeName,
            Engine.Ir.ArrayLayout.Matrix => ScalarTypeName + "[,]",
            Engine.Ir.ArrayLayout.Jagged => ScalarTypeName + "[][]",
            _ => "global::System.Span<" + ScalarTypeName + ">",
        };
    }

    /// <summary>Everything the emitter needs about the method besides its body: where it lives and its signature.</summary>
    internal sealed record MethodSpec(
        string? Namespace,
        EquatableArray<ContainingTypeSpec> ContainingTypes,
        string Name,
        string Accessibility,
        bool IsStatic,
        string ReturnTypeName,
        EquatableArray<ParameterSpec> Parameters)
    {
        /// <summary>The modes the attribute asks for (<c>[Differentiable]</c> alone: <see cref="DerivativeModes.Reverse"/>).</summary>
        public DerivativeModes Modes { get; init; } = DerivativeModes.Reverse;
    }
}
