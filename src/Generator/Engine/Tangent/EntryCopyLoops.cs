using System.Collections.Generic;
using System.Collections.Immutable;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Tangent
{
    /// <summary>
    /// <c>copy ← given</c> element by element, as IR loops of the lowered form (<c>k = 0; while (k &lt; n) { copy[k] = given[k]; k++; }</c>),
    /// for a vector, a matrix (row by row) or a jagged array. MTangent fills the tangent of an input the method writes into
    /// with one runtime call, which no transform can differentiate; the closed tangent function (second order) needs the
    /// copy as element writes, whose reverse adds the copy's adjoint into the direction's.
    /// </summary>
    internal static class EntryCopyLoops
    {
        public static IEnumerable<IrStatement> Fill(IrVariableFactory factory, IrVariable copy, IrVariable given)
        {
            IrExpression Given() => new IrVariableReference(given);
            IrType element = given.Type.Element!;
            switch (given.Type.Layout)
            {
                case ArrayLayout.Matrix:
                    return Counted(factory, Length("{0}.GetLength(0)", Given()), i =>
                        Counted(factory, Length("{0}.GetLength(1)", Given()), j => Copy(copy, given, element, i, j)));
                case ArrayLayout.Jagged:
                    return Counted(factory, Length("{0}.Length", Given()), i =>
                        Counted(factory, Length("{0}[{1}].Length", Given(), i), j => Copy(copy, given, element, i, j)));
                default:
                    return Counted(factory, Length("{0}.Length", Given()), k => Copy(copy, given, element, k));
            }
        }

        private static IrExpression Length(string template, params IrExpression[] operands) => new IrOpaque(template, ImmutableArray.Create(operands), IrType.Int);

        private static IEnumerable<IrStatement> Copy(IrVariable copy, IrVariable given, IrType element, params IrExpression[] indices)
        {
            var at = ImmutableArray.Create(indices);
            yield return new IrElementWrite(copy, at, new IrElementRead(new IrVariableReference(given), at, element));
        }

        /// <summary><c>k = 0; loop { proceed = k &lt; count; if (!proceed) break; body(k); k = k + 1; }</c></summary>
        private static IEnumerable<IrStatement> Counted(IrVariableFactory factory, IrExpression count, System.Func<IrExpression, IEnumerable<IrStatement>> body)
        {
            IrVariable k = factory.Create("_k", IrType.Int, IrVariableRole.Local);
            IrVariable proceed = factory.Create("_proceed", IrType.Bool, IrVariableRole.Control);
            var k0 = new IrVariableReference(k);
            yield return new IrAssign(k, IrConstant.Of(0));
            var head = new IrBlock();
            head.Add(new IrAssign(proceed, new IrBinary(IrBinaryOperator.LessThan, k0, count, IrType.Bool)));
            var loopBody = new IrBlock();
            loopBody.AddRange(body(k0));
            loopBody.Add(new IrAssign(k, new IrBinary(IrBinaryOperator.Add, k0, IrConstant.Of(1), IrType.Int)));
            yield return new IrLoop(head, new IrVariableReference(proceed), loopBody);
        }
    }
}
