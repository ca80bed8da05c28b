namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>Why a variable exists: it decides how the emitter declares it and how the reverse sweep treats it.</summary>
    internal enum IrVariableRole
    {
        /// <summary>A parameter of the differentiated method.</summary>
        Parameter,
        /// <summary>A local the user declared.</summary>
        Local,
        /// <summary>A three-address temporary made by lowering.</summary>
        Temporary,
        /// <summary>The value the method returns.</summary>
        Result,
        /// <summary>The control state that replaces break, continue and return, loop flags and counters.</summary>
        Control,
        /// <summary>The adjoint (gradient accumulator) of another variable, made by the reverse transform.</summary>
        Adjoint,
        /// <summary>A value saved before it is overwritten, so the reverse sweep can restore it.</summary>
        Saved,
    }

    /// <summary>
    /// A mutable storage location of the IR. Identity is reference identity: two variables with the same name
    /// (a user's <c>i</c> in two loops) are different variables, and the emitter gives them different names.
    /// </summary>
    internal sealed class IrVariable
    {
        public IrVariable(int id, string preferredName, IrType type, IrVariableRole role)
        {
            Id = id;
            PreferredName = preferredName;
            Type = type;
            Role = role;
        }

        /// <summary>Creation order; makes every map over variables deterministic.</summary>
        public int Id { get; }

        /// <summary>The user's name, or a generated stem such as <c>_t</c>; the emitter makes it unique.</summary>
        public string PreferredName { get; }

        public IrType Type { get; }

        public IrVariableRole Role { get; }

        /// <summary>For parameters: whether a gradient is computed for it (differentiable type, not [NoDerivative]).</summary>
        public bool IsDifferentiableParameter { get; init; }

        /// <summary>For the caller's gradient buffer of a parameter array: that parameter (the emitter names it <c>dx</c>).</summary>
        public IrVariable? GradientParameterOf { get; set; }

        /// <summary>For a parameter that is one leaf of a struct parameter (scalar replacement): which one.</summary>
        public StructLeafOf? StructLeaf { get; set; }

        /// <summary>For adjoints: the variable whose adjoint this is.</summary>
        public IrVariable? Primal { get; set; }

        /// <summary>A double or float adjoint (not an array's): the adjoints the reverse passes reason about one by one.</summary>
        public bool IsScalarAdjoint => Role == IrVariableRole.Adjoint && Type.IsDifferentiable;

        public override string ToString() => PreferredName + "#" + Id;

        /// <summary>Reference identity, as documented above.</summary>
        public override bool Equals(object? obj) => ReferenceEquals(this, obj);

        /// <summary>
        /// The creation order: unique within a function, and cheaper than the object-header hash, which the reverse
        /// transform's sets and maps ask for millions of times on a long method. (Iteration order of the BCL's hash sets
        /// and dictionaries does not depend on hash codes, so nothing generated changes.)
        /// </summary>
        public override int GetHashCode() => Id;
    }
}
