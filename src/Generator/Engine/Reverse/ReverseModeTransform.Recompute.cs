using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using ArrayLayout = AutoDiffGen.Generator.Engine.Ir.ArrayLayout;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Store or recompute, per loop iteration: a loop whose iterations can be computed again from what is still live
    /// runs plainly forward (nothing recorded), and its reverse re-runs each iteration's forward part — recording as
    /// usual, for that one iteration — right before reversing it. The tape then holds one iteration at a time instead
    /// of every iteration, at the price of one more forward pass over the loop (design.md, "Store or recompute").
    /// </summary>
    /// <remarks>
    /// <para>A loop's iterations are recomputable when the loop is counted (<c>for (c = c0; c &lt; bound; c++)</c>, its
    /// trip count computable in reverse, no early exit), has no effect, throw or allocation, and every variable it
    /// reads is, at the start of each iteration, either unchanged since the loop began or rewritten before it is read:</para>
    /// <list type="bullet">
    /// <item>not written in the loop (an input), or the loop's counter (the reverse steps it back);</item>
    /// <item>a temporary or a local declared in the loop (C# definite assignment: written before read in each iteration);</item>
    /// <item>an accumulator (<c>s += e</c>, read by nothing else in the loop): the re-run leaves it alone, its reverse
    /// never reads its value;</item>
    /// <item>a scratch array (a local <c>new T[len]</c>, touched nowhere outside the loop) whose first use in every
    /// iteration rewrites all its elements: a fill loop <c>for (j = 0; j &lt; len; j++) a[j] = …;</c>, possibly inside
    /// counted loops with bounds fixed over the loop (the GMM's <c>xc</c> and <c>qxc</c>, rewritten per component).</item>
    /// </list>
    /// <para>Sound by the reverse sweep's invariant: when an iteration is reversed every variable holds its value at the
    /// end of that iteration; the inputs above hold the values the iteration started with, so running its statements
    /// again computes exactly what it computed, and its own recordings (pushed by the re-run, popped by its reverse)
    /// balance within it. After the loop's reverse, scratch arrays and per-iteration locals hold the last iteration's
    /// values instead of their values before the loop; nothing outside the loop reads them.</para>
    /// <para>Only the outermost recomputable loop of a nest is chosen (re-running an inner loop inside a re-run outer one
    /// would pay the inner forward pass three times); the choice does not depend on what is restored, which changes
    /// from one round of the transform to the next (a restore found dead against the re-run must stay dead). The re-run is
    /// sliced: statements whose values neither the iteration's reverse nor a later re-run statement reads are left out
    /// (an accumulator's increment, a helper call whose value only feeds one), so a <c>[Differentiable]</c> helper in
    /// the loop costs its plain call forward and its pullback in reverse.</para>
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>Loops (by reference) whose iterations the reverse sweep recomputes rather than reads back from the tape.</summary>
        private readonly HashSet<object> _recomputedLoops = new(ReferenceComparer<object>.Instance);

        /// <summary>The outermost recomputable loops of the function, top-down.</summary>
        /// <remarks>
        /// A loop excluded because fusion reverses each of its iterations in place is searched: a loop inside it (the
        /// GMM's component loop in its fused sample loop) is reversed once per enclosing iteration, and recomputing its
        /// iterations is as sound there as anywhere.
        /// </remarks>
        private List<IrLoop> RecomputableLoops(HashSet<object> excluded) => ChooseLoops(excluded, IterationsRecomputable, searchInsideLoops: true, searchInsideExcluded: true);

        /// <summary>
        /// The loops of the function, top-down, that <paramref name="accept"/> takes (given the loop and the statement
        /// before it, which may start its counter); none inside a loop taken, and, unless <paramref name="searchInsideLoops"/>,
        /// none inside any loop. An excluded loop is not taken, and searched only when <paramref name="searchInsideExcluded"/>.
        /// </summary>
        private List<IrLoop> ChooseLoops(HashSet<object> excluded, System.Func<IrLoop, IrAssign?, bool> accept, bool searchInsideLoops,
            bool searchInsideExcluded = false)
        {
            var chosen = new List<IrLoop>();
            void Visit(IrBlock block)
            {
                for (int i = 0; i < block.Statements.Count; i++)
                {
                    IrStatement statement = block.Statements[i];
                    if (statement is IrLoop loop)
                    {
                        if (excluded.Contains(loop))
                        {
                            if (searchInsideExcluded) Visit(loop.Body);
                            continue;
                        }
                        if (accept(loop, i > 0 ? block.Statements[i - 1] as IrAssign : null))
                        {
                            chosen.Add(loop);
                            continue;
                        }
                        if (!searchInsideLoops) continue;
                    }
                    foreach (IrBlock child in IrWalker.ChildBlocks(statement)) Visit(child);
                }
            }
            Visit(_function.Body);
            return chosen;
        }

        private bool IterationsRecomputable(IrLoop loop, IrAssign? previous)
        {
            if (CountedLoop.Match(loop, previous) is not { TripCount: not null } counted || CountedLoop.MayLeaveEarly(loop)) return false;
            var statements = IrWalker.Deep(loop).ToList();
            if (statements.Any(s => s is IrThrow or IrEffect or IrAssign { Value: IrNewArray or IrDifferentiableCall { Type.Kind: IrTypeKind.Array } })) return false;

            var written = new HashSet<IrVariable>(statements.Select(IrWalker.WriteOf).OfType<IrVariable>());
            var accumulators = new HashSet<IrVariable>();
            bool scratch = false, outputs = false;
            foreach (IrVariable variable in written)
            {
                if (variable == counted.Counter) continue;
                if (variable.Type.Kind == IrTypeKind.Array)
                {
                    if (IsRewrittenScratch(variable, loop, written)) scratch = true;
                    else if (IsIterationOutput(variable, loop, counted.Counter)) outputs = true;
                    else return false;
                    continue;
                }
                if (BelongsToOneIteration(variable, loop)) continue;
                if (variable.Role == IrVariableRole.Control && _assignmentCounts.TryGetValue(variable, out int all)
                    && statements.OfType<IrAssign>().Count(a => a.Target == variable) == all && ReadOnlyInItsOwnLoopHead(variable, loop))
                {
                    continue;
                }
                if (IsAccumulator(variable, statements) && OnlyReadAfter(variable, loop))
                {
                    accumulators.Add(variable);
                    continue;
                }
                return false;
            }
            // A loop recomputable only thanks to an iteration-output array re-runs to save what it records per iteration;
            // that pays when it rewrites scratch arrays (their records are as long as their fills: the GMM's xc and qxc),
            // not when it records a few scalars of a long reduction (an MLP layer's unit j: a dot product re-run to save
            // one tanh) — see IterationOutputs.cs.
            return !outputs || scratch;
        }

        /// <summary>A nested loop's test variable: assigned in that loop's head, read only by its condition.</summary>
        private static bool ReadOnlyInItsOwnLoopHead(IrVariable variable, IrLoop loop) =>
            IrWalker.Deep(loop).OfType<IrLoop>().Any(l => l.Condition is IrVariableReference { Variable: var tested } && tested == variable
                && l.Head.Statements.Any(s => s is IrAssign a && a.Target == variable))
            && IrWalker.Deep(loop).All(s => s is IrLoop l
                ? l.Condition is IrVariableReference { Variable: var v } && v == variable || !l.Condition.ReadVariables().Contains(variable)
                : !IrWalker.ReadsOf(s).Contains(variable));

        /// <summary>
        /// Whether, outside the loop, only statements after it in the method body read the variable or assign it other
        /// than a constant: their reverse runs before the loop's, so no reverse reads the accumulator's values from before
        /// an iteration (the re-run does not give them back: it leaves the accumulator at its final value).
        /// </summary>
        private bool OnlyReadAfter(IrVariable variable, IrLoop loop)
        {
            // Before the loop it may only be set to a constant: the reverse of any other assignment may read its target
            // (s = exp(a) reads s for the partial), after the loop's reverse has left s at its final value.
            static bool ConstantSet(IrStatement s, IrVariable v) => s is IrAssign { Value: IrConstant } a && a.Target == v;
            bool Disturbs(IrStatement s, IrVariable v) => IrWalker.ReadsOf(s).Contains(v) || (IrWalker.WriteOf(s) == v && !ConstantSet(s, v));
            List<IrStatement> top = _function.Body.Statements;
            int at = top.FindIndex(s => ReferenceEquals(s, loop));
            if (at >= 0) return !top.Take(at).Any(t => IrWalker.Deep(t).Any(s => Disturbs(s, variable)));
            // A nested loop: its enclosing loop's earlier iterations are reversed after it; nothing outside may read it.
            var inside = new HashSet<object>(IrWalker.Deep(loop), ReferenceComparer<object>.Instance);
            return !IrWalker.AllStatements(_function.Body).Any(s => !inside.Contains(s) && Disturbs(s, variable));
        }

        /// <summary><c>v = v ± e</c> only, and nothing else in the loop reads <c>v</c>.</summary>
        private static bool IsAccumulator(IrVariable variable, List<IrStatement> statements)
        {
            foreach (IrStatement statement in statements)
            {
                if (statement is IrAssign assign && assign.Target == variable)
                {
                    if (SelfUpdate.Match(assign) is null) return false;
                    continue;
                }
                if (IrWalker.ReadsOf(statement).Contains(variable)) return false;
            }
            return true;
        }

        /// <summary>
        /// A local vector allocated once as <c>new T[len]</c>, touched nowhere outside the loop, whose first use in each
        /// iteration rewrites every element (see <see cref="RewritesBeforeReading"/>).
        /// </summary>
        private bool IsRewrittenScratch(IrVariable array, IrLoop loop, HashSet<IrVariable> writtenInLoop)
        {
            if (SingleVectorAllocation(array) is not { } found) return false;
            var (allocation, created) = found;
            if (!LengthHoldsItsValue(created.Lengths[0])) return false;
            var inside = new HashSet<object>(IrWalker.Deep(loop), ReferenceComparer<object>.Instance);
            if (IrWalker.AllStatements(_function.Body).Any(s => !inside.Contains(s) && !ReferenceEquals(s, allocation) && Touches(s, array))) return false;
            return !loop.Head.Statements.Any(s => IrWalker.Deep(s).Any(x => Touches(x, array)))
                && RewritesBeforeReading(loop, loop.Body, array, created.Lengths[0], writtenInLoop);
        }

        /// <summary>A local vector's one assignment, when that is an allocation <c>new T[len]</c>; otherwise null.</summary>
        private (IrAssign Allocation, IrNewArray Created)? SingleVectorAllocation(IrVariable array)
        {
            if (array.Role != IrVariableRole.Local || array.Type.Layout != ArrayLayout.Vector
                || !_assignmentCounts.TryGetValue(array, out int assignments) || assignments != 1)
            {
                return null;
            }
            IrAssign? allocation = IrWalker.AllStatements(_function.Body).OfType<IrAssign>().FirstOrDefault(a => a.Target == array);
            return allocation?.Value is IrNewArray { Lengths.Length: 1 } created ? (allocation, created) : null;
        }

        /// <summary>
        /// Whether an allocation's length reads only variables that hold one value from the allocation on, so that a fill
        /// loop bounded by the same expression covers the array: parameters never assigned, and locals and temporaries
        /// assigned once (before the allocation reads them). Not a parameter assigned once: after <c>new double[n]; n = n - 1;</c>
        /// the fill <c>for (i = 0; i &lt; n; i++)</c> reads the same text as the length and leaves the last element alone,
        /// which may carry a value from one iteration to the next.
        /// </summary>
        private bool LengthHoldsItsValue(IrExpression length) =>
            length.ReadVariables().All(v => _assignmentCounts.TryGetValue(v, out int n)
                ? n == 1 && v.Role != IrVariableRole.Parameter
                : v.Role == IrVariableRole.Parameter);

        /// <summary>
        /// The write of a fill loop <c>for (j = 0; j &lt; len; j++) { … a[j] = v; … }</c> whose only use of the array is that
        /// write, unconditional in the body, from a value that does not read the array, with <c>len</c> the allocated
        /// length (<paramref name="allocatedLength"/>, by <see cref="Peepholes.Key"/>); null for any other loop. The caller
        /// has matched the counted loop from 0 by 1 with a trip count (no early exit: <see cref="CountedLoop.Match"/>
        /// gives none then) and its test <c>j &lt; bound</c>, and checked that the head does not touch the array. Both fill
        /// rules ask it: fusion's scratch arrays (Fusion.cs) and recomputed loops' (<see cref="RewritesBeforeReading"/>).
        /// </summary>
        private static IrElementWrite? OneWriteFill(IrLoop fill, IrVariable counter, IrExpression bound, IrVariable array, string allocatedLength, List<IrStatement> uses) =>
            Peepholes.Key(bound) == allocatedLength
            && uses.Count == 1 && uses[0] is IrElementWrite { Indices.Length: 1 } write && fill.Body.Statements.Contains(write)
            && write.Indices[0] is IrVariableReference { Variable: var index } && index == counter && !write.Value.ReadVariables().Contains(array)
                ? write
                : null;

        private static bool Touches(IrStatement statement, IrVariable array) => IrWalker.ReadsOf(statement).Contains(array) || IrWalker.WriteOf(statement) == array;

        /// <summary>
        /// Whether the first statement of <paramref name="block"/> that touches the array rewrites all of it before
        /// anything reads it: a fill loop <c>for (j = 0; j &lt; len; j++) { … a[j] = v; … }</c> whose only use of the array is
        /// that write, or a counted loop whose bounds the enclosing loop never changes (it runs equally often in every
        /// iteration) and whose body does so in turn. The fill loop may also write the array as interleaved blocks that
        /// cover it exactly (ReverseModeTransform.BlockFills.cs).
        /// </summary>
        private bool RewritesBeforeReading(IrLoop loop, IrBlock block, IrVariable array, IrExpression allocatedLength, HashSet<IrVariable> writtenInLoop)
        {
            string length = Peepholes.Key(allocatedLength);
            List<IrStatement> statements = block.Statements;
            int first = statements.FindIndex(s => IrWalker.Deep(s).Any(x => Touches(x, array)));
            if (first < 0 || statements[first] is not IrLoop inner || inner.Head.Statements.Any(s => IrWalker.Deep(s).Any(x => Touches(x, array)))) return false;
            CountedLoop? counted = CountedLoop.Match(inner, first > 0 ? statements[first - 1] as IrAssign : null);
            if (counted is null || counted.TripCount is null || CountedLoop.MayLeaveEarly(inner)) return false;

            var uses = IrWalker.Deep(inner).Where(s => Touches(s, array)).ToList();
            if (counted.Step == 1 && counted.Start is IrConstant { Value: 0 }
                && CountedLoop.TestOf(inner) is IrBinary { Operator: IrBinaryOperator.LessThan, Right: var bound }
                && OneWriteFill(inner, counted.Counter, bound, array, length, uses) is not null)
            {
                return true;
            }
            if (uses.Count > 1 && counted.Step == 1 && counted.Start is IrConstant { Value: 0 }
                && CountedLoop.TestOf(inner) is IrBinary { Operator: IrBinaryOperator.LessThan, Right: var blockBound })
            {
                return BlockFillWrites(array, loop, inner, counted.Counter, blockBound, allocatedLength, uses) is not null;
            }
            // A loop around the rewrite runs as often in every iteration of the enclosing loop (or never in any).
            if (counted.Start.ReadVariables().Concat(counted.TripCount.ReadVariables()).Any(writtenInLoop.Contains)) return false;
            return RewritesBeforeReading(loop, inner.Body, array, allocatedLength, writtenInLoop);
        }

        /// <summary>
        /// The reverse of a recomputed loop: per iteration, last first, the counter steps back, the iteration's forward
        /// part runs again (recording as it goes), and its reverse undoes it.
        /// </summary>
        private IrBlock ReverseWithRecomputation(IrLoop loop, IrBlock bodyForward, IrBlock bodyReverse)
        {
            IrStatement step = loop.Body.Statements[loop.Body.Statements.Count - 1];
            var accumulators = new HashSet<IrVariable>(IrWalker.Deep(loop).OfType<IrAssign>()
                .Where(a => !BelongsToOneIteration(a.Target, loop) && a.Target.Type.Kind != IrTypeKind.Array && SelfUpdate.Match(a) is not null
                    && !ReferenceEquals(a, step))
                .Select(a => a.Target));
            // The step's reverse (c = c - 1) comes first in the reversed body, when the counter is restored at all.
            int stepRestore = bodyReverse.Statements.FindIndex(s => _restoreOf.TryGetValue(s, out IrStatement? undone) && ReferenceEquals(undone, step));
            int at = stepRestore < 0 ? 0 : stepRestore + 1;
            var rerun = bodyForward.Statements.Where(s => !ReferenceEquals(s, step)).ToList();
            // An elementary value recomputed at the top of the iteration's reverse is the re-run's to give (RecomputeCalls.cs).
            var reverseAfter = bodyReverse.Statements.Skip(at).Where(s => !_callRecomputations.Contains(s)).ToList();
            // One list for every statement's reads (a list per statement before, here and in Slice).
            var reads = new List<IrVariable>();
            var live = new HashSet<IrVariable>();
            foreach (IrStatement statement in IrWalker.AllStatements(reverseAfter))
            {
                reads.Clear();
                IrWalker.AddReadsOf(statement, reads);
                live.UnionWith(reads);
            }
            IrBlock sliced = Slice(new IrBlock(rerun), live, accumulators, reads);

            var result = new IrBlock(bodyReverse.Statements.Take(at));
            if (!sliced.IsEmpty) result.Add(new IrComment("This iteration again, recorded for its reverse only (recomputed rather than stored):"));
            result.AddRange(sliced.Statements);
            result.AddRange(reverseAfter);
            return result;
        }

        /// <summary>
        /// The statements of <paramref name="block"/> that something reads: every tape push (its pop is in the reverse),
        /// every statement that writes what a later kept statement or <paramref name="live"/> reads, and the loops and
        /// branches around them. Increments of <paramref name="accumulators"/> are left out.
        /// </summary>
        /// <param name="reads">A scratch list (its contents are overwritten).</param>
        private static IrBlock Slice(IrBlock block, HashSet<IrVariable> live, HashSet<IrVariable> accumulators, List<IrVariable> reads)
        {
            var kept = new List<IrStatement>();
            for (int i = block.Statements.Count - 1; i >= 0; i--)
            {
                IrStatement statement = block.Statements[i];
                switch (statement)
                {
                    case IrLoop inner:
                    {
                        // Liveness around the loop: what its kept body reads is live at its end too, until nothing changes.
                        var loopLive = new HashSet<IrVariable>(live);
                        IrBlock head, body;
                        while (true)
                        {
                            body = Slice(inner.Body, new HashSet<IrVariable>(loopLive), accumulators, reads);
                            head = Slice(inner.Head, new HashSet<IrVariable>(loopLive.Concat(inner.Condition.ReadVariables()).Concat(ReadsIn(body))), accumulators, reads);
                            int before = loopLive.Count;
                            loopLive.UnionWith(ReadsIn(body));
                            loopLive.UnionWith(ReadsIn(head));
                            loopLive.UnionWith(inner.Condition.ReadVariables());
                            if (loopLive.Count == before) break;
                        }
                        if (body.IsEmpty && !IrWalker.Deep(inner).Any(s => s is IrTapePush)) continue;
                        if (inner.TripCounter is { } trips) loopLive.Add(trips);
                        kept.Add(inner with { Head = head, Body = body });
                        live.UnionWith(loopLive);
                        break;
                    }
                    case IrIf branch:
                    {
                        IrBlock then = Slice(branch.Then, new HashSet<IrVariable>(live), accumulators, reads);
                        IrBlock otherwise = Slice(branch.Else, new HashSet<IrVariable>(live), accumulators, reads);
                        if (then.IsEmpty && otherwise.IsEmpty) continue;
                        kept.Add(branch with { Then = then, Else = otherwise });
                        live.UnionWith(ReadsIn(then));
                        live.UnionWith(ReadsIn(otherwise));
                        live.UnionWith(branch.Condition.ReadVariables());
                        break;
                    }
                    case IrComment:
                        continue;
                    case IrAssign assign when accumulators.Contains(assign.Target):
                        continue;
                    default:
                    {
                        IrVariable? target = IrWalker.WriteOf(statement);
                        bool needed = statement is IrTapePush || target is null || live.Contains(target);
                        if (!needed) continue;
                        kept.Add(statement);
                        // An element write leaves the rest of the array as it was: the array stays live. A scalar is defined here.
                        if (statement is IrAssign && target is not null && target.Type.Kind != IrTypeKind.Array) live.Remove(target);
                        reads.Clear();
                        IrWalker.AddReadsOf(statement, reads);
                        IrVariable? writtenArray = statement is IrElementWrite w ? w.Array : null;
                        foreach (IrVariable read in reads)
                        {
                            if (!(writtenArray is not null && writtenArray == read)) live.Add(read);
                        }
                        if (writtenArray is not null) live.Add(writtenArray);
                        break;
                    }
                }
            }
            kept.Reverse();
            return new IrBlock(kept);
        }

        private static IEnumerable<IrVariable> ReadsIn(IrBlock block) => IrWalker.AllStatements(block).SelectMany(IrWalker.ReadsOf);
    }
}
