using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// Locals declared where they are born (<see cref="DeclarationScopes"/>): a companion body plans them before its sweeps
    /// are written, <see cref="EmitAssign"/> writes the declaration with the first assignment, and the method-scope
    /// declarations leave out what was declared so.
    /// </summary>
    internal sealed partial class CompanionEmitter
    {
        /// <summary>The locals still to be declared at their first assignment in the body being written.</summary>
        private HashSet<IrVariable> _declareAtDefinition = new();

        /// <summary>The locals of the body being written that were declared at their first assignment (not at method scope).</summary>
        private readonly HashSet<IrVariable> _declaredAtDefinition = new();

        /// <summary>
        /// Plans the declarations of a body made of <paramref name="roots"/>, written in this order; <paramref name="writtenOutsideIr"/>
        /// are the variables the emitter names in text of its own (a seed, a return, a gradient parameter's update), which stay at method scope.
        /// </summary>
        private void PlanDeclarations(IEnumerable<IrBlock> roots, IEnumerable<IrVariable> writtenOutsideIr)
        {
            var keep = new HashSet<IrVariable>(writtenOutsideIr);
            _declareAtDefinition = DeclarationScopes.DeclaredAtDefinition(roots,
                v => v.Role != IrVariableRole.Parameter && v.GradientParameterOf is null && v.StructLeaf is null && !keep.Contains(v),
                IsWhileLoop);
            _declaredAtDefinition.Clear();
        }

        /// <summary>Ends the plan of the body just written: nothing else is declared at its definition.</summary>
        private void EndDeclarations() => _declareAtDefinition.Clear();

        /// <summary>
        /// <c>"double "</c> when the assignment about to be written is where <paramref name="target"/> is declared, else <c>""</c>
        /// (asked once per assignment, in the order they are written: the first is the declaration).
        /// </summary>
        private string DeclarationAt(IrVariable target)
        {
            if (!_declareAtDefinition.Remove(target)) return "";
            _declaredAtDefinition.Add(target);
            return target.Type.CSharpName + " ";
        }

        /// <summary>Whether the loop is written <c>while (test) { body }</c>: its head only computes the condition.</summary>
        private static bool IsWhileLoop(IrLoop loop) =>
            loop.Head.Statements.Count == 1 && loop.Head.Statements[0] is IrAssign { } test
            && loop.Condition is IrVariableReference { Variable: var condition } && test.Target == condition;

        /// <summary>The variables of <paramref name="function"/>'s outputs, which the emitter reads in text of its own.</summary>
        private static IEnumerable<IrVariable> OutputVariables(IrFunction function) =>
            function.Outputs.SelectMany(o => new[] { o.Parameter, o.Variable }).Append(function.Result);
    }
}
