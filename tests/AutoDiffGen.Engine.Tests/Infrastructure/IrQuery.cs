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
}
