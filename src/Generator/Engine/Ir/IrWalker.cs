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

        /// <summary>The variables a statement itself reads (not those of nested blocks), in evaluation order, repeats included.</summary>
        public static IEnumerable<IrVariable> ReadsOf(IrStatement statement)
        {
            var reads = new List<IrVariable>();
            AddReadsOf(statement, reads);
            return reads;
        }

        /// <summary>
        /// Adds what <see cref="ReadsOf"/> returns to <paramref name="reads"/>: one list for a whole walk instead of a chain
        /// of iterators per statement (the liveness and zero-adjoint passes ask this of every statement in every round).
        /// </summary>
        public static void AddReadsOf(IrStatement statement, List<IrVariable> reads)
        {
            switch (statement)
            {
                case IrAssign s:
                    s.Value.AddReadVariables(reads);
                    break;
                case IrAccumulate s:
                    s.Value.AddReadVariables(reads);
                    reads.Add(s.Target);
                    break;
                case IrIf s:
                    s.Condition.AddReadVariables(reads);
                    break;
                case IrLoop s:
                    s.Condition.AddReadVariables(reads);
                    break;
                case IrRepeat s:
                    s.Count.AddReadVariables(reads);
                    break;
                case IrTapePush s:
                    s.Value.AddReadVariables(reads);
                    break;
                case IrBackwardCall s:
                    s.Call.AddReadVariables(reads);
                    s.Seed.AddReadVariables(reads);
                    break;
                case IrElementWrite s:
                    foreach (IrExpression index in s.Indices) index.AddReadVariables(reads);
                    s.Value.AddReadVariables(reads);
                    reads.Add(s.Array);
                    break;
                case IrElementAccumulate s:
                    foreach (IrExpression index in s.Indices) index.AddReadVariables(reads);
                    s.Value.AddReadVariables(reads);
                    reads.Add(s.Array);
                    break;
                case IrEffect s:
                    s.Expression.AddReadVariables(reads);
                    break;
                case IrThrow s:
                    s.Exception.AddReadVariables(reads);
                    break;
                case IrSpanStore s:
                    s.Call.AddReadVariables(reads);
                    break;
                case IrSimdStore s:
                    s.Destination.AddReadVariables(reads);
                    s.Value.AddReadVariables(reads);
                    break;
                case IrTapePushSpan s:
                    s.Source.AddReadVariables(reads);
                    break;
                case IrTapePopSpan s:
                    s.Target.AddReadVariables(reads);
                    break;
            }
        }

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
        public static IEnumerable<IrExpression> Subexpressions(IrExpression expression)
        {
            var all = new List<IrExpression>();
            void Add(IrExpression e)
            {
                all.Add(e);
                foreach (IrExpression child in e.Children) Add(child);
            }
            Add(expression);
            return all;
        }

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
