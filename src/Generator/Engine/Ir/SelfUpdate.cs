using System.Linq;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>
    /// <c>v = v + e</c>, <c>v = v - e</c> or <c>v = e + v</c>, with <c>e</c> not reading <c>v</c>: an accumulation. Its
    /// reverse adjusts in place (<c>∂v/∂v_old = 1</c>: v's adjoint carries over, only e receives a contribution), so
    /// lowering may leave it reading its own target and the reverse transform recognises it.
    /// </summary>
    internal sealed record SelfUpdate(IrExpression Other, bool Subtracts)
    {
        public static SelfUpdate? Match(IrAssign assign) => Match(assign.Target, assign.Value);

        public static SelfUpdate? Match(IrVariable target, IrExpression value)
        {
            if (value is not IrBinary { Operator: IrBinaryOperator.Add or IrBinaryOperator.Subtract } binary) return null;
            if (binary.Left is IrVariableReference { Variable: var left } && left == target && !binary.Right.ReadVariables().Contains(target))
            {
                return new SelfUpdate(binary.Right, binary.Operator == IrBinaryOperator.Subtract);
            }
            if (binary.Operator == IrBinaryOperator.Add && binary.Right is IrVariableReference { Variable: var right } && right == target && !binary.Left.ReadVariables().Contains(target))
            {
                return new SelfUpdate(binary.Left, false);
            }
            return null;
        }
    }
}
