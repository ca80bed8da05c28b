using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Engine.Tests.Infrastructure;

/// <summary>Questions tests ask about the shape of IR (own walker, so the tests do not lean on the engine's).</summary>
internal static class IrQuery
{
    /// <summary>Every statement, nested ones included, in program order.</summary>
    public static IEnumerable<IrStatement> All(IrBlock block)
    {
        foreach (IrStatement statement in block.Statements)
        {
            yield return statement;
            IEnumerable<IrBlock> children = statement switch
            {
                IrIf s => new[] { s.Then, s.Else },
                IrLoop s => new[] { s.Head, s.Body },
                IrRepeat s => new[] { s.Body },
                _ => Enumerable.Empty<IrBlock>(),
            };
            foreach (IrBlock child in children)
            {
                foreach (IrStatement nested in All(child)) yield return nested;
            }
        }
    }

    public static List<IrTapePush> Pushes(IrBlock block) => All(block).OfType<IrTapePush>().ToList();

    public static List<IrTapePush> Pushes(IrBlock block, IrTypeKind kind) => Pushes(block).Where(p => p.Value.Type.Kind == kind).ToList();

    /// <summary>Tape pushes of exactly this variable's value.</summary>
    public static List<IrTapePush> PushesOf(IrBlock block, IrVariable variable) =>
        Pushes(block).Where(p => p.Value is IrVariableReference r && r.Variable == variable).ToList();

    public static IEnumerable<IrExpression> Expressions(IrBlock block) => All(block).SelectMany(IrWalker.ExpressionsOf).SelectMany(Subtree);

    public static IEnumerable<IrExpression> Subtree(IrExpression expression) => IrWalker.Subexpressions(expression);

    /// <summary>Whether the block writes or accumulates into this variable anywhere.</summary>
    public static bool Writes(IrBlock block, IrVariable variable) =>
        All(block).Any(s => s is IrAssign a && a.Target == variable || s is IrAccumulate c && c.Target == variable);

    /// <summary>Whether the block reads this variable anywhere.</summary>
    public static bool Reads(IrBlock block, IrVariable variable) =>
        Expressions(block).Any(e => e is IrVariableReference r && r.Variable == variable)
        || All(block).Any(s => s is IrAccumulate a && a.Target == variable);

    /// <summary>
    /// For each top-level loop of a reverse program's forward sweep, in order, whether it is fused: whether its body holds
    /// the reverse of its iteration (an accumulation into an adjoint). A checkpointed loop (an <c>if</c> choosing between
    /// the checkpointed and the plain loop) counts once, unfused.
    /// </summary>
    public static bool[] FusedLoops(IrBlock forward) =>
        forward.Statements.Select(s => s switch
        {
            IrLoop loop => loop,
            IrIf { Else.Statements: var plain } when plain.OfType<IrLoop>().Any() => plain.OfType<IrLoop>().First(),
            _ => null,
        }).OfType<IrLoop>().Select(loop => All(loop.Body).Any(s =>
            s is IrAccumulate { Target.Role: IrVariableRole.Adjoint } or IrElementAccumulate { Array.Role: IrVariableRole.Adjoint }
                || s is IrAssign { Target.Role: IrVariableRole.Adjoint })).ToArray();
}
