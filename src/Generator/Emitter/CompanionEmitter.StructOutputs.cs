using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// Struct outputs in the companions (api.md v2: a returned <c>S</c>, an <c>out S q</c>). The IR holds one output per leaf,
    /// each with a local receiving its final value; the caller's struct is built from those locals once the computation is
    /// done (<c>q = new Point(_q_X, _q_Y);</c>, <c>return new Point(_result_X, _result_Y);</c>), since a struct's members may
    /// be init-only. Seeds are read leaf by leaf (<c>dq.X</c>, <c>seed.X</c>); tangents go to locals first and are built likewise.
    /// </summary>
    internal sealed partial class CompanionEmitter
    {
        /// <summary>The struct outputs' leaves, grouped by output in output order (the return value first).</summary>
        private IEnumerable<IGrouping<string?, IrOutput>> StructOutputs(IrFunction function) =>
            function.Outputs.Where(o => o.Leaf is not null).GroupBy(o => o.Leaf!.ParameterName);

        /// <summary>C# for a new value of one struct output, from each leaf's text (its final value, or its tangent).</summary>
        private static string Built(IEnumerable<IrOutput> output, System.Func<IrOutput, string> leafText)
        {
            var leaves = output.ToList();
            return leaves[0].Leaf!.Shape.Build(i => leafText(leaves[i]));
        }

        /// <summary>The leaf a final-value local stands for, when <paramref name="variable"/> is one.</summary>
        private static StructOutputLeaf? StructOutputLeafOf(IrFunction function, IrVariable variable) =>
            function.Outputs.FirstOrDefault(o => o.Leaf is not null && o.Parameter == variable)?.Leaf;

        /// <summary>The name of a seed variable of the reverse program: its companion parameter, or that parameter's member for a struct leaf.</summary>
        private string SeedName(IrVariable seedVariable, Dictionary<ParameterSpec, string> names, string seed)
        {
            IrVariable of = seedVariable.GradientParameterOf!;
            if (StructOutputLeafOf(_program.Function, of) is { } leaf)
            {
                return (leaf.OfReturnValue ? seed : names[_spec.Parameters.First(p => p.Name == leaf.ParameterName)]) + leaf.Path;
            }
            return names[_spec.Parameters.First(p => p.Name == of.PreferredName)];
        }

        /// <summary><c>q = new Point(_q_X, _q_Y);</c> for each <c>out</c> struct output, once its leaves hold their final values.</summary>
        private void EmitOutStructs(IrFunction function)
        {
            foreach (var output in StructOutputs(function).Where(g => g.Key is not null))
            {
                Line(output.Key + " = " + Built(output, leaf => Name(leaf.Parameter)) + ";");
            }
        }

        /// <summary>The returned struct built from its leaves' final values (null when the method does not return a struct).</summary>
        private string? ReturnedStruct(IrFunction function)
        {
            return StructOutputs(function).FirstOrDefault(g => g.Key is null) is { } returned ? Built(returned, leaf => Name(leaf.Parameter)) : null;
        }

        /// <summary>The statement that returns the method's value from a reverse or tangent companion (null for void).</summary>
        private string? ReturnStatement(IrFunction function) =>
            ReturnedStruct(function) is { } built ? "return " + built + ";"
            : function.ReturnsValue ? "return " + Name(function.Result) + ";"
            : null;
    }
}
