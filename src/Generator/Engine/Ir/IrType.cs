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
    }

    /// <summary>A value type in the IR: its kind and its C# spelling (fully qualified).</summary>
    internal sealed record IrType(IrTypeKind Kind, string CSharpName)
    {
        public static readonly IrType Double = new(IrTypeKind.Double, "double");
        public static readonly IrType Float = new(IrTypeKind.Float, "float");
        public static readonly IrType Bool = new(IrTypeKind.Bool, "bool");
        public static readonly IrType Int = new(IrTypeKind.Integer, "int");

        /// <summary>Whether values of this type can carry a derivative.</summary>
        public bool IsDifferentiable => Kind is IrTypeKind.Double or IrTypeKind.Float;

        public override string ToString() => CSharpName;
    }
}
