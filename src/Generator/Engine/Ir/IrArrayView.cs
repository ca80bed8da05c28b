using System.Collections.Generic;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>
    /// A window onto an array's storage, passed whole to a call: a slice (<c>x.AsSpan(Start, Length)</c>,
    /// <c>s.Slice(Start, Length)</c>), a row of a jagged array (<c>m[Row]</c>) or a slice of a row. Lowering reads
    /// and writes the elements of a slice through <see cref="Array"/> itself (an element of the view is an element of
    /// the storage), so only a view handed to a callee is a value of its own; its adjoint is the same window of
    /// <see cref="Array"/>'s adjoint.
    /// </summary>
    /// <param name="Array">The storage: a variable holding an array or span (a jagged array when <paramref name="Row"/> is set).</param>
    /// <param name="Row">For a row of a jagged array: its index.</param>
    /// <param name="Start">The first element (null: 0, the window starts where the storage does).</param>
    /// <param name="Length">The number of elements.</param>
    /// <param name="ViewType">The type the view has in C#: a span, or an array for a whole row.</param>
    internal sealed record IrArrayView(IrExpression Array, IrExpression? Row, IrExpression? Start, IrExpression Length, IrType ViewType) : IrExpression(ViewType)
    {
        public override IEnumerable<IrExpression> Children
        {
            get
            {
                yield return Array;
                if (Row is not null) yield return Row;
                if (Start is not null) yield return Start;
                yield return Length;
            }
        }
    }
}
