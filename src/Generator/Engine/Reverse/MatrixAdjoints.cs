using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// The adjoint of a local matrix (<c>double[,] act = new double[r, c]</c>) as a pooled flat vector: there is no pool
    /// for two-dimensional arrays, and allocating one per call would make a warm gradient allocate. <c>_d_act[i, j]</c>
    /// becomes <c>_d_act[i * columns + j]</c> over a buffer rented from <c>ArrayPool</c> and returned on every exit.
    /// Done for a matrix allocated once, outside loops, whose adjoint is only ever indexed (never passed whole to a
    /// callee's <c>…Backward</c>).
    /// </summary>
    internal static class MatrixAdjoints
    {
        public static void Flatten(IrBlock prologue, IrBlock forward, IrBlock reverse, IrBlock epilogue, IrBlock cleanup, IrVariableFactory extra)
        {
            IrBlock[] blocks = { prologue, forward, reverse, epilogue, cleanup };
            var allocations = forward.Statements.OfType<IrAssign>()
                .Where(a => a.Target is { Role: IrVariableRole.Adjoint, Type.Layout: ArrayLayout.Matrix, Primal: { Role: IrVariableRole.Local } }
                    && a.Value is IrZeroedArray { ArrayType.Layout: ArrayLayout.Matrix })
                .ToList();
            foreach (IrAssign allocation in allocations)
            {
                IrVariable matrix = allocation.Target;
                if (blocks.SelectMany(IrWalker.AllStatements).Count(s => s is IrAssign a && a.Target == matrix) != 1) continue;
                if (!OnlyIndexed(blocks, matrix, allocation)) continue;

                IrType element = matrix.Type.Element!;
                IrVariable flat = extra.Create(matrix.PreferredName, IrType.ArrayOf(element, ArrayLayout.Vector), IrVariableRole.Adjoint);
                flat.Primal = matrix.Primal;
                IrVariable columns = extra.Create(matrix.PreferredName + "_columns", IrType.Int, IrVariableRole.Control);
                var primal = new IrVariableReference(matrix.Primal!);
                IrExpression Index(ImmutableArray<IrExpression> indices) => new IrBinary(IrBinaryOperator.Add,
                    new IrBinary(IrBinaryOperator.Multiply, indices[0], new IrVariableReference(columns), IrType.Int), indices[1], IrType.Int);

                // A rented matrix adjoint's return (MatrixAdjoints gives the flat buffer back instead).
                cleanup.Statements.RemoveAll(s => IsReturnOf(s, matrix));
                int at = forward.Statements.IndexOf(allocation);
                forward.Statements[at] = new IrAssign(flat, new IrZeroedArray(flat.Type, primal, Pooled: true)) { Origin = allocation.Origin };
                forward.Statements.Insert(at, new IrAssign(columns, new IrOpaque("{0}.GetLength(1)", ImmutableArray.Create<IrExpression>(primal), IrType.Int)) { Origin = allocation.Origin });
                foreach (IrBlock block in blocks) Rewrite(block, matrix, flat, Index);
                cleanup.Add(IrPoolReturn.Of(flat));
            }
        }

        /// <summary>Whether every use of <paramref name="matrix"/> but its allocation is an element access with two indices.</summary>
        private static bool OnlyIndexed(IrBlock[] blocks, IrVariable matrix, IrAssign allocation)
        {
            foreach (IrStatement statement in blocks.SelectMany(IrWalker.AllStatements))
            {
                if (ReferenceEquals(statement, allocation) || IsReturnOf(statement, matrix)) continue;
                switch (statement)
                {
                    case IrElementWrite write when write.Array == matrix:
                        if (write.Indices.Length != 2 || Mentions(write.Value, matrix) || write.Indices.Any(i => Mentions(i, matrix))) return false;
                        continue;
                    case IrElementAccumulate accumulate when accumulate.Array == matrix:
                        if (accumulate.Indices.Length != 2 || Mentions(accumulate.Value, matrix) || accumulate.Indices.Any(i => Mentions(i, matrix))) return false;
                        continue;
                    case IrBackwardCall call when call.Adjoints.Contains(matrix):
                        return false;
                }
                if (IrWalker.ExpressionsOf(statement).Any(e => MentionsOtherThanIndexed(e, matrix))) return false;
                if (IrWalker.WriteOf(statement) == matrix) return false;
            }
            return true;
        }

        /// <summary>Whether <paramref name="statement"/> gives the rented <paramref name="matrix"/> back (replaced by the flat buffer's return).</summary>
        private static bool IsReturnOf(IrStatement statement, IrVariable matrix) =>
            statement is IrEffect { Expression: IrPoolReturn { Array: IrVariableReference { Variable: var returned } } } && returned == matrix;

        private static bool Mentions(IrExpression e, IrVariable v) => e.ReadVariables().Contains(v);

        private static bool MentionsOtherThanIndexed(IrExpression e, IrVariable v) => e switch
        {
            IrVariableReference r => r.Variable == v,
            IrElementRead { Array: IrVariableReference r } read when r.Variable == v => read.Indices.Length != 2 || read.Indices.Any(i => MentionsOtherThanIndexed(i, v)),
            _ => e.Children.Any(c => MentionsOtherThanIndexed(c, v)),
        };

        private static void Rewrite(IrBlock block, IrVariable matrix, IrVariable flat, Func<ImmutableArray<IrExpression>, IrExpression> index)
        {
            IrExpression Map(IrExpression e) => MapElementReads(e, matrix, flat, index);
            for (int i = 0; i < block.Statements.Count; i++)
            {
                IrStatement statement = block.Statements[i];
                foreach (IrBlock child in IrWalker.ChildBlocks(statement)) Rewrite(child, matrix, flat, index);
                block.Statements[i] = statement switch
                {
                    IrElementWrite s when s.Array == matrix => s with { Array = flat, Indices = ImmutableArray.Create(index(s.Indices)), Value = Map(s.Value) },
                    IrElementAccumulate s when s.Array == matrix => s with { Array = flat, Indices = ImmutableArray.Create(index(s.Indices)), Value = Map(s.Value) },
                    IrElementWrite s => s with { Indices = s.Indices.Select(Map).ToImmutableArray(), Value = Map(s.Value) },
                    IrElementAccumulate s => s with { Indices = s.Indices.Select(Map).ToImmutableArray(), Value = Map(s.Value) },
                    IrAssign s => s with { Value = Map(s.Value) },
                    IrAccumulate s => s with { Value = Map(s.Value) },
                    IrIf s => s with { Condition = Map(s.Condition) },
                    IrTapePush s => s with { Value = Map(s.Value) },
                    IrTapeExpect s => s with { Count = Map(s.Count) },
                    IrEffect s => s with { Expression = Map(s.Expression) },
                    _ => statement,
                };
            }
        }

        private static IrExpression MapElementReads(IrExpression e, IrVariable matrix, IrVariable flat, Func<ImmutableArray<IrExpression>, IrExpression> index)
        {
            if (!e.ReadVariables().Contains(matrix)) return e;
            if (e is IrElementRead { Array: IrVariableReference { Variable: var array } } read && array == matrix)
            {
                return read with { Array = new IrVariableReference(flat), Indices = ImmutableArray.Create(index(read.Indices)) };
            }
            return IrRewriter.ReplaceChildren(e, c => MapElementReads(c, matrix, flat, index));
        }
    }
}
