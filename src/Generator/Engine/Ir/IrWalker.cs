using System.Collections.Generic;
using System.Linq;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>Traversals of IR blocks shared by the analyses and transforms.</summary>
    internal static class IrWalker
    {
        /// <summary>Every statement, nested ones included, in program order.</summary>
        /// <remarks>
        /// One iterator and one stack per walk: an iterator per nested block made every statement pass through a chain
        /// of them, and this is asked of whole sweeps in every round of the reverse transform.
        /// </remarks>
        public static IEnumerable<IrStatement> AllStatements(IrBlock block) => AllStatements(block.Statements);

        /// <summary>
        /// Every statement of <paramref name="statements"/> and every statement nested in them, in program order: what
        /// <c>statements.SelectMany(Deep)</c> gives, with one iterator for the whole walk.
        /// </summary>
        public static IEnumerable<IrStatement> AllStatements(IReadOnlyList<IrStatement> statements)
        {
            // The nested lists being walked, innermost on top, each with the index of its next statement: made at the first
            // statement that has nested blocks (most lists walked, a statement's own pieces, have none).
            Stack<(IReadOnlyList<IrStatement> Statements, int Next)>? open = null;
            for (int k = 0; k < statements.Count; k++)
            {
                IrStatement statement = statements[k];
                yield return statement;
                if (!PushChildren(statement, ref open)) continue;
                while (open!.Count > 0)
                {
                    var (current, next) = open.Pop();
                    if (next >= current.Count) continue;
                    IrStatement nested = current[next];
                    open.Push((current, next + 1));
                    yield return nested;
                    PushChildren(nested, ref open);
                }
            }
        }

        /// <summary>Pushes the blocks of <see cref="ChildBlocks"/>, the first on top; false when there are none.</summary>
        private static bool PushChildren(IrStatement statement, ref Stack<(IReadOnlyList<IrStatement> Statements, int Next)>? open)
        {
            IReadOnlyList<IrBlock> children = ChildBlocks(statement);
            if (children.Count == 0) return false;
            open ??= new Stack<(IReadOnlyList<IrStatement> Statements, int Next)>();
            for (int i = children.Count - 1; i >= 0; i--) open.Push((children[i].Statements, 0));
            return true;
        }

        /// <summary>The statement itself, then every statement nested in it.</summary>
        public static IEnumerable<IrStatement> Deep(IrStatement statement)
        {
            yield return statement;
            foreach (IrBlock child in ChildBlocks(statement))
            {
                foreach (IrStatement nested in AllStatements(child)) yield return nested;
            }
        }

        public static IReadOnlyList<IrBlock> ChildBlocks(IrStatement statement) => statement switch
        {
            IrIf s => new[] { s.Then, s.Else },
            IrLoop s => new[] { s.Head, s.Body },
            IrRepeat s => new[] { s.Body },
            _ => System.Array.Empty<IrBlock>(),
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
                case IrAccumulate s:
                    s.Value.AddReadVariables(reads);
                    reads.Add(s.Target);
                    return;
                case IrBackwardCall s:
                    s.Call.AddReadVariables(reads);
                    s.Seed.AddReadVariables(reads);
                    return;
                case IrElementWrite s:
                    AddElementReads(s.Indices, s.Value, s.Array, reads);
                    return;
                case IrElementAccumulate s:
                    AddElementReads(s.Indices, s.Value, s.Array, reads);
                    return;
                case IrSimdStore s:
                    s.Destination.AddReadVariables(reads);
                    s.Value.AddReadVariables(reads);
                    return;
                case IrRepeat { Down: { } down } s:
                    s.Count.AddReadVariables(reads);
                    down.Floor.AddReadVariables(reads);
                    return;
                default:
                    OnlyExpressionOf(statement)?.AddReadVariables(reads);
                    return;
            }
        }

        /// <summary>An element write's or accumulation's reads: its indices, its value, then the array itself.</summary>
        private static void AddElementReads(System.Collections.Immutable.ImmutableArray<IrExpression> indices, IrExpression value, IrVariable array, List<IrVariable> reads)
        {
            foreach (IrExpression index in indices) index.AddReadVariables(reads);
            value.AddReadVariables(reads);
            reads.Add(array);
        }

        /// <summary>The one expression a statement reads through, for the statements that read nothing else (null for the rest).</summary>
        private static IrExpression? OnlyExpressionOf(IrStatement statement) => statement switch
        {
            IrAssign s => s.Value,
            IrIf s => s.Condition,
            IrLoop s => s.Condition,
            IrRepeat s => s.Count,
            IrTapePush s => s.Value,
            IrTapeExpect s => s.Count,
            IrEffect s => s.Expression,
            IrThrow s => s.Exception,
            IrSpanStore s => s.Call,
            IrTapePushSpan s => s.Source,
            IrTapePopSpan s => s.Target,
            _ => null,
        };

        /// <summary>The expressions a statement itself evaluates (not those of nested blocks), as roots.</summary>
        public static IEnumerable<IrExpression> ExpressionsOf(IrStatement statement) => statement switch
        {
            IrAssign s => new[] { s.Value },
            IrAccumulate s => new[] { s.Value },
            IrIf s => new[] { s.Condition },
            IrLoop s => new[] { s.Condition },
            IrRepeat { Down: { } down } s => new[] { s.Count, down.Floor },
            IrRepeat s => new[] { s.Count },
            IrTapePush s => new[] { s.Value },
            IrTapeExpect s => new[] { s.Count },
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
            IrBackwardCall s => s.Result,
            IrRepeat { Down: { } down } => down.Variable,
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
