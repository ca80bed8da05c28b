using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// Struct parameters in the companions: the IR holds one parameter per leaf (read as <c>p.X</c>); their adjoints go back
    /// into the caller's struct, <c>dp = new Point(dp.X + _d_p_X, dp.Y + _d_p_Y);</c>, since a struct's members may be init-only.
    /// </summary>
    internal sealed partial class CompanionEmitter
    {
        /// <remarks>(The leaf arrays of an array of structs accumulate into the caller's elements as they go: CompanionEmitter.StructArrays.cs.)</remarks>
        private void EmitStructAdjoints(Func<IrVariable, string> scalarGradient)
        {
            // Grouped by the companion parameter the leaves' adjoints go into: in MBackwardTangent a struct input's leaves (into
            // dp) and its direction's (into dvp) belong to the same user parameter.
            foreach (var group in _program.Function.Parameters.Where(p => p.IsDifferentiableParameter && p.StructLeaf is not null && p.Type.Kind != IrTypeKind.Array).GroupBy(scalarGradient))
            {
                var leaves = group.ToList();
                StructShape shape = leaves[0].StructLeaf!.Shape;
                string gradient = group.Key;
                var adjoints = leaves.Select(l => _program.Adjoints.TryGetValue(l, out IrVariable? adjoint) ? adjoint : null).ToList();
                if (adjoints.All(a => a is null)) continue;
                Line(gradient + " = " + shape.Build(i => adjoints[i] is { } adjoint
                    ? gradient + shape.Leaves[i].Path + " + " + Name(adjoint)
                    : gradient + shape.Leaves[i].Path) + ";");
            }
        }
    }
}
