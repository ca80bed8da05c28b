using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Skips a reversed loop whose every contribution is a multiple of adjoints that are zero: the reverse of
    /// <c>a = b; for (…) a += w[k] * x[k]; h = Math.Max(a, 0);</c> runs the whole inner loop to add <c>0 · x[k]</c> into
    /// the gradient of <c>w</c> whenever the ReLU is off. A hand-written gradient tests for that; so does the generated
    /// one: <c>if (_d_a != 0) { reversed loop }</c>.
    /// </summary>
    /// <remarks>
    /// A loop qualifies when, with its seeds (adjoints it reads but never assigns) all zero, it changes nothing that is
    /// read afterwards: every adjoint it assigns is a multiple of a seed (or of an adjoint so assigned), every
    /// accumulation adds such a multiple, it pops nothing from a tape and calls nothing, and every other variable it
    /// assigns (its counters, recomputed values) is dead after it.
    /// </remarks>
    internal static class ZeroSeedLoops
    {
        public static void Guard(IrBlock reverse, IEnumerable<IrVariable> liveAfter)
        {
            // Liveness only when a loop qualifies but for it: most reversed loops pop from a tape or write an element,
            // and the liveness of a long loop body is about a twentieth of the engine.
            if (!IrWalker.AllStatements(reverse).Any(s => s is IrRepeat repeat && Seeds(repeat, liveAfter: null) is { Count: > 0 })) return;
            Dictionary<IrStatement, HashSet<IrVariable>> liveAfterLoops = DeadRestores.LiveAfterLoops(reverse, liveAfter);
            Rewrite(reverse, liveAfterLoops);
        }

        private static void Rewrite(IrBlock block, Dictionary<IrStatement, HashSet<IrVariable>> liveAfterLoops)
        {
            for (int i = 0; i < block.Statements.Count; i++)
            {
                IrStatement statement = block.Statements[i];
                if (statement is IrRepeat repeat && liveAfterLoops.TryGetValue(repeat, out var live) && Seeds(repeat, live) is { Count: > 0 } seeds)
                {
                    IrExpression anyNonZero = seeds.Select(s => (IrExpression)new IrBinary(IrBinaryOperator.NotEquals, new IrVariableReference(s), IrConstant.Real(0, s.Type), IrType.Bool))
                        .Aggregate((a, b) => new IrBinary(IrBinaryOperator.Or, a, b, IrType.Bool));
                    if (seeds.Count == 1) statement = repeat with { Body = KnownNonZero.DropGuards(repeat.Body, seeds[0]) };
                    block.Statements[i] = new IrIf(anyNonZero, new IrBlock(new[] { statement }), new IrBlock()) { Origin = statement.Origin };
                    continue; // its body is left as it is: the guard already skips the common case
                }
                foreach (IrBlock child in IrWalker.ChildBlocks(statement)) Rewrite(child, liveAfterLoops);
            }
        }

        /// <summary>
        /// The seeds of a qualifying loop (see the remarks); null when it does not qualify. Without
        /// <paramref name="liveAfter"/>, what the loop assigns is not checked for being dead after it.
        /// </summary>
        private static List<IrVariable>? Seeds(IrRepeat repeat, HashSet<IrVariable>? liveAfter)
        {
            var statements = IrWalker.AllStatements(repeat.Body).ToList();
            if (statements.Any(s => s is IrElementWrite or IrBackwardCall or IrEffect or IrLoop or IrTapePush
                || s is IrAssign { Value: var v } && Contains(v, e => e is IrTapePop)))
            {
                return null;
            }
            var assignedAdjoints = new HashSet<IrVariable>(statements.OfType<IrAssign>().Select(a => a.Target).Where(v => v.IsScalarAdjoint));
            var seeds = new HashSet<IrVariable>();
            var proportional = new HashSet<IrVariable>();
            if (!Check(repeat.Body, assignedAdjoints, seeds, proportional)) return null;
            // Whatever else the loop assigns must be dead after it.
            var others = statements.Select(IrWalker.WriteOf).OfType<IrVariable>().Where(v => v.Role != IrVariableRole.Adjoint);
            if (liveAfter is not null && others.Any(liveAfter.Contains)) return null;
            // So must every adjoint it assigns (rather than accumulates into): with the seeds zero the loop sets it to
            // zero, which is not what it held before when it carries a contribution from later code. The reverse of
            // `x = c;` inside the loop is `_d_x = 0;`, and skipping that would let a gradient through an overwritten x.
            if (liveAfter is not null && assignedAdjoints.Any(liveAfter.Contains)) return null;
            if (statements.OfType<IrAccumulate>().Any(a => a.Target.Role != IrVariableRole.Adjoint)) return null;
            return seeds.OrderBy(s => s.Id).ToList();
        }

        /// <summary>
        /// Walks a block in order: an adjoint assigned a multiple of a seed (or zero) becomes proportional; every value
        /// added or assigned to an adjoint must be such a multiple. Seeds are adjoints read that the loop never assigns.
        /// </summary>
        private static bool Check(IrBlock block, HashSet<IrVariable> assignedAdjoints, HashSet<IrVariable> seeds, HashSet<IrVariable> proportional)
        {
            bool IsMultiple(IrExpression value)
            {
                if (IrConstant.IsRealZero(value)) return true;
                if (ZeroAdjoints.ScaledSeed(value)?.Seed is not { } seed) return false;
                if (assignedAdjoints.Contains(seed)) return proportional.Contains(seed);
                seeds.Add(seed);
                return true;
            }

            foreach (IrStatement statement in block.Statements)
            {
                switch (statement)
                {
                    case IrAssign { Target: var target } assign when target.IsScalarAdjoint:
                        if (!IsMultiple(assign.Value)) return false;
                        proportional.Add(target);
                        break;
                    case IrAccumulate accumulate:
                        if (!accumulate.Target.IsScalarAdjoint || !IsMultiple(accumulate.Value)) return false;
                        break;
                    case IrElementAccumulate accumulate:
                        if (accumulate.Array.Role != IrVariableRole.Adjoint || !IsMultiple(accumulate.Value)) return false;
                        break;
                    case IrAssign assign:
                        // A primal value (a counter, a recomputed local): must not read an adjoint.
                        if (assign.Value.ReadVariables().Any(v => v.Role == IrVariableRole.Adjoint)) return false;
                        break;
                    case IrIf branch:
                    {
                        // A zero-adjoint guard (if (s != 0) { contribution of s }) changes nothing proportional.
                        bool guard = ZeroAdjoints.GuardedSeed(branch.Condition) is not null && branch.Else.IsEmpty;
                        if (!guard && branch.Condition.ReadVariables().Any(v => v.Role == IrVariableRole.Adjoint)) return false;
                        var inThen = new HashSet<IrVariable>(proportional);
                        var inElse = new HashSet<IrVariable>(proportional);
                        if (!Check(branch.Then, assignedAdjoints, seeds, inThen) || !Check(branch.Else, assignedAdjoints, seeds, inElse)) return false;
                        inThen.IntersectWith(inElse);
                        proportional.UnionWith(inThen);
                        break;
                    }
                    case IrRepeat nested:
                        // Runs any number of times: what it makes proportional before it reads it must already be.
                        if (nested.Count.ReadVariables().Any(v => v.Role == IrVariableRole.Adjoint)) return false;
                        if (!Check(nested.Body, assignedAdjoints, seeds, new HashSet<IrVariable>(proportional))) return false;
                        if (!Check(nested.Body, assignedAdjoints, seeds, proportional)) return false;
                        break;
                    default:
                        return false;
                }
            }
            return true;
        }

        /// <summary>
        /// Inside <c>if (s != 0) { … }</c> the zero-adjoint guards on <c>s</c> (ZeroAdjoints), and on adjoints that copy it,
        /// are always true: drop them, so the loop the guard protects runs as fast as before the guards.
        /// </summary>
        private static class KnownNonZero
        {
            public static IrBlock DropGuards(IrBlock body, IrVariable seed)
            {
                // Adjoints the body assigns are known non-zero only from their copy of the seed on, within one iteration.
                var known = new HashSet<IrVariable> { seed };
                known.ExceptWith(IrWalker.AllStatements(body).Select(IrWalker.WriteOf).OfType<IrVariable>());
                return Rewrite(body, known);
            }

            private static IrBlock Rewrite(IrBlock block, HashSet<IrVariable> known)
            {
                var result = new IrBlock();
                foreach (IrStatement statement in block.Statements)
                {
                    switch (statement)
                    {
                        case IrIf branch when ZeroAdjoints.GuardedSeed(branch.Condition) is { } s && known.Contains(s) && branch.Else.IsEmpty:
                            result.AddRange(Rewrite(branch.Then, known).Statements);
                            break;
                        case IrAssign assign:
                        {
                            IrExpression value = Simplify(assign.Value, known);
                            known.Remove(assign.Target);
                            if (assign.Target.IsScalarAdjoint && IsCopyOfKnown(value, known)) known.Add(assign.Target);
                            result.Add(ReferenceEquals(value, assign.Value) ? assign : assign with { Value = value });
                            break;
                        }
                        case IrIf branch:
                        {
                            var inElse = new HashSet<IrVariable>(known);
                            IrBlock then = Rewrite(branch.Then, known);
                            IrBlock otherwise = Rewrite(branch.Else, inElse);
                            known.IntersectWith(inElse);
                            result.Add(branch with { Then = then, Else = otherwise });
                            break;
                        }
                        case IrRepeat nested:
                        {
                            known.ExceptWith(IrWalker.AllStatements(nested.Body).Select(IrWalker.WriteOf).OfType<IrVariable>());
                            result.Add(nested with { Body = Rewrite(nested.Body, new HashSet<IrVariable>(known)) });
                            break;
                        }
                        default:
                            if (IrWalker.WriteOf(statement) is { } written) known.Remove(written);
                            result.Add(statement);
                            break;
                    }
                }
                return result;
            }

            /// <summary><c>(s != 0) ? e : 0</c> with s known non-zero is e.</summary>
            private static IrExpression Simplify(IrExpression value, HashSet<IrVariable> known) =>
                value is IrConditional { Condition: var c, WhenFalse: var zero } select
                && ZeroAdjoints.GuardedSeed(c) is { } s && known.Contains(s) && IrConstant.IsRealZero(zero)
                    ? select.WhenTrue
                    : value;

            private static bool IsCopyOfKnown(IrExpression value, HashSet<IrVariable> known) => value switch
            {
                IrVariableReference { Variable: var v } => known.Contains(v),
                IrUnary { Operator: IrUnaryOperator.Negate } negate => IsCopyOfKnown(negate.Operand, known),
                IrConvert convert => IsCopyOfKnown(convert.Operand, known),
                _ => false,
            };
        }

        private static bool Contains(IrExpression e, System.Func<IrExpression, bool> predicate) => predicate(e) || e.Children.Any(c => Contains(c, predicate));
    }
}
