using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>
        /// An index set in a loop body and then advanced by counted loops after it (the packed index of a triangular
        /// matrix: <c>li = d; for (j = 0; j &lt; d; j++) for (l = j + 1; l &lt; d; l++) { … a[li] …; li++; }</c>). Its
        /// steps are undone exactly in reverse (<c>li--</c>, <see cref="RestoreFor"/>), but that walk back starts from
        /// the value the loops left, and the only record of it was the tape: the restore at <c>li = d</c> of the next
        /// iteration gave it back, once per iteration. That value is recounted instead: <c>li = d</c> plus one step per
        /// run of each <c>li++</c>, the counted loops' trip counts summed, assigned just before the reverse of the last
        /// loop that advances the index. The restore then has no reader and DeadRestores drops it, with its tape push.
        /// </summary>
        /// <remarks>
        /// <para>Sound because the recount assigns the index the value the reverse sweep must give it there anyway (its
        /// value at that point of the forward run): it only adds a definition, so it can make a restore dead but never
        /// changes what a reader sees. Where the index is also read after the loops (in reverse: before the recount),
        /// the restore stays live and is kept.</para>
        /// <para>The conditions: the statement is <c>v = e</c> on an integer <c>v</c> the reverse sweep reads, in a loop body
        /// (elsewhere a local saves the old value for free); <c>e</c> is integer arithmetic on constants and variables
        /// (through the temporaries lowering made for it) not written before the last advancing loop ends; between it and that loop, <c>v</c> is written only by
        /// <c>v = v ± constant</c>, at the top level of the block or of bodies of counted loops (no break, continue or
        /// return; a bound nothing in the loop assigns: <see cref="CountedLoop"/>), never in a branch; and each trip count
        /// reads no variable written there except the enclosing counted loops' counters, which the recount runs through
        /// again itself. A recomputed local is not read (it is assigned only when its own reader's reverse runs).</para>
        /// <para>The recount costs one pass over the outer loops, an addition per iteration (the innermost loop adds its
        /// trip count at once), where the loops themselves run the whole nest.</para>
        /// </remarks>
        private void RecountSteppedIndices(IrBlock block, List<List<IrStatement>> reversed)
        {
            List<IrStatement> statements = block.Statements;
            HashSet<IrVariable>? recomputedLocals = null;
            Dictionary<IrVariable, int>? lastWrites = null;
            for (int i = 0; i < statements.Count - 1; i++)
            {
                if (statements[i] is not IrAssign { Target: { Type.Kind: IrTypeKind.Integer } index } start
                    || !_needed.Contains(index) || !HasPreviousValue(start, inLoop: true)
                    || !CountedLoop.IsStartExpression(start.Value) || start.Value.ReadVariables().Contains(index))
                {
                    continue;
                }
                // One walk of the block for all its candidates (every loop counter's initialisation is one).
                lastWrites ??= LastWrites(statements);
                if (!lastWrites.TryGetValue(index, out int last) || last <= i || statements[last] is not IrLoop) continue;

                // The start as the source wrote it (int li = 6 + 3 * c), not through lowering's temporary (_t = 3 * c):
                // a temporary read in reverse would be restored in li's place.
                (IrExpression startValue, int from) = InlineTemporaries(start.Value, statements, i, lastWrites);

                // What the steps are taken between: the start and the trip counts must read the same values in reverse.
                var written = new HashSet<IrVariable>();
                for (int k = from; k <= last; k++)
                {
                    foreach (IrStatement statement in IrWalker.Deep(statements[k]))
                    {
                        if (IrWalker.WriteOf(statement) is { } variable) written.Add(variable);
                    }
                }
                recomputedLocals ??= RecomputedLocalsOf(block);
                var changing = new HashSet<IrVariable>(written.Concat(recomputedLocals));
                if (startValue.ReadVariables().Any(changing.Contains)) continue;

                var recount = new List<IrStatement>
                {
                    new IrComment(index.PreferredName + " as the loops below leave it: counted again, not taped"),
                    new IrAssign(index, startValue) { Origin = start.Origin },
                };
                if (!AddSteps(index, statements, i + 1, last, new Dictionary<IrVariable, IrExpression>(), changing, recount)) continue;
                reversed[last].InsertRange(0, recount);
            }
        }

        /// <summary>Each variable the block writes (nested writes too) → the index of the last statement that writes it.</summary>
        private static Dictionary<IrVariable, int> LastWrites(List<IrStatement> statements)
        {
            var last = new Dictionary<IrVariable, int>();
            for (int k = 0; k < statements.Count; k++)
            {
                foreach (IrStatement statement in IrWalker.Deep(statements[k]))
                {
                    if (IrWalker.WriteOf(statement) is { } variable) last[variable] = k;
                }
            }
            return last;
        }

        /// <summary>
        /// <paramref name="value"/> with each temporary it reads replaced by the integer arithmetic the block assigned it
        /// before statement <paramref name="at"/>, where no later statement writes it again; and the index of the first
        /// statement so read, from which on what the result reads must not change.
        /// </summary>
        private static (IrExpression Value, int From) InlineTemporaries(IrExpression value, List<IrStatement> statements, int at,
            Dictionary<IrVariable, int> lastWrites)
        {
            int from = at;
            for (int k = at - 1; k >= 0 && value.ReadVariables().Any(v => v.Role == IrVariableRole.Temporary); k--)
            {
                if (statements[k] is not IrAssign { Target: { Role: IrVariableRole.Temporary } temporary, Value: var definition }
                    || lastWrites[temporary] != k || !CountedLoop.IsStartExpression(definition)
                    || !value.ReadVariables().Contains(temporary))
                {
                    continue;
                }
                value = IrRewriter.Replace(value, v => v == temporary ? definition : null);
                from = k;
            }
            return (value, from);
        }

        /// <summary>
        /// Appends to <paramref name="recount"/> what adds to <paramref name="index"/> the steps that statements
        /// <paramref name="from"/>..<paramref name="to"/> take, with the enclosing loops' counters replaced as
        /// <paramref name="counters"/> says; false when one of them steps it in a way this cannot count.
        /// </summary>
        private bool AddSteps(IrVariable index, List<IrStatement> statements, int from, int to,
            Dictionary<IrVariable, IrExpression> counters, HashSet<IrVariable> changing, List<IrStatement> recount)
        {
            for (int k = from; k <= to; k++)
            {
                IrStatement statement = statements[k];
                if (!IrWalker.Deep(statement).Any(s => IrWalker.WriteOf(s) == index)) continue;
                if (statement is IrAssign { Value: IrBinary { Operator: IrBinaryOperator.Add or IrBinaryOperator.Subtract, Left: IrVariableReference { Variable: var stepped }, Right: IrConstant { Value: int } } step } assign
                    && assign.Target == index && stepped == index)
                {
                    recount.Add(new IrAssign(index, step) { Origin = assign.Origin });
                    continue;
                }
                if (statement is not IrLoop loop || !AddLoopSteps(index, loop, k > 0 ? statements[k - 1] as IrAssign : null, counters, changing, recount)) return false;
            }
            return true;
        }

        /// <summary>
        /// The steps of a counted loop: its body's steps once per iteration. A body whose steps are constants adds them
        /// times the trip count at once; otherwise (a nested loop whose trip count reads this loop's counter) the recount
        /// runs through the iterations, the counter's value on each being the start plus the iterations before it.
        /// </summary>
        private bool AddLoopSteps(IrVariable index, IrLoop loop, IrAssign? previous, Dictionary<IrVariable, IrExpression> counters,
            HashSet<IrVariable> changing, List<IrStatement> recount)
        {
            if (CountedLoop.Match(loop, previous) is not { TripCount: { } tripCount } counted || counted.Counter == index) return false;
            if (IrWalker.AllStatements(loop.Head).Any(s => IrWalker.WriteOf(s) == index)) return false;
            IrExpression trips = Fold(Substitute(tripCount, counters));
            if (trips.ReadVariables().Any(changing.Contains)) return false;

            // Inside an iteration the counter is start + (the iterations before it); the body's last statement is its step.
            // Tried first with a stand-in for the iteration: a body whose steps do not read it needs no loop (nor variable).
            var standIn = new IrVariable(-1, "_iteration", IrType.Int, IrVariableRole.Control);
            List<IrStatement>? body = BodySteps(index, loop, counted, standIn, counters, changing);
            if (body is null) return false;
            if (StepPerIteration(index, body, standIn) is { } perIteration)
            {
                IrExpression total = Fold(new IrBinary(IrBinaryOperator.Multiply, trips, perIteration, IrType.Int));
                if (total is not IrConstant { Value: 0 }) recount.Add(new IrAssign(index, IntegerSum(new IrVariableReference(index), total)) { Origin = loop.Origin });
                return true;
            }
            IrVariable iteration = _extra.Create("_iteration", IrType.Int, IrVariableRole.Control);
            body = BodySteps(index, loop, counted, iteration, counters, changing)!;
            IrVariable count = _extra.Create("_trips", IrType.Int, IrVariableRole.Control);
            recount.Add(new IrAssign(count, trips) { Origin = loop.Origin });
            recount.Add(new IrRepeat(iteration, new IrVariableReference(count), new IrBlock(body)) { Origin = loop.Origin });
            return true;
        }

        /// <summary>The steps of one iteration of <paramref name="loop"/>, its counter standing as start + <paramref name="iteration"/> − 1.</summary>
        private List<IrStatement>? BodySteps(IrVariable index, IrLoop loop, CountedLoop counted, IrVariable iteration,
            Dictionary<IrVariable, IrExpression> counters, HashSet<IrVariable> changing)
        {
            var inner = new Dictionary<IrVariable, IrExpression>(counters)
            {
                [counted.Counter] = IntegerSum(Substitute(counted.Start, counters),
                    new IrBinary(IrBinaryOperator.Subtract, new IrVariableReference(iteration), IrConstant.Of(1), IrType.Int)),
            };
            var body = new List<IrStatement>();
            return AddSteps(index, loop.Body.Statements, 0, loop.Body.Statements.Count - 2, inner, changing, body) ? body : null;
        }

        /// <summary>
        /// What <paramref name="steps"/> add to the index together when each is <c>v = v ± a</c> with an <c>a</c> that does not
        /// read <paramref name="iteration"/> (the same every iteration); null otherwise (a step that varies, a nested recount loop).
        /// </summary>
        private static IrExpression? StepPerIteration(IrVariable index, List<IrStatement> steps, IrVariable iteration)
        {
            IrExpression sum = IrConstant.Of(0);
            foreach (IrStatement step in steps)
            {
                if (step is not IrAssign { Value: IrBinary { Operator: IrBinaryOperator.Add or IrBinaryOperator.Subtract, Left: IrVariableReference { Variable: var stepped }, Right: var amount } binary }
                    || stepped != index || amount.ReadVariables().Contains(iteration))
                {
                    return null;
                }
                sum = Fold(new IrBinary(binary.Operator, sum, amount, IrType.Int));
            }
            return sum;
        }

        /// <summary>
        /// Integer arithmetic on constants computed now, so that a recount reads as the loops do (<c>li + d * 3</c>, not
        /// <c>li + ((d &gt; 0) ? (d - 0) : 0) * ((3 &gt; 0) ? (3 - 0) : 0)</c>): sums and products with 0 or 1, operations on two
        /// constants (wrapping, as C# does unchecked), and a conditional on a constant test.
        /// </summary>
        private static IrExpression Fold(IrExpression expression)
        {
            switch (expression)
            {
                case IrBinary binary:
                {
                    IrExpression left = Fold(binary.Left), right = Fold(binary.Right);
                    if (left is IrConstant { Value: int a } && right is IrConstant { Value: int b })
                    {
                        object? value = binary.Operator switch
                        {
                            IrBinaryOperator.Add => unchecked(a + b),
                            IrBinaryOperator.Subtract => unchecked(a - b),
                            IrBinaryOperator.Multiply => unchecked(a * b),
                            IrBinaryOperator.GreaterThan => a > b,
                            IrBinaryOperator.GreaterThanOrEqual => a >= b,
                            IrBinaryOperator.LessThan => a < b,
                            IrBinaryOperator.LessThanOrEqual => a <= b,
                            _ => null,
                        };
                        if (value is int folded) return IrConstant.Of(folded);
                        if (value is bool test) return IrConstant.Of(test);
                    }
                    // (a − 1) + 1 → a: the counter of a loop from j + 1, at iteration it, is it − 1 + 1.
                    if (binary.Operator is IrBinaryOperator.Add or IrBinaryOperator.Subtract && right is IrConstant { Value: int outer }
                        && left is IrBinary { Operator: IrBinaryOperator.Add or IrBinaryOperator.Subtract, Right: IrConstant { Value: int inner } } offset)
                    {
                        int total = unchecked((offset.Operator == IrBinaryOperator.Add ? inner : -inner) + (binary.Operator == IrBinaryOperator.Add ? outer : -outer));
                        return Fold(new IrBinary(IrBinaryOperator.Add, offset.Left, IrConstant.Of(total), IrType.Int));
                    }
                    switch (binary.Operator)
                    {
                        case IrBinaryOperator.Add when left is IrConstant { Value: 0 }: return right;
                        case IrBinaryOperator.Add or IrBinaryOperator.Subtract when right is IrConstant { Value: 0 }: return left;
                        case IrBinaryOperator.Multiply when left is IrConstant { Value: 0 } || right is IrConstant { Value: 0 }: return IrConstant.Of(0);
                        case IrBinaryOperator.Multiply when left is IrConstant { Value: 1 }: return right;
                        case IrBinaryOperator.Multiply when right is IrConstant { Value: 1 }: return left;
                    }
                    return ReferenceEquals(left, binary.Left) && ReferenceEquals(right, binary.Right) ? binary : binary with { Left = left, Right = right };
                }
                case IrConditional conditional:
                {
                    IrExpression test = Fold(conditional.Condition);
                    if (test is IrConstant { Value: bool taken }) return Fold(taken ? conditional.WhenTrue : conditional.WhenFalse);
                    return conditional with { Condition = test, WhenTrue = Fold(conditional.WhenTrue), WhenFalse = Fold(conditional.WhenFalse) };
                }
                default:
                    return expression;
            }
        }

        private static IrExpression Substitute(IrExpression expression, Dictionary<IrVariable, IrExpression> counters) =>
            counters.Count == 0 ? expression : IrRewriter.Replace(expression, v => counters.TryGetValue(v, out IrExpression? value) ? value : null);

        /// <summary><c>a + b</c>, or <c>b</c> when <c>a</c> is the constant 0 (a loop from 0: its counter is the iterations before).</summary>
        private static IrExpression IntegerSum(IrExpression a, IrExpression b) =>
            a is IrConstant { Value: 0 } ? b : new IrBinary(IrBinaryOperator.Add, a, b, IrType.Int);
    }
}
