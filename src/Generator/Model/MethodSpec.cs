using System.Collections.Generic;
using System.Linq;

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

        /// <summary>A parameter marked <c>[Output]</c> (api.md "Outputs (v2)"): an array or span (of reals, or of structs of reals) the method writes its result into.</summary>
        public bool IsOutput { get; init; }

        /// <summary>An <c>out double</c>/<c>out float</c>/<c>out S</c> parameter (S a struct of reals): an output (api.md "Outputs (v2)"), <c>out</c> in every companion too.</summary>
        public bool IsOut { get; init; }

        /// <summary>
        /// For a struct of reals or an array or span of them: the one real type of its leaves (<c>float</c> for <c>Vector3</c>),
        /// <c>double</c> when they differ; null for other parameters.
        /// </summary>
        public string? StructLeafTypeName { get; init; }

        /// <summary>The real type its values are made of: <see cref="ScalarTypeName"/>, or a struct's <see cref="StructLeafTypeName"/>.</summary>
        public string RealTypeName => StructLeafTypeName ?? ScalarTypeName;

        /// <summary>Whether the parameter is one of the method's outputs (an <c>out</c> scalar or an <c>[Output]</c> buffer).</summary>
        public bool IsAnyOutput => IsOut || IsOutput;

        /// <summary>The parameter as a companion re-declares it: <c>this</c>, <c>in</c> and <c>out</c> kept.</summary>
        public string Declaration => (IsThis ? "this " : "") + (IsIn ? "in " : "") + (IsOut ? "out " : "") + TypeName + " " + Name;

        /// <summary>The parameter as a companion passes it on to another companion: <c>in</c> and <c>out</c> kept.</summary>
        public string Argument => (IsIn ? "in " : "") + (IsOut ? "out " : "") + Name;

        /// <summary>A seed's type in a vector-valued <c>MBackward</c>: the scalar itself, <c>ReadOnlySpan&lt;T&gt;</c> for an array output.</summary>
        public string SeedTypeName => Layout == Engine.Ir.ArrayLayout.None ? ScalarTypeName : "global::System.ReadOnlySpan<" + ScalarTypeName + ">";

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
        /// <summary>A generic method's type parameter list as companions declare it (<c>&lt;T&gt;</c>); empty for other methods.</summary>
        public string TypeParameterList { get; init; } = "";

        /// <summary>A generic method's constraint clauses, fully qualified (<c> where T : global::System.Numerics.IFloatingPointIeee754&lt;T&gt;</c>).</summary>
        public string ConstraintClauses { get; init; } = "";

        /// <summary>The type parameters that are generic reals (constrained to generic math): their zero is <c>T.Zero</c>, not <c>0</c>.</summary>
        public EquatableArray<string> GenericReals { get; init; } = EquatableArray<string>.Empty;

        /// <summary>Whether <paramref name="typeName"/> names one of the method's generic-real type parameters.</summary>
        public bool IsGenericReal(string typeName) => GenericReals.Contains(typeName);

        /// <summary>The modes the attribute asks for (<c>[Differentiable]</c> alone: <see cref="DerivativeModes.Reverse"/>).</summary>
        public DerivativeModes Modes { get; init; } = DerivativeModes.Reverse;

        /// <summary>How the companions dispatch: virtual, overriding or hiding a base class's (instance methods of classes).</summary>
        public CompanionDispatch Dispatch { get; init; } = CompanionDispatch.None;

        /// <summary>Whether the method returns a value (which is then its first output).</summary>
        public bool ReturnsValue => ReturnTypeName != "void";

        /// <summary>For a returned struct of reals: the one real type of its leaves, <c>double</c> when they differ; otherwise null.</summary>
        public string? ReturnStructLeafTypeName { get; init; }

        /// <summary>The real type the returned value is made of: the return type, or a returned struct's <see cref="ReturnStructLeafTypeName"/>.</summary>
        public string ReturnRealTypeName => ReturnStructLeafTypeName ?? ReturnTypeName;

        /// <summary>Whether the returned value is a struct of reals (api.md v2): an output of several leaves, so the method is vector-valued.</summary>
        public bool ReturnsStruct { get; init; }

        /// <summary>
        /// Whether any output besides a returned scalar exists, or none is returned (api.md: a method whose only output
        /// is its return value is scalar-valued; any other is vector-valued).
        /// </summary>
        public bool IsVectorValued => !ReturnsValue || ReturnsStruct || Parameters.Any(p => p.IsAnyOutput);

        /// <summary>The outputs in output order (api.md): the return value (null here) first, then the output parameters in declaration order.</summary>
        public IEnumerable<ParameterSpec?> Outputs => (ReturnsValue ? new ParameterSpec?[] { null } : new ParameterSpec?[0]).Concat(Parameters.Where(p => p.IsAnyOutput));

        /// <summary>
        /// The element type of <c>MJacobian</c>'s and <c>MHessian</c>'s matrix (api.md): <c>float</c> when every differentiable
        /// input and every output is <c>float</c>, otherwise <c>double</c>. A struct counts as the one type of its leaves, so
        /// a method over <c>Vector3</c>, <c>Quaternion</c> or a record struct of floats (and float scalars) gets a <c>float[,]</c>.
        /// </summary>
        /// A generic method whose reals are all one type parameter <c>T</c> gets a <c>T[,]</c>.
        public string JacobianElementTypeName
        {
            get
            {
                var types = Parameters.Where(p => p.IsDifferentiable || p.IsAnyOutput).Select(p => p.RealTypeName).Concat(ReturnsValue ? new[] { ReturnRealTypeName } : new string[0]).ToList();
                if (types.Count > 0 && IsGenericReal(types[0]) && types.All(t => t == types[0])) return types[0];
                return types.All(t => t == "float") ? "float" : "double";
            }
        }
    }
}
