using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// A pass over the reverse sweep that follows which scalar adjoints are zero — known statically, or zero on some
    /// paths (reset in one branch of an if) — and uses it for two things:
    /// <list type="bullet">
    /// <item>NaN safety ("strong zero", as Enzyme's option of that name). A value overwritten before anything reads it
    /// (<c>y = Log(x); y = 2 * x;</c>), replaced by a guard on some paths (<c>r = Sqrt(x); if (x &lt; 0) r = 0;</c>), or
    /// computed on a path that does not reach the result (a branch not taken, a loop left by an early return) has a zero
    /// adjoint when its definition is reversed; but 0 · ∞ and 0 · NaN are NaN, so multiplying the zero adjoint by a
    /// partial that is undefined there (1/x at 0, 1/√x below 0) — or by a primal value that overflowed or became NaN in
    /// code whose result is thrown away — would poison the gradient where the mathematics (and finite differences) say
    /// 0. A contribution whose seed is known zero is removed; one whose seed may be zero runs only when the seed is not
    /// zero. A selecting subgradient (Max, Min, Clamp, Abs: 1 or 0) can make an adjoint zero at run time, so an adjoint
    /// given only such contributions counts as maybe zero.</item>
    /// <item>Less work. Removed contributions and removed resets of adjoints already zero are work the reverse sweep
    /// does not do (and values it no longer reads need not be recorded); an accumulation into an adjoint known to be
    /// zero becomes an assignment.</item>
    /// </list>
    /// The analysis is a forward data-flow pass over the reverse sweep: ifs join their branches, loops iterate to a
    /// fixed point (their body may run any number of times, including zero).
    /// </summary>
    internal static class ZeroAdjoints
    {
        /// <summary>
        /// The <see cref="PassTimings"/> name under which each walk of a loop body (by <see cref="LoopEntry"/>) is counted:
        /// the tests of the walks saved (a body that changes no fact, a body met again) count them.
        /// </summary>
        internal const string LoopBodyWalks = "Reverse.ZeroAdjoints.LoopBodyWalks";

        private enum State
        {
            /// <summary>Not known to be zero (the default for variables not in the map).</summary>
            NonZero,
            /// <summary>Zero on some paths: reset, or never given a contribution.</summary>
            MaybeZero,
            /// <summary>Zero on every path.</summary>
            Zero,
        }

        /// <summary>
        /// The state of every adjoint at one point of the sweep, changed in place. Every change is logged, so a branch
        /// or a loop body can be analysed and then undone: an if costs what its branches change, not the size of the
        /// whole map (copying the map at each if made the pass quadratic on branchy code).
        /// </summary>
        private sealed class Facts
        {
            private readonly Dictionary<IrVariable, State> _states;
            private readonly List<(IrVariable Variable, State Before)> _log = new();

            public Facts(Dictionary<IrVariable, State> states) => _states = states;

            public State this[IrVariable v]
            {
                get => _states.TryGetValue(v, out State s) ? s : State.NonZero;
                set
                {
                    State before = this[v];
                    if (before == value) return;
                    _log.Add((v, before));
                    if (value == State.NonZero) _states.Remove(v);
                    else _states[v] = value;
                }
            }

            /// <summary>The adjoints known to be zero or maybe zero.</summary>
            public IEnumerable<IrVariable> Known => _states.Keys;

            /// <summary>A point to come back to with <see cref="UndoTo"/> or to list the changes since.</summary>
            public int Mark => _log.Count;

            /// <summary>
            /// Adds to <paramref name="changed"/> the variables changed since <paramref name="mark"/> that <paramref name="seen"/>
            /// does not hold yet (and adds them to it), each with its state at the mark, in the order first changed.
            /// </summary>
            public void AddChangedSince(int mark, HashSet<IrVariable> seen, List<(IrVariable Variable, State AtMark)> changed)
            {
                for (int i = mark; i < _log.Count; i++)
                {
                    if (seen.Add(_log[i].Variable)) changed.Add(_log[i]);
                }
            }

            /// <summary>Restores the state at <paramref name="mark"/>.</summary>
            public void UndoTo(int mark)
            {
                for (int i = _log.Count - 1; i >= mark; i--)
                {
                    var (v, before) = _log[i];
                    if (before == State.NonZero) _states.Remove(v);
                    else _states[v] = before;
                }
                _log.RemoveRange(mark, _log.Count - mark);
            }

            /// <summary>Sets every state in <paramref name="states"/>.</summary>
            public void Set(Dictionary<IrVariable, State> states)
            {
                foreach (var pair in states) this[pair.Key] = pair.Value;
            }

            public static State Join(State x, State y) => x == y ? x : State.MaybeZero;

            /// <summary>Which loop bodies (an IrBlock is equal only to itself) can change no fact (<see cref="ChangesNoFact"/>), found once per run.</summary>
            public readonly Dictionary<IrBlock, bool> Inert = new();

            /// <summary>The loop bodies whose fixed point has been looked for in this run (see <see cref="LoopEntry"/>).</summary>
            public readonly HashSet<IrBlock> Analysed = new();

            /// <summary>
            /// Scratch collections for the joins of ifs and loops, reused within this one run (nested ifs and loops each
            /// take their own): an if on a long branchy method made three small maps, every walk of every round.
            /// </summary>
            private readonly Stack<Scratch> _scratch = new();

            public Scratch Rent() => _scratch.Count > 0 ? _scratch.Pop() : new Scratch();

            public void Return(Scratch scratch)
            {
                scratch.Seen.Clear();
                scratch.Changed.Clear();
                scratch.Ends.Clear();
                _scratch.Push(scratch);
            }
        }

        /// <summary>
        /// The variables a branch or a loop body changed (each once, <see cref="Seen"/>), with their state before it
        /// (<see cref="Changed"/>) and, in step, the state at the end of the first branch or of the body (<see cref="Ends"/>).
        /// </summary>
        private sealed class Scratch
        {
            public readonly HashSet<IrVariable> Seen = new();
            public readonly List<(IrVariable Variable, State AtMark)> Changed = new();
            public readonly List<State> Ends = new();
        }

        /// <summary>
        /// Rewrites <paramref name="reverse"/>. <paramref name="zeroOnEntry"/> are the scalar adjoints that start the
        /// reverse sweep at zero (every local adjoint: the seed goes only into the result's).
        /// </summary>
        public static IrBlock Apply(IrBlock reverse, IEnumerable<IrVariable> zeroOnEntry)
        {
            var facts = new Facts(zeroOnEntry.Where(v => v.IsScalarAdjoint).Distinct().ToDictionary(v => v, _ => State.Zero));
            return Rewrite(reverse, facts);
        }

        /// <summary>Rewrites a block, updating <paramref name="facts"/> to the state at its end.</summary>
        private static IrBlock Rewrite(IrBlock block, Facts facts)
        {
            var result = new IrBlock();
            Walk(block, facts, result);
            return result;
        }

        /// <summary>
        /// Updates <paramref name="facts"/> over <paramref name="block"/> and adds the rewritten statements to
        /// <paramref name="result"/>; with no result, only the facts (a loop's fixed point walks its body several times and
        /// keeps none of the rewritten blocks it would otherwise build).
        /// </summary>
        private static void Walk(IrBlock block, Facts facts, IrBlock? result)
        {
            foreach (IrStatement statement in block.Statements)
            {
                IrStatement? rewritten = Rewrite(statement, facts, build: result is not null);
                if (rewritten is not null) result?.Add(rewritten);
            }
        }

        /// <summary>
        /// The statement as it should run given <paramref name="facts"/> (null: not at all); updates the facts. Unless
        /// <paramref name="build"/>, nested blocks are only walked for the facts and the statement returned is meaningless
        /// (nothing is allocated for it).
        /// </summary>
        private static IrStatement? Rewrite(IrStatement statement, Facts facts, bool build)
        {
            switch (statement)
            {
                case IrAssign assign when assign.Target.IsScalarAdjoint:
                {
                    IrVariable target = assign.Target;
                    if (IrConstant.IsRealZero(assign.Value))
                    {
                        bool alreadyZero = facts[target] == State.Zero;
                        facts[target] = State.Zero;
                        return alreadyZero ? null : assign;
                    }
                    if (ScaledSeed(assign.Value) is not { } scaled)
                    {
                        facts[target] = State.NonZero;
                        return assign;
                    }
                    switch (facts[scaled.Seed])
                    {
                        case State.Zero:
                        {
                            bool alreadyZero = facts[target] == State.Zero;
                            facts[target] = State.Zero;
                            return alreadyZero ? null : build ? assign with { Value = IrConstant.Real(0, target.Type) } : assign;
                        }
                        case State.MaybeZero:
                            facts[target] = State.MaybeZero;
                            return scaled.PartialMayBeNonFinite && build
                                ? assign with { Value = new IrConditional(IsNonZero(scaled.Seed), assign.Value, IrConstant.Real(0, target.Type), target.Type) }
                                : assign;
                        default:
                            facts[target] = scaled.PartialMayBeZero ? State.MaybeZero : State.NonZero;
                            return assign;
                    }
                }
                case IrAccumulate accumulate when accumulate.Target.IsScalarAdjoint:
                {
                    IrVariable target = accumulate.Target;
                    State before = facts[target];
                    if (ScaledSeed(accumulate.Value) is not { } scaled)
                    {
                        facts[target] = State.NonZero;
                        return before == State.Zero && build ? new IrAssign(target, accumulate.Value) { Origin = accumulate.Origin } : accumulate;
                    }
                    State seed = facts[scaled.Seed];
                    if (seed == State.Zero) return null;
                    bool contributionMayBeZero = seed == State.MaybeZero || scaled.PartialMayBeZero;
                    facts[target] = before == State.NonZero || !contributionMayBeZero ? State.NonZero : State.MaybeZero;
                    IrStatement update = before == State.Zero && build ? new IrAssign(target, accumulate.Value) { Origin = accumulate.Origin } : accumulate;
                    return seed == State.MaybeZero && scaled.PartialMayBeNonFinite && build ? Guarded(scaled.Seed, update) : update;
                }
                case IrElementAccumulate accumulate:
                {
                    if (ScaledSeed(accumulate.Value) is not { } scaled) return accumulate;
                    return facts[scaled.Seed] switch
                    {
                        State.Zero => null,
                        State.MaybeZero when scaled.PartialMayBeNonFinite => Guarded(scaled.Seed, accumulate),
                        _ => accumulate,
                    };
                }
                case IrBackwardCall call:
                {
                    State seed = call.Seed is IrVariableReference { Variable: var s } && s.IsScalarAdjoint ? facts[s] : State.NonZero;
                    if (seed == State.Zero) return null;
                    foreach (IrVariable? adjoint in call.Adjoints)
                    {
                        if (adjoint is null || !adjoint.IsScalarAdjoint) continue;
                        facts[adjoint] = seed == State.NonZero || facts[adjoint] == State.NonZero ? State.NonZero : State.MaybeZero;
                    }
                    // The callee's partials are unknown: a seed that may be zero always guards the call.
                    return seed == State.MaybeZero ? Guarded(((IrVariableReference)call.Seed).Variable, call) : call;
                }
                case IrIf branch:
                {
                    // Then, undone; else; then the join of the two ends, for what either branch changed.
                    int mark = facts.Mark;
                    IrBlock? then = build ? new IrBlock() : null;
                    Walk(branch.Then, facts, then);
                    Scratch join = facts.Rent();
                    facts.AddChangedSince(mark, join.Seen, join.Changed);
                    foreach (var (v, _) in join.Changed) join.Ends.Add(facts[v]);
                    facts.UndoTo(mark);
                    IrBlock? otherwise = build ? new IrBlock() : null;
                    Walk(branch.Else, facts, otherwise);
                    // A variable only the else branch changed is, at the then branch's end, as it was at the if.
                    int changedInThen = join.Changed.Count;
                    facts.AddChangedSince(mark, join.Seen, join.Changed);
                    for (int i = 0; i < join.Changed.Count; i++)
                    {
                        var (v, atEntry) = join.Changed[i];
                        State thenState = i < changedInThen ? join.Ends[i] : atEntry;
                        facts[v] = Facts.Join(thenState, facts[v]);
                    }
                    facts.Return(join);
                    if (then is null || otherwise is null) return statement;
                    return then.IsEmpty && otherwise.IsEmpty ? null : branch with { Then = then, Else = otherwise };
                }
                case IrRepeat repeat:
                {
                    // The fixed point's last walk starts from the entry facts it returns: its rewrite of the body is the one.
                    IrBlock? body = build ? new IrBlock() : null;
                    facts.Set(LoopEntry(facts, repeat.Body, body));
                    if (body is null) return statement;
                    return body.IsEmpty ? null : repeat with { Body = body };
                }
                case IrLoop loop:
                {
                    if (!(ChangesNoFact(loop.Head, facts) && ChangesNoFact(loop.Body, facts)))
                    {
                        var combined = new IrBlock(loop.Head.Statements.Concat(loop.Body.Statements));
                        facts.Set(LoopEntry(facts, combined));
                    }
                    // The walk below only builds the rewrite: what it does to the facts is undone.
                    if (!build) return statement;
                    int mark = facts.Mark;
                    IrBlock? head = build ? new IrBlock() : null;
                    Walk(loop.Head, facts, head);
                    IrBlock? body = build ? new IrBlock() : null;
                    Walk(loop.Body, facts, body);
                    facts.UndoTo(mark);
                    if (head is null || body is null) return statement;
                    return loop with { Head = head, Body = body };
                }
                default:
                    // Anything else that writes an adjoint makes it unknown.
                    foreach (IrBlock child in IrWalker.ChildBlocks(statement))
                    {
                        facts.Set(LoopEntry(facts, child));
                    }
                    return statement;
            }
        }

        /// <summary>
        /// The facts at the start of every iteration of a body that runs zero or more times, as the states that differ
        /// from <paramref name="before"/> (left as it was): only what the body changes can differ.
        /// </summary>
        /// <param name="rewritten">When given, receives the body rewritten from those entry facts. The first walk, from the
        /// facts before the loop, only finds what the body changes (its entry facts almost always move, and a rewrite built
        /// there would be thrown away) unless the body was met before in this run; every later walk builds the rewrite, so
        /// the walk that confirms the fixed point is that rewrite.</param>
        private static Dictionary<IrVariable, State> LoopEntry(Facts before, IrBlock body, IrBlock? rewritten = null)
        {
            var entry = new Dictionary<IrVariable, State>();
            // A body that writes no scalar adjoint leaves every fact as it found it, from any entry: the fixed point is the
            // facts before the loop, and the first walk below would only find that out (a checkpointed loop's segment,
            // re-run forward inside the reverse sweep, is as long as the loop body and was walked three times per run).
            if (ChangesNoFact(body, before))
            {
                if (rewritten is not null) RewriteFrom(entry);
                return entry;
            }
            // What the body changed (Changed), with its state at the body's end (Ends): the same scratch for every
            // iteration (a map per iteration, of about every adjoint of a long loop body, was most of this pass's allocation).
            Scratch after = before.Rent();
            // A body met again (a loop nested in another, whose fixed point walks it once per walk of the outer body) is
            // usually met at the entry facts the outer fixed point has settled, from which its own first walk confirms its
            // fixed point: that walk builds the rewrite too, rather than a walk more (building changes no fact).
            bool metBefore = !before.Analysed.Add(body);
            // The transfer functions are monotone and each adjoint's state can rise at most twice, so this ends; the
            // bound only guards against a mistake here, with the answer that assumes nothing.
            for (int iteration = 0; iteration < 1000; iteration++)
            {
                IrBlock? build = iteration == 0 && !metBefore ? null : rewritten;
                int mark = before.Mark;
                before.Set(entry);
                int bodyMark = before.Mark;
                build?.Statements.Clear();
                using (PassTimings.Time(LoopBodyWalks)) Walk(body, before, build);
                after.Seen.Clear();
                after.Changed.Clear();
                after.Ends.Clear();
                before.AddChangedSince(bodyMark, after.Seen, after.Changed);
                foreach (var (changed, _) in after.Changed) after.Ends.Add(before[changed]);
                before.UndoTo(mark);
                // The next entry = join(before, after), where after differs from entry only in what the body changed:
                // entry is updated in place, and the fixed point is reached when that changes nothing.
                bool moved = false;
                for (int i = 0; i < after.Changed.Count; i++)
                {
                    IrVariable variable = after.Changed[i].Variable;
                    State atStart = before[variable];
                    State joined = Facts.Join(atStart, after.Ends[i]);
                    if (joined == atStart)
                    {
                        moved |= entry.Remove(variable);
                    }
                    else if (!entry.TryGetValue(variable, out State known) || known != joined)
                    {
                        entry[variable] = joined;
                        moved = true;
                    }
                }
                if (moved) continue;
                before.Return(after);
                if (build is null && rewritten is not null) RewriteFrom(entry);
                return entry;
            }
            before.Return(after);
            Dictionary<IrVariable, State> unknown = before.Known.ToDictionary(v => v, _ => State.NonZero);
            if (rewritten is not null) RewriteFrom(unknown);
            return unknown;

            void RewriteFrom(Dictionary<IrVariable, State> facts)
            {
                int rewriteMark = before.Mark;
                before.Set(facts);
                rewritten!.Statements.Clear();
                using (PassTimings.Time(LoopBodyWalks)) Walk(body, before, rewritten);
                before.UndoTo(rewriteMark);
            }
        }

        /// <summary>
        /// Whether walking <paramref name="block"/> can change no fact whatever the facts are: nothing in it, nested
        /// statements included, is one of the statements <see cref="Rewrite(IrStatement, Facts, bool)"/> sets a fact for
        /// (an assignment or accumulation into a scalar adjoint, a backward call's scalar adjoints); ifs and loops only
        /// join and repeat what their blocks do. Found once per block per run (nested loop bodies are asked on their own).
        /// </summary>
        private static bool ChangesNoFact(IrBlock block, Facts facts)
        {
            if (facts.Inert.TryGetValue(block, out bool known)) return known;
            bool inert = ChangesNoFactUncached(block, facts);
            facts.Inert[block] = inert;
            return inert;
        }

        /// <summary>See <see cref="ChangesNoFact"/>: the blocks of ifs are not remembered (only loops are asked again).</summary>
        private static bool ChangesNoFactUncached(IrBlock block, Facts facts)
        {
            foreach (IrStatement statement in block.Statements)
            {
                bool inert = statement switch
                {
                    IrAssign assign => !assign.Target.IsScalarAdjoint,
                    IrAccumulate accumulate => !accumulate.Target.IsScalarAdjoint,
                    IrBackwardCall call => !call.Adjoints.Any(a => a is not null && a.IsScalarAdjoint),
                    IrIf branch => ChangesNoFactUncached(branch.Then, facts) && ChangesNoFactUncached(branch.Else, facts),
                    IrLoop loop => ChangesNoFact(loop.Head, facts) && ChangesNoFact(loop.Body, facts),
                    IrRepeat repeat => ChangesNoFact(repeat.Body, facts),
                    _ => IrWalker.ChildBlocks(statement).All(child => ChangesNoFactUncached(child, facts)),
                };
                if (!inert) return false;
            }
            return true;
        }

        private static IrStatement Guarded(IrVariable seed, IrStatement statement) =>
            new IrIf(IsNonZero(seed), new IrBlock(new[] { statement }), new IrBlock()) { Origin = statement.Origin };

        internal static IrExpression IsNonZero(IrVariable seed) =>
            new IrBinary(IrBinaryOperator.NotEquals, new IrVariableReference(seed), IrConstant.Real(0, seed.Type), IrType.Bool);

        /// <summary>The adjoint <c>s</c> when <paramref name="condition"/> is the guard <c>s != 0</c>.</summary>
        internal static IrVariable? GuardedSeed(IrExpression condition) =>
            condition is IrBinary { Operator: IrBinaryOperator.NotEquals, Left: IrVariableReference { Variable: var s }, Right: var zero }
            && s.IsScalarAdjoint && IrConstant.IsRealZero(zero) ? s : null;

        /// <summary>
        /// A contribution of the form seed · partial (also −seed, seed / b, converted, and a sum of such terms with the same
        /// seed, as merged accumulations are): the seed adjoint; whether the partial selects (a conditional with a zero
        /// arm: the subgradient of Max, Min, Clamp, Abs), so that the contribution may be exactly zero while the seed is
        /// not; and whether the partial may be ∞ or NaN (anything but constants and selections of constants: a primal
        /// value is non-finite when the code that computed it overflowed, and 1/x is infinite at 0), the case a zero seed
        /// must be guarded against. A guard
        /// this pass wrote, <c>(seed != 0) ? seed · p : 0</c>, is read as the contribution it guards. Null for anything else,
        /// a product of two adjoints included. Shared with <see cref="ZeroSeedLoops"/>.
        /// </summary>
        internal static (IrVariable Seed, bool PartialMayBeZero, bool PartialMayBeNonFinite)? ScaledSeed(IrExpression e)
        {
            switch (e)
            {
                case IrVariableReference { Variable: var v } when v.IsScalarAdjoint:
                    return (v, false, false);
                case IrUnary { Operator: IrUnaryOperator.Negate } negate:
                    return ScaledSeed(negate.Operand);
                case IrConvert convert:
                    return ScaledSeed(convert.Operand);
                case IrConditional { WhenTrue: var whenTrue, WhenFalse: var whenFalse } select
                    when IrConstant.IsRealZero(whenTrue) || IrConstant.IsRealZero(whenFalse):
                {
                    IrExpression taken = IrConstant.IsRealZero(whenTrue) ? whenFalse : whenTrue;
                    if (ScaledSeed(taken) is not { } inner) return null;
                    if (GuardedSeed(select.Condition) == inner.Seed) return inner; // a zero-adjoint guard
                    // (c ? seed · p : 0) with a primal condition: the seed's contribution or nothing.
                    return ReadsAdjoint(select.Condition) ? null : (inner.Seed, true, inner.PartialMayBeNonFinite);
                }
                case IrBinary { Operator: IrBinaryOperator.Multiply } product:
                    if (!ReadsAdjoint(product.Right) && ScaledSeed(product.Left) is { } left)
                        return (left.Seed, left.PartialMayBeZero || Selects(product.Right), left.PartialMayBeNonFinite || !FiniteByConstruction(product.Right));
                    if (!ReadsAdjoint(product.Left) && ScaledSeed(product.Right) is { } right)
                        return (right.Seed, right.PartialMayBeZero || Selects(product.Left), right.PartialMayBeNonFinite || !FiniteByConstruction(product.Left));
                    return null;
                case IrBinary { Operator: IrBinaryOperator.Divide } quotient:
                    return !ReadsAdjoint(quotient.Right) && ScaledSeed(quotient.Left) is { } dividend ? (dividend.Seed, dividend.PartialMayBeZero, true) : null;
                case IrBinary { Operator: IrBinaryOperator.Add } sum:
                    // Two contributions may cancel, but only at isolated points: count the sum as non-zero unless both select.
                    return ScaledSeed(sum.Left) is { } first && ScaledSeed(sum.Right) is { } second && first.Seed == second.Seed
                        ? (first.Seed, first.PartialMayBeZero && second.PartialMayBeZero, first.PartialMayBeNonFinite || second.PartialMayBeNonFinite)
                        : null;
                default:
                    return null;
            }
        }

        /// <summary>Whether any variable <paramref name="e"/> reads is an adjoint (asked of every partial: no list of the reads is made).</summary>
        private static bool ReadsAdjoint(IrExpression e) => e switch
        {
            IrVariableReference { Variable: var v } => v.Role == IrVariableRole.Adjoint,
            IrConstant => false,
            IrBinary b => ReadsAdjoint(b.Left) || ReadsAdjoint(b.Right),
            IrUnary u => ReadsAdjoint(u.Operand),
            IrConvert c => ReadsAdjoint(c.Operand),
            _ => e.Children.Any(ReadsAdjoint),
        };

        /// <summary>A partial built from constants only (a selecting subgradient, 1 or 0, or −1): finite whatever the values.</summary>
        private static bool FiniteByConstruction(IrExpression partial) => partial switch
        {
            IrConstant => true,
            IrConditional c => FiniteByConstruction(c.WhenTrue) && FiniteByConstruction(c.WhenFalse),
            IrUnary { Operator: IrUnaryOperator.Negate } u => FiniteByConstruction(u.Operand),
            IrConvert c => FiniteByConstruction(c.Operand),
            _ => false,
        };

        /// <summary>A partial that is 0 on some arguments by construction: a conditional with a zero arm (a selection).</summary>
        private static bool Selects(IrExpression partial) => partial switch
        {
            IrConditional c => IrConstant.IsRealZero(c.WhenTrue) || IrConstant.IsRealZero(c.WhenFalse) || Selects(c.WhenTrue) || Selects(c.WhenFalse),
            _ => false,
        };
    }
}
