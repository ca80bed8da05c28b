using System.Collections.Generic;
using System.Collections.Immutable;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>
    /// A lowered method: its parameters, every variable it uses, its body, and the variable holding its result.
    /// </summary>
    internal sealed class IrFunction
    {
        public IrFunction(string name, IrType returnType, ImmutableArray<IrVariable> parameters, IReadOnlyList<IrVariable> variables, IrVariable result, IrBlock body)
        {
            Name = name;
            ReturnType = returnType;
            Parameters = parameters;
            Variables = variables;
            Result = result;
            Body = body;
        }

        public string Name { get; }

        public IrType ReturnType { get; }

        public ImmutableArray<IrVariable> Parameters { get; }

        /// <summary>Every variable, parameters included, in creation order.</summary>
        public IReadOnlyList<IrVariable> Variables { get; }

        public IrVariable Result { get; }

        public IrBlock Body { get; }

        /// <summary>
        /// The outputs besides the return value, in declaration order (api.md "Outputs (v2)"): <c>out</c> scalars (the local
        /// that stands for each) and <c>[Output]</c> buffers (the parameter itself). Empty for a scalar-valued method.
        /// </summary>
        public ImmutableArray<IrOutput> Outputs { get; init; } = ImmutableArray<IrOutput>.Empty;

        /// <summary>
        /// Runs after the body on every exit path (a <c>finally</c>): rented arrays the body uses go back to the pool. Empty for
        /// a lowered method; a function another transform made (a closed tangent program) may rent, and a transform over it
        /// runs this once its own sweeps are done.
        /// </summary>
        public IrBlock Cleanup { get; init; } = new();

        /// <summary>Whether the method returns its value (false: <c>void</c>; <see cref="Result"/> is then a placeholder nothing assigns).</summary>
        public bool ReturnsValue { get; init; } = true;

        /// <summary>Every output variable: the result (when returned), then <see cref="Outputs"/>. The roots of activity's usefulness.</summary>
        public IEnumerable<IrVariable> OutputVariables
        {
            get
            {
                if (ReturnsValue) yield return Result;
                foreach (IrOutput output in Outputs) yield return output.Variable;
            }
        }
    }

    /// <summary>
    /// An output parameter of the method. For an <c>out</c> scalar, <see cref="Variable"/> is a local the body assigns
    /// (the parameter itself is <see cref="Parameter"/>, written once the method's computation is done, so that nothing a
    /// reverse sweep restores reaches the caller); for an <c>[Output]</c> buffer both are the parameter (for an <c>[Output]</c>
    /// array of structs, one buffer per leaf array: Lowering/MethodLowering.StructArrays.cs). A struct output
    /// (an <c>out S</c> parameter or a returned <c>S</c>) is one output per leaf (<see cref="Leaf"/>); its
    /// <see cref="Parameter"/> is then a local receiving the leaf's final value, from which the emitter builds the struct.
    /// </summary>
    internal sealed record IrOutput(IrVariable Parameter, IrVariable Variable)
    {
        /// <summary>Whether this is an array or span the method writes into.</summary>
        public bool IsBuffer => Variable.Type.Kind == IrTypeKind.Array;

        /// <summary>For a leaf of a struct output: which output and which leaf; null for a scalar or a buffer.</summary>
        public StructOutputLeaf? Leaf { get; init; }
    }

    /// <summary>One leaf of a struct output: of the <c>out</c> parameter <paramref name="ParameterName"/>, or of the return value (null).</summary>
    internal sealed record StructOutputLeaf(string? ParameterName, StructShape Shape, int LeafIndex)
    {
        public bool OfReturnValue => ParameterName is null;

        public string Path => Shape.Leaves[LeafIndex].Path;
    }

    /// <summary>Hands out variables with increasing ids, so everything derived from them is deterministic.</summary>
    internal sealed class IrVariableFactory
    {
        private readonly List<IrVariable> _variables = new();
        private readonly int _firstId;

        /// <param name="firstId">The first id to hand out: a second factory for one function continues after the first.</param>
        public IrVariableFactory(int firstId = 0)
        {
            _firstId = firstId;
        }

        public IReadOnlyList<IrVariable> Variables => _variables;

        public IrVariable Create(string preferredName, IrType type, IrVariableRole role, bool isDifferentiableParameter = false)
        {
            var variable = new IrVariable(_firstId + _variables.Count, preferredName, type, role) { IsDifferentiableParameter = isDifferentiableParameter };
            _variables.Add(variable);
            return variable;
        }

        public IrVariable Temporary(IrType type) => Create("_t", type, IrVariableRole.Temporary);
    }
}
