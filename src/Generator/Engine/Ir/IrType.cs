namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>What the engine needs to know about a value's type.</summary>
    internal enum IrTypeKind
    {
        /// <summary><c>double</c>: an active candidate.</summary>
        Double,
        /// <summary><c>float</c>: an active candidate; float code stays float.</summary>
        Float,
        /// <summary><c>bool</c>: conditions and flags; always passive.</summary>
        Bool,
        /// <summary>An integral type (int, long, …): counters and indices; always passive.</summary>
        Integer,
        /// <summary>Anything else (objects, structs, enums, decimal): passed through, always passive.</summary>
        Other,
        /// <summary>An array or span of elements (see <see cref="ArrayLayout"/>); active when its elements are double or float.</summary>
        Array,
        /// <summary>
        /// A type parameter of a generic method constrained to generic math (<c>where T : IFloatingPointIeee754&lt;T&gt;</c>,
        /// or any set including <c>INumberBase&lt;T&gt;</c>): an active candidate like double, spelled by the parameter's
        /// name; its constants are <c>T.Zero</c>, <c>T.One</c>, <c>T.CreateTruncating(…)</c> and its functions <c>T.Sin</c>….
        /// </summary>
        GenericReal,
        /// <summary>
        /// A SIMD vector of double or float lanes (<c>Vector&lt;T&gt;</c>, <c>Vector64/128/256/512&lt;T&gt;</c>, see
        /// <see cref="SimdFamily"/>): a value, like a scalar, whose adjoint and tangent are vectors of the same type; every
        /// arithmetic rule applies lane-wise (IrSimd.cs has the design).
        /// </summary>
        SimdVector,
    }

    /// <summary>Which SIMD vector type a <see cref="IrTypeKind.SimdVector"/> value has: it decides the C# spelling of its operations.</summary>
    internal enum SimdFamily
    {
        None,
        /// <summary><c>System.Numerics.Vector&lt;T&gt;</c>: the lane count is <c>Vector&lt;T&gt;.Count</c>, fixed when the program starts.</summary>
        Vector,
        /// <summary><c>System.Runtime.Intrinsics.Vector64&lt;T&gt;</c>.</summary>
        Vector64,
        /// <summary><c>System.Runtime.Intrinsics.Vector128&lt;T&gt;</c>.</summary>
        Vector128,
        /// <summary><c>System.Runtime.Intrinsics.Vector256&lt;T&gt;</c>.</summary>
        Vector256,
        /// <summary><c>System.Runtime.Intrinsics.Vector512&lt;T&gt;</c>.</summary>
        Vector512,
    }

    /// <summary>How an array-kind value is stored and indexed.</summary>
    internal enum ArrayLayout
    {
        None,
        /// <summary><c>T[]</c>: one index.</summary>
        Vector,
        /// <summary><c>Span&lt;T&gt;</c>: one index.</summary>
        Span,
        /// <summary><c>ReadOnlySpan&lt;T&gt;</c>: one index, read only.</summary>
        ReadOnlySpan,
        /// <summary><c>T[,]</c>: two indices, <c>m[i, j]</c>.</summary>
        Matrix,
        /// <summary><c>T[][]</c>: two indices, <c>m[i][j]</c>.</summary>
        Jagged,
    }

    /// <summary>A value type in the IR: its kind and its C# spelling (fully qualified).</summary>
    internal sealed record IrType(IrTypeKind Kind, string CSharpName)
    {
        /// <summary>For arrays: the element type (a scalar).</summary>
        public IrType? Element { get; init; }

        /// <summary>For arrays: the storage and indexing.</summary>
        public ArrayLayout Layout { get; init; }

        /// <summary>For SIMD vectors: which vector type (the lane type is <see cref="Element"/>).</summary>
        public SimdFamily Simd { get; init; }

        /// <summary>A SIMD vector of <paramref name="element"/> lanes.</summary>
        public static IrType SimdOf(IrType element, SimdFamily family) =>
            new(IrTypeKind.SimdVector, SimdHelperClass(family) + "<" + element.CSharpName + ">") { Element = element, Simd = family };

        /// <summary>The static class with the family's operations: <c>global::System.Numerics.Vector</c>, <c>…Intrinsics.Vector256</c>.</summary>
        public static string SimdHelperClass(SimdFamily family) =>
            family == SimdFamily.Vector ? "global::System.Numerics.Vector" : "global::System.Runtime.Intrinsics." + family;

        /// <summary>Whether this is a SIMD vector of double or float lanes.</summary>
        public bool IsSimdVector => Kind == IrTypeKind.SimdVector;

        /// <summary>For arrays: how many indices reach an element.</summary>
        public int Rank => Layout is ArrayLayout.Matrix or ArrayLayout.Jagged ? 2 : Layout == ArrayLayout.None ? 0 : 1;

        /// <summary>An array type of the given layout over a scalar element type.</summary>
        public static IrType ArrayOf(IrType element, ArrayLayout layout)
        {
            string name = layout switch
            {
                ArrayLayout.Vector => element.CSharpName + "[]",
                ArrayLayout.Span => "global::System.Span<" + element.CSharpName + ">",
                ArrayLayout.ReadOnlySpan => "global::System.ReadOnlySpan<" + element.CSharpName + ">",
                ArrayLayout.Matrix => element.CSharpName + "[,]",
                _ => element.CSharpName + "[][]",
            };
            return new IrType(IrTypeKind.Array, name) { Element = element, Layout = layout };
        }

        /// <summary>Whether this is an array or span whose elements can carry derivatives.</summary>
        public bool IsDifferentiableArray => Kind == IrTypeKind.Array && Element is { IsDifferentiable: true };

        /// <summary>Whether values of this type can carry derivatives: a double or float, or an array of them.</summary>
        public bool CarriesDerivative => IsDifferentiable || IsDifferentiableArray;

        public static readonly IrType Double = new(IrTypeKind.Double, "double");
        public static readonly IrType Float = new(IrTypeKind.Float, "float");
        public static readonly IrType Bool = new(IrTypeKind.Bool, "bool");
        public static readonly IrType Int = new(IrTypeKind.Integer, "int");

        /// <summary>
        /// Whether this is a differentiable value whose adjoint has its own type: a double, a float, a generic-math type
        /// parameter, or a SIMD vector of doubles or floats (lane-wise, a vector behaves as a scalar does; <see cref="IsSimdVector"/> tells them apart).
        /// </summary>
        public bool IsDifferentiable => Kind is IrTypeKind.Double or IrTypeKind.Float or IrTypeKind.GenericReal || Kind == IrTypeKind.SimdVector;

        /// <summary>The real type of a scalar, or of a SIMD vector's lanes.</summary>
        public IrType Real => Kind == IrTypeKind.SimdVector ? Element! : this;

        /// <summary>A generic-math type parameter (<see cref="IrTypeKind.GenericReal"/>) named <paramref name="name"/>.</summary>
        public static IrType GenericReal(string name) => new(IrTypeKind.GenericReal, name);

        /// <summary>Whether this is a real scalar that C# can spell as a numeric literal (double or float, not a type parameter).</summary>
        public bool IsPrimitiveReal => Kind is IrTypeKind.Double or IrTypeKind.Float;

        public override string ToString() => CSharpName;
    }
}
