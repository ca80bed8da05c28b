using System.Collections.Generic;
using System.Linq;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>Traversals of IR blocks shared by the analyses and transforms.</summary>
    internal static class IrWalker
    {
        /// <summary>Every statement, nested ones included, in program order.</summary>
        public static IEnumerable<IrStatement> AllStatements(IrBlock block)
        {
            foreach (IrStatement statement in block.Statements)
            {
                yield return statement;
                foreach (IrBlock child in ChildBlocks(statement))
                {
                    foreach (IrStatement nested in AllStatements(child)) yield return nested;
                }
            }
        }

        /// <summary>The statement itself, then every statement nested in it.</summary>
        public static IEnumerable<IrStatement> Deep(IrStatement statement) =>
            new[] { statement }.Concat(ChildBlocks(statement).SelectMany(AllStatements));

        public static IEnumerable<IrBlock> ChildBlocks(IrStatement statement) => statement switch
        {
            IrIf s => new[] { s.Then, s.Else },
            IrLoop s => new[] { s.Head, s.Body },
            IrRepeat s => new[] { s.Body },
            _ => Enumerable.Empty<IrBlock>(),
        };

        /// <summary>The variables a statement itself reads (not those of nested blocks).</summary>
        public static IEnumerable<IrVariable> ReadsOf(IrStatement statement) => statement switch
        {
            IrAssign s => s.Value.ReadVariables(),
            IrAccumulate s => s.Value.ReadVariables().Concat(new[] { s.Target }),
            IrIf s => s.Condition.ReadVariables(),
            IrLoop s => s.Condition.ReadVariables(),
            IrRepeat s => s.Count.ReadVariables(),
            IrTapePush s => s.Value.ReadVariables(),
            IrBackwardCall s => s.Call.ReadVariables().Concat(s.Seed.ReadVariables()),
            IrElementWrite s => s.Indices.SelectMany(i => i.ReadVariables()).Concat(s.Value.ReadVariables()).Concat(new[] { s.Array }),
            IrElementAccumulate s => s.Indices.SelectMany(i => i.ReadVariables()).Concat(s.Value.ReadVariables()).Concat(new[] { s.Array }),
            IrEffect s => s.Expression.ReadVariables(),
            IrThrow s => s.Exception.ReadVariables(),
            IrSpanStore s => s.Call.ReadVariables(),
            IrSimdStore s => s.Destination.ReadVariables().Concat(s.Value.ReadVariables()),
            IrTapePushSpan s => s.Source.ReadVariables(),
            IrTapePopSpan s => s.Target.ReadVariables(),
            _ => Enumerable.Empty<IrVariable>(),
        };

        /// <summary>The expressions a statement itself evaluates (not those of nested blocks), as roots.</summary>
        public static IEnumerable<IrExpression> ExpressionsOf(IrStatement statement) => statement switch
        {
            IrAssign s => new[] { s.Value },
            IrAccumulate s => new[] { s.Value },
            IrIf s => new[] { s.Condition },
            IrLoop s => new[] { s.Condition },
            IrRepeat s => new[] { s.Count },
            IrTapePush s => new[] { s.Value },
            IrBackwardCall s => new[] { s.Call, s.Seed },
            IrTangentCall s => new IrExpression[] { s.Call }.Concat(s.Tangents.Where(t => t is not null).Select(t => t!)),
            IrElementWrite s => s.Indices.Concat(new[] { s.Value }),
            IrElementAccumulate s => s.Indices.Concat(new[] { s.Value }),
            IrEffect s => new[] { s.Expression },
            IrThrow s => new[] { s.Exception },
            IrSpanStore s => new IrExpression[] { s.Call },
            IrTapePushSpan s => new IrExpression[] { s.Source },
            IrTapePopSpan s => new IrExpression[] { s.Target },
            _ => Enumerable.Empty<IrExpression>(),
        };

        /// <summary>An expression and every expression nested in it.</summary>
        public static IEnumerable<IrExpression> Subexpressions(IrExpression expression) =>
            new[] { expression }.Concat(expression.Children.SelectMany(Subexpressions));

        /// <summary>The variable a statement itself writes, if any.</summary>
        public static IrVariable? WriteOf(IrStatement statement) => statement switch
        {
            IrAssign s => s.Target,
            IrAccumulate s => s.Target,
            IrElementWrite s => s.Array,
            IrElementAccumulate s => s.Array,
            IrSpanStore s => s.DestinationArray,
            IrSimdStore s => s.DestinationArray,
            IrTapePopSpan s => s.Target.Variable,
            _ => null,
        };

        public static void RemoveAssignmentsTo(IrBlock block, IrVariable variable)
        {
            block.Statements.RemoveAll(s => s is IrAssign assign && assign.Target == variable);
            foreach (IrStatement statement in block.Statements)
            {
                foreach (IrBlock child in ChildBlocks(statement)) RemoveAssignmentsTo(child, variable);
            }
        }
    }
}
