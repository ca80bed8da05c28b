using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// A scratch array filled as interleaved blocks: a fill loop that writes k elements per index, one in each block of
    /// an array k times as long as the loop (the LSTM's gates: <c>gates = new double[4 * b]</c>, then per layer
    /// <c>for (i = 0; i &lt; b; i++) { gates[i] = …; gates[b + i] = …; gates[2 * b + i] = …; gates[3 * b + i] = …; }</c>).
    /// Together the k writes rewrite every element before anything reads one, as the one write of a plain fill does, so
    /// the array is the iteration's scratch (<see cref="FillWrites"/>): it is recorded once per iteration (a block copy,
    /// ReverseModeTransform.Snapshots.cs) instead of the old value of each element every write overwrites, and in a fused
    /// loop the fill's restores go.
    /// </summary>
    /// <remarks>
    /// <para>Sound when the blocks cover the array exactly, which is checked symbolically, not assumed: the loop runs
    /// <c>i</c> from 0 to <c>m</c> by 1 (a counted loop whose bound nothing in it changes); each write is an unconditional
    /// top-level statement of its body whose index is <c>i + c·m</c> for an integer constant c; the constants are 0, 1,
    /// …, k − 1, each once; and the array's length is <c>k·m</c>. Indices, bound and length are compared as linear forms
    /// over variables that hold one value while the loop runs: parameters never assigned, and locals and temporaries
    /// assigned once outside the loop (a temporary <c>_t = 4 * b</c> is read through its definition). A temporary defined in the fill
    /// loop's body (<c>_t27 = b + i</c>) is read through its definition when that is a top-level statement before the
    /// write and its only assignment (the counter changes only at the end of the body). Anything else — a write under a
    /// condition, an index the form cannot express, blocks that overlap or leave a gap, a read of the array in the
    /// fill loop — and the array is not a scratch of the loop: its elements are restored write by write, as before.</para>
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>The writes of an interleaved block fill (see the type's remarks), or null.</summary>
        /// <param name="loop">The loop whose iterations the array is scratch of; <paramref name="fill"/> is in its body.</param>
        /// <param name="uses">Every statement of the fill loop that reads or writes the array.</param>
        private IReadOnlyList<IrStatement>? BlockFillWrites(IrVariable array, IrLoop loop, IrLoop fill, IrVariable counter, IrExpression bound,
            IrExpression allocatedLength, List<IrStatement> uses)
        {
            List<IrStatement> body = fill.Body.Statements;
            var writes = new List<IrStatement>();
            foreach (IrStatement use in uses)
            {
                if (use is not IrElementWrite { Indices.Length: 1 } write || write.Array != array || !body.Contains(write)
                    || write.Value.ReadVariables().Contains(array))
                {
                    return null;
                }
                writes.Add(write);
            }
            if (fill.Head.Statements.Any(s => IrWalker.Deep(s).Any(d => IrWalker.ReadsOf(d).Contains(array) || IrWalker.WriteOf(d) == array))) return null;

            var forms = new BlockFillForms(this, loop, fill, counter);
            LinearForm? length = forms.Outside(allocatedLength);
            LinearForm? m = forms.Outside(bound);
            if (length is null || m is null || m.IsZero) return null;
            var blocks = new HashSet<long>();
            foreach (IrElementWrite write in writes.Cast<IrElementWrite>())
            {
                LinearForm? index = forms.InBody(write.Indices[0], body.IndexOf(write));
                // index = i + c·m: the counter once, and the rest a whole multiple of m.
                if (index is null || index.CoefficientOf(counter) != 1) return null;
                LinearForm offset = index.Without(counter);
                if (offset.MultipleOf(m) is not { } c || c < 0 || c >= writes.Count || !blocks.Add(c)) return null;
            }
            // k distinct blocks among 0 … k − 1: all of them; and the array is exactly k blocks long.
            return length.SameAs(m.Times(writes.Count)) ? writes : null;
        }

        /// <summary>Linear forms of integer expressions for <see cref="BlockFillWrites"/>, with what each variable may be read through.</summary>
        private sealed class BlockFillForms
        {
            private const int MaxDepth = 16;
            private readonly ReverseModeTransform _transform;
            private readonly IrLoop _loop;
            private readonly IrLoop _fill;
            private readonly IrVariable _counter;

            public BlockFillForms(ReverseModeTransform transform, IrLoop loop, IrLoop fill, IrVariable counter)
            {
                _transform = transform;
                _loop = loop;
                _fill = fill;
                _counter = counter;
            }

            /// <summary>An expression evaluated outside the fill loop's body (the allocation's length, the loop's bound).</summary>
            public LinearForm? Outside(IrExpression expression) => Form(expression, position: -1, depth: 0);

            /// <summary>An expression evaluated at top-level statement <paramref name="position"/> of the fill loop's body.</summary>
            public LinearForm? InBody(IrExpression expression, int position) => Form(expression, position, depth: 0);

            private LinearForm? Form(IrExpression expression, int position, int depth)
            {
                if (depth > MaxDepth) return null;
                switch (expression)
                {
                    case IrConstant { Value: int value }:
                        return LinearForm.Constant(value);
                    case IrVariableReference { Variable: var variable }:
                        return Variable(variable, position, depth);
                    case IrBinary { Operator: IrBinaryOperator.Add or IrBinaryOperator.Subtract } sum:
                    {
                        LinearForm? left = Form(sum.Left, position, depth + 1), right = Form(sum.Right, position, depth + 1);
                        if (left is null || right is null) return null;
                        return left.Plus(sum.Operator == IrBinaryOperator.Add ? right : right.Times(-1));
                    }
                    case IrBinary { Operator: IrBinaryOperator.Multiply } product:
                    {
                        LinearForm? left = Form(product.Left, position, depth + 1), right = Form(product.Right, position, depth + 1);
                        if (left is null || right is null) return null;
                        if (left.IsConstant) return right.Times(left.ConstantTerm);
                        if (right.IsConstant) return left.Times(right.ConstantTerm);
                        return null;
                    }
                    default:
                        return null;
                }
            }

            private LinearForm? Variable(IrVariable variable, int position, int depth)
            {
                if (variable.Type.Kind != IrTypeKind.Integer) return null;
                // The counter: only inside the body, where it changes only at the body's last statement (CountedLoop).
                if (variable == _counter) return position >= 0 ? LinearForm.Of(variable) : null;
                _transform._assignmentCounts.TryGetValue(variable, out int assignments);
                if (assignments == 0) return variable.Role == IrVariableRole.Parameter ? LinearForm.Of(variable) : null;
                // Read through its one definition only where every read comes after it (C#'s definite assignment): a
                // local or a temporary. A parameter assigned once held another value before (new double[2 * n]; n = m;).
                if (assignments != 1 || variable.Role is not (IrVariableRole.Local or IrVariableRole.Temporary)) return null;
                // A temporary of the fill loop's body, defined before the read at top level: read through its definition.
                List<IrStatement> body = _fill.Body.Statements;
                if (position >= 0)
                {
                    for (int i = 0; i < position; i++)
                    {
                        if (body[i] is IrAssign assign && assign.Target == variable) return Form(assign.Value, i, depth + 1);
                    }
                }
                // Assigned once, outside the loop: one value while it runs (read through its definition when it has a form).
                if (IrWalker.Deep(_loop).Any(s => IrWalker.WriteOf(s) == variable)) return null;
                IrAssign? definition = IrWalker.AllStatements(_transform._function.Body).OfType<IrAssign>().FirstOrDefault(a => a.Target == variable);
                return definition is not null && Form(definition.Value, -1, depth + 1) is { } defined ? defined : LinearForm.Of(variable);
            }
        }

        /// <summary>Σ coefficient · variable + constant, over integers.</summary>
        private sealed class LinearForm
        {
            private readonly Dictionary<IrVariable, long> _terms;

            private LinearForm(Dictionary<IrVariable, long> terms, long constant)
            {
                _terms = terms;
                ConstantTerm = constant;
            }

            public long ConstantTerm { get; }

            public bool IsConstant => _terms.Count == 0;

            public bool IsZero => IsConstant && ConstantTerm == 0;

            public static LinearForm Constant(long value) => new(new Dictionary<IrVariable, long>(), value);

            public static LinearForm Of(IrVariable variable) => new(new Dictionary<IrVariable, long> { [variable] = 1 }, 0);

            public long CoefficientOf(IrVariable variable) => _terms.TryGetValue(variable, out long c) ? c : 0;

            public LinearForm Without(IrVariable variable) =>
                new(_terms.Where(t => t.Key != variable).ToDictionary(t => t.Key, t => t.Value), ConstantTerm);

            public LinearForm Plus(LinearForm other)
            {
                var terms = new Dictionary<IrVariable, long>(_terms);
                foreach (KeyValuePair<IrVariable, long> term in other._terms)
                {
                    terms.TryGetValue(term.Key, out long c);
                    if (c + term.Value == 0) terms.Remove(term.Key);
                    else terms[term.Key] = c + term.Value;
                }
                return new LinearForm(terms, ConstantTerm + other.ConstantTerm);
            }

            public LinearForm Times(long factor) =>
                factor == 0 ? Constant(0) : new(_terms.ToDictionary(t => t.Key, t => t.Value * factor), ConstantTerm * factor);

            /// <summary>The integer c with this = c · <paramref name="unit"/>, or null (unit is not zero).</summary>
            public long? MultipleOf(LinearForm unit)
            {
                if (IsZero) return 0;
                // c from one nonzero coefficient of the unit, then checked on every term.
                long numerator, denominator;
                if (unit._terms.Count > 0)
                {
                    var first = unit._terms.First();
                    numerator = CoefficientOf(first.Key);
                    denominator = first.Value;
                }
                else
                {
                    numerator = ConstantTerm;
                    denominator = unit.ConstantTerm;
                }
                if (numerator % denominator != 0) return null;
                long c = numerator / denominator;
                return SameAs(unit.Times(c)) ? c : null;
            }

            public bool SameAs(LinearForm other) =>
                ConstantTerm == other.ConstantTerm && _terms.Count == other._terms.Count
                && _terms.All(t => other._terms.TryGetValue(t.Key, out long c) && c == t.Value);
        }
    }
}
