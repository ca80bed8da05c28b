using System.Collections.Immutable;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>
    /// The leaf arrays of an array-of-structs parameter (Lowering/MethodLowering.StructArrays.cs): each is one field of the
    /// caller's elements (<c>p[i].X</c>), so it cannot be copied or added into whole like a <c>double[]</c>
    /// (<c>dp.CopyTo(copy)</c>, <c>AdjointArrays.AddTo(adjoint, dp)</c>); the transforms go element by element instead.
    /// </summary>
    internal static class StructArrayLeaves
    {
        /// <summary>Whether <paramref name="variable"/> is a leaf array of an array-of-structs parameter.</summary>
        public static bool IsLeafArray(IrVariable variable) => variable.Type.Kind == IrTypeKind.Array && variable.StructLeaf is not null;

        /// <summary>
        /// <c>for (int c = n; c &gt; 0; c--) target[n - c] = source[n - c];</c> (or <c>+=</c> when <paramref name="accumulate"/>),
        /// <c>n</c> the length of <paramref name="lengthOf"/>: what a whole-array copy or sum is for a leaf array.
        /// </summary>
        public static IrRepeat ElementWise(IrVariableFactory variables, IrVariable lengthOf, IrVariable target, IrVariable source, bool accumulate)
        {
            IrVariable counter = variables.Create("_element", IrType.Int, IrVariableRole.Control);
            IrExpression length = new IrOpaque("{0}.Length", ImmutableArray.Create<IrExpression>(new IrVariableReference(lengthOf)), IrType.Int);
            var index = ImmutableArray.Create<IrExpression>(new IrBinary(IrBinaryOperator.Subtract, length, new IrVariableReference(counter), IrType.Int));
            IrExpression value = new IrElementRead(new IrVariableReference(source), index, source.Type.Element!);
            IrStatement body = accumulate ? new IrElementAccumulate(target, index, value) : new IrElementWrite(target, index, value);
            return new IrRepeat(counter, length, new IrBlock(new[] { body }));
        }
    }
}
