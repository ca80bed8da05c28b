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
