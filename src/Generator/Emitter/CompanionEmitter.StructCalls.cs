using System.Collections.Generic;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// Calls of a callee's companions with struct arguments (<see cref="CallTarget.StructArguments"/>): the IR passes a struct
    /// parameter as its leaves, the callee takes the struct. The call rebuilds it (<c>Norm(new Point(_t0, b))</c>); its
    /// <c>…Backward</c> gets a zeroed struct adjoint of its own (<c>Point _d_Norm_p = default; NormBackward(…, ref _d_Norm_p);</c>), whose
    /// fields are then added to the leaves' adjoints (the callee adds into what it is given, as for a scalar); its
    /// <c>…Tangent</c> gets the struct built from the leaves' tangents.
    /// </summary>
    internal sealed partial class CompanionEmitter
    {
        /// <summary>The C# arguments of a call, a struct parameter's leaves rebuilt into the struct.</summary>
        private List<string> CallArguments(IrDifferentiableCall call)
        {
            var rendered = new List<string>(call.Arguments.Length);
            for (int i = 0; i < call.Arguments.Length; i++)
            {
                if (call.Target.StructArgumentAt(i) is { } structArgument)
                {
                    int first = i;
                    rendered.Add(structArgument.Shape.Build(k => Render(call.Arguments[first + k])));
                    i += structArgument.Shape.Leaves.Length - 1;
                    continue;
                }
                rendered.Add(Render(call.Arguments[i]));
            }
            return rendered;
        }

        /// <summary>
        /// <c>ref _dp</c> for a struct parameter of a <c>…Backward</c> call: a zeroed struct declared before the call; after
        /// it, <see cref="ScatterStructAdjoints"/> adds its fields into <paramref name="adjoints"/> (the leaves' adjoints,
        /// null for a passive leaf, whose share is dropped).
        /// </summary>
        private string StructAdjointArgument(string calleeName, StructArgument argument, IReadOnlyList<IrVariable?> adjoints, List<(string Temporary, StructShape Shape, IReadOnlyList<IrVariable?> Adjoints)> scatter)
        {
            string temporary = _names.Fresh("_d_" + calleeName.TrimStart('@') + "_" + argument.Name); // _d_Norm_p: the adjoint of Norm's p
            Line(argument.Shape.TypeName + " " + temporary + " = default;");
            scatter.Add((temporary, argument.Shape, adjoints));
            return "ref " + temporary;
        }

        private void ScatterStructAdjoints(List<(string Temporary, StructShape Shape, IReadOnlyList<IrVariable?> Adjoints)> scatter)
        {
            foreach (var (temporary, shape, adjoints) in scatter)
            {
                for (int k = 0; k < shape.Leaves.Length; k++)
                {
                    if (adjoints[k] is { } adjoint) Line(Name(adjoint) + " += " + temporary + shape.Leaves[k].Path + ";");
                }
            }
        }

        /// <summary>
        /// The seed of a <c>…Backward</c> call: for one leaf of a struct result (<see cref="CallTarget.ResultStruct"/>), the
        /// struct with that leaf's seed and zeros elsewhere (the calls of the other leaves add theirs).
        /// </summary>
        private string SeedArgument(CallTarget target, IrExpression seed) =>
            target.ResultStruct is { } shape
                ? shape.Build(k => k == target.ResultLeaf ? Render(seed) : RenderZero(shape.Leaves[k].Type))
                : Render(seed);

        /// <summary>The tangent of a struct parameter for a <c>…Tangent</c> call: the struct built from its leaves' tangents (0 for a passive leaf).</summary>
        private string StructTangentArgument(IrDifferentiableCall call, StructArgument argument, IReadOnlyList<IrExpression?> tangents, List<string> zeroTangents) =>
            argument.Shape.Build(k => TangentArgument(argument.Shape.Leaves[k].Type, call.Arguments[argument.FirstArgument + k], tangents[k], zeroTangents));
    }
}
