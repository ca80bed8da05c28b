using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Generator.Engine.Analysis
{
    /// <summary>
    /// Finds the temporaries the reverse sweep can recompute instead of storing: a temporary defined once by cheap
    /// arithmetic (a conversion, a sum, a comparison…), used only later in the same block, whose inputs nothing
    /// overwrites between its definition and its last use. Inside a loop that turns a tape push and pop per
    /// iteration into an addition or a multiplication ("recompute what is cheaper than storing").
    /// </summary>
    /// <remarks>
    /// Sound because of the reverse sweep's invariant: when a statement is reversed, every variable it reads holds
    /// the value it had right after that statement ran forward; if a temporary's inputs were not overwritten since its
    /// definition, evaluating its definition again gives its value.
    /// </remarks>
    internal static class RecomputationAnalysis
    {
        /// <summary>Temporary → the expression that recomputes it (over variables that are not themselves recomputed).</summary>
        public static Dictionary<IrVariable, IrExpression> Analyze(IrFunction function) => AnalyzeAll(function).Temporaries;

        /// <summary>
        /// The temporaries, and the locals of loop bodies the reverse sweep recomputes instead of storing. Such a local
        /// (<c>double a = 1 - x[i];</c> inside a loop) is assigned once, by cheap arithmetic, and read only later in the
        /// same block, before anything overwrites its inputs; the reverse sweep assigns it again just before it reverses
        /// the last statement that reads it (directly or through a recomputed temporary), when its inputs hold the values
        /// they had at its definition. Nothing then reads the value the reverse of its definition would restore, so
        /// that restore — a tape push and pop per iteration — is dropped as dead (<c>DeadRestores</c>).
        /// </summary>
        public static RecomputationPlan AnalyzeAll(IrFunction function)
        {
            var definitions = new Dictionary<IrVariable, int>();
            var readers = new Dictionary<IrVariable, int>();
            // One list and one set for every statement's distinct reads.
            var reads = new List<IrVariable>();
            var distinct = new HashSet<IrVariable>();
            foreach (IrStatement statement in IrWalker.AllStatements(function.Body))
            {
                if (statement is IrAssign assign)
                {
                    definitions.TryGetValue(assign.Target, out int count);
                    definitions[assign.Target] = count + 1;
                }
                reads.Clear();
                distinct.Clear();
                IrWalker.AddReadsOf(statement, reads);
                foreach (IrVariable read in reads)
                {
                    if (!distinct.Add(read)) continue;
                    readers.TryGetValue(read, out int count);
                    readers[read] = count + 1;
                }
            }

            // Element writes and span-level primitives (their destination) change arrays.
            var writtenArrays = new HashSet<IrVariable>(IrWalker.AllStatements(function.Body)
                .Select(s => s switch { IrElementWrite w => w.Array, IrSpanStore store => store.DestinationArray, IrSimdStore store => store.DestinationArray, _ => null }).OfType<IrVariable>());
            // Sub-phases timed apart (`--passes`): the pass grows faster than the method on long loop bodies.
            var recompute = new Dictionary<IrVariable, IrExpression>();
            // The index of each loop body's statements (without expansions) that the temporaries' phase makes, kept for the
            // calls' phase, which asks the same questions of the same statements: the body is indexed once, not twice.
            var loopBodyUses = new Dictionary<List<IrStatement>, BlockUses>(); // a list is equal only to itself
            using (PassTimings.Time("Reverse.Recomputation.Temporaries")) AnalyzeBlock(function.Body, inLoop: false, definitions, readers, writtenArrays, recompute, loopBodyUses);
            var locals = new Dictionary<IrStatement, List<(IrVariable Local, IrExpression Value)>>(ReferenceComparer<IrStatement>.Instance);
            using (PassTimings.Time("Reverse.Recomputation.Locals")) AnalyzeLocals(function.Body, inLoop: false, definitions, readers, writtenArrays, recompute, locals);
            var calls = new Dictionary<IrStatement, IrExpression>(ReferenceComparer<IrStatement>.Instance);
            using (PassTimings.Time("Reverse.Recomputation.Calls")) AnalyzeCalls(function.Body, inLoop: false, definitions, readers, writtenArrays, recompute, calls, loopBodyUses);
            return new RecomputationPlan(recompute, locals, calls);
        }

        /// <summary>
        /// What recomputing costs, in units of one arithmetic operation: an operation, a conversion, a comparison, an
        /// element read or a <see cref="RecomputeCost.Cheap"/> function 1; an <see cref="RecomputeCost.Elementary"/>
        /// function (sin, exp, log, √…) <see cref="ElementaryCallCost"/>; anything else (pow, a helper's call, an element
        /// of an array the caller sees change) cannot be recomputed.
        /// </summary>
        public const int ElementaryCallCost = 16;

        /// <summary>
        /// The most a value taped once per loop iteration may cost to recompute instead. Storing it costs a push and a
        /// pop (about 3 units of time) and 8 bytes per iteration held until the reverse sweep reaches it: memory that
        /// grows with the trip count, where recomputing costs time only. The budget buys that memory back with up to
        /// about eight times the time of storing: one elementary function and a few operations per value, the trade a
        /// hand-written gradient makes when it calls sin and cos again in its backward loop; two nested elementary
        /// calls (sin(exp(x))) are stored.
        /// </summary>
        public const int RecomputeBudget = 24;

        private const int NotRecomputable = int.MaxValue;

        /// <summary>The cost of evaluating <paramref name="value"/> again (see <see cref="ElementaryCallCost"/>); <see cref="NotRecomputable"/> if it cannot be.</summary>
        private static int CostOf(IrExpression value, HashSet<IrVariable> writtenArrays)
        {
            static int Sum(int a, int b) => a == NotRecomputable || b == NotRecomputable ? NotRecomputable : System.Math.Min(a + b, NotRecomputable - 1);
            switch (value)
            {
                case IrMathCall call:
                {
                    RecomputeCost kind = RuleTable.Of(call.Function).Cost;
                    int cost = kind == RecomputeCost.Cheap ? 1 : kind == RecomputeCost.Elementary ? ElementaryCallCost : NotRecomputable;
                    foreach (IrExpression argument in call.Arguments) cost = Sum(cost, CostOf(argument, writtenArrays));
                    return cost;
                }
                case IrVariableReference or IrConstant:
                    return 0;
                case IrUnary or IrBinary or IrConvert:
                {
                    int cost = 1;
                    foreach (IrExpression child in value.Children) cost = Sum(cost, CostOf(child, writtenArrays));
                    return cost;
                }
                default:
                    // Element reads (and the other leaves IsCheap knows): under the same conditions.
                    return IsCheap(value, writtenArrays) ? 1 : NotRecomputable;
            }
        }

        /// <summary>
        /// Values of loop bodies that an elementary function computes (<c>_t = Math.Sin(x)</c>, <c>e = Math.Exp(a[j])</c>),
        /// assigned once in the method, read only later in the same block, within <see cref="RecomputeBudget"/>: the reverse
        /// sweep evaluates them again where it needs them instead of taping them every iteration (placed by
        /// ReverseModeTransform.RecomputeCalls.cs, which knows where the reverse reads them and checks that the operands
        /// still hold their values there). Cheaper values are substituted (<see cref="AnalyzeBlock"/>) or assigned again
        /// (<see cref="AnalyzeLocals"/>) already.
        /// </summary>
        private static void AnalyzeCalls(IrBlock block, bool inLoop, Dictionary<IrVariable, int> definitions, Dictionary<IrVariable, int> readers,
            HashSet<IrVariable> writtenArrays, Dictionary<IrVariable, IrExpression> temporaries, Dictionary<IrStatement, IrExpression> calls,
            Dictionary<List<IrStatement>, BlockUses> loopBodyUses)
        {
            List<IrStatement> statements = block.Statements;
            if (inLoop)
            {
                BlockUses? uses = null;
                for (int k = 0; k < statements.Count; k++)
                {
                    // Three-address form: the call is the definition's whole value (v = Math.Sin(a)).
                    if (statements[k] is not IrAssign { Target: { Role: IrVariableRole.Local or IrVariableRole.Temporary } target, Value: IrMathCall call }
                        || RuleTable.Of(call.Function).Cost != RecomputeCost.Elementary
                        || !target.Type.IsDifferentiable || target.Type.Kind == IrTypeKind.Array || definitions[target] != 1 || temporaries.ContainsKey(target))
                    {
                        continue;
                    }
                    IrExpression expanded = IrRewriter.Replace(call, v => temporaries.TryGetValue(v, out IrExpression? e) ? e : null);
                    if (CostOf(expanded, writtenArrays) > RecomputeBudget || expanded.ReadVariables().Contains(target)) continue;
                    uses ??= loopBodyUses.TryGetValue(statements, out BlockUses? indexed) ? indexed : new BlockUses(statements, expansions: null);
                    (int lastUse, int readersHere) = uses.ReadersAfter(target, k);
                    readers.TryGetValue(target, out int allReaders);
                    if (lastUse < 0 || readersHere != allReaders) continue;
                    calls[statements[k]] = expanded;
                }
            }
            foreach (IrStatement statement in statements)
            {
                foreach (IrBlock child in IrWalker.ChildBlocks(statement))
                {
                    AnalyzeCalls(child, inLoop || statement is IrLoop, definitions, readers, writtenArrays, temporaries, calls, loopBodyUses);
                }
            }
        }

        private static void AnalyzeLocals(IrBlock block, bool inLoop, Dictionary<IrVariable, int> definitions, Dictionary<IrVariable, int> readers,
            HashSet<IrVariable> writtenArrays, Dictionary<IrVariable, IrExpression> temporaries, Dictionary<IrStatement, List<(IrVariable, IrExpression)>> locals)
        {
            List<IrStatement> statements = block.Statements;
            if (inLoop)
            {
                // What each statement reads once recomputed temporaries are expanded: the reverse sweep reads that
                // (indexed at the first candidate, as in AnalyzeBlock).
                BlockUses? uses = null;
                for (int k = 0; k < statements.Count; k++)
                {
                    if (statements[k] is not IrAssign { Target: { Role: IrVariableRole.Local } local } definition
                        || !(local.Type.IsDifferentiable || local.Type.Kind == IrTypeKind.Integer) || definitions[local] != 1 || !IsCheap(definition.Value, writtenArrays))
                    {
                        continue;
                    }
                    uses ??= new BlockUses(statements, temporaries);
                    (int lastDirect, int readersHere) = uses.ReadersAfter(local, k);
                    int lastUse = System.Math.Max(lastDirect, uses.LastExpandedReadAfter(local, k));
                    readers.TryGetValue(local, out int allReaders);
                    if (lastUse < 0 || readersHere != allReaders) continue;

                    IrExpression expanded = IrRewriter.Replace(definition.Value, v => temporaries.TryGetValue(v, out IrExpression? e) ? e : null);
                    var inputs = new HashSet<IrVariable>(expanded.ReadVariables());
                    if (inputs.Contains(local)) continue;
                    if (uses.AnyWrittenBetween(inputs, k, lastUse)) continue;
                    if (!locals.TryGetValue(statements[lastUse], out var list)) locals[statements[lastUse]] = list = new List<(IrVariable, IrExpression)>();
                    list.Add((local, expanded));
                }
            }
            foreach (IrStatement statement in statements)
            {
                foreach (IrBlock child in IrWalker.ChildBlocks(statement))
                {
                    AnalyzeLocals(child, inLoop || statement is IrLoop, definitions, readers, writtenArrays, temporaries, locals);
                }
            }
        }

        private static void AnalyzeBlock(IrBlock block, bool inLoop, Dictionary<IrVariable, int> definitions, Dictionary<IrVariable, int> readers,
            HashSet<IrVariable> writtenArrays, Dictionary<IrVariable, IrExpression> recompute, Dictionary<List<IrStatement>, BlockUses> loopBodyUses)
        {
            List<IrStatement> statements = block.Statements;
            // Indexed at the first candidate: most blocks of branchy code (an if's arms) define no temporary, and the
            // index of each cost a few collections (AnalyzeCalls indexes a loop body itself when this did not).
            BlockUses? uses = null;
            for (int k = 0; k < statements.Count; k++)
            {
                if (statements[k] is not IrAssign { Target: { Role: IrVariableRole.Temporary } target } definition
                    || definitions[target] != 1 || !IsCheap(definition.Value, writtenArrays))
                {
                    continue;
                }
                if (uses is null)
                {
                    uses = new BlockUses(statements, expansions: null);
                    if (inLoop) loopBodyUses[statements] = uses;
                }
                // Every reader of the temporary must be in this block, after the definition.
                (int lastUse, int readersHere) = uses.ReadersAfter(target, k);
                readers.TryGetValue(target, out int allReaders);
                if (lastUse < 0 || readersHere != allReaders) continue;

                IrExpression expanded = IrRewriter.Replace(definition.Value, v => recompute.TryGetValue(v, out IrExpression? e) ? e : null);
                var inputs = new HashSet<IrVariable>(expanded.ReadVariables());
                if (!uses.AnyWrittenBetween(inputs, k, lastUse)) recompute[target] = expanded;
            }

            foreach (IrStatement statement in statements)
            {
                foreach (IrBlock child in IrWalker.ChildBlocks(statement)) AnalyzeBlock(child, inLoop || statement is IrLoop, definitions, readers, writtenArrays, recompute, loopBodyUses);
            }
        }

        /// <summary>
        /// Where each variable is read and written among the statements of one block (a statement counts with everything
        /// nested in it), indexed once so that each question about a variable costs its own uses, not a scan of the
        /// block: the analyses ask it once per candidate, and a scan per candidate made them quadratic in the block's length.
        /// </summary>
        private sealed class BlockUses
        {
            /// <summary>Variable → (statement index, how many statements nested in it read the variable), ascending.</summary>
            private readonly Dictionary<IrVariable, List<(int Index, int Readers)>> _reads = new();

            /// <summary>Variable → indices of the statements that read it once recomputed temporaries are expanded, ascending.</summary>
            private readonly Dictionary<IrVariable, List<int>> _expandedReads = new();

            /// <summary>Variable → indices of the statements that write it (themselves or nested), ascending.</summary>
            private readonly Dictionary<IrVariable, List<int>> _writes = new();

            public BlockUses(List<IrStatement> statements, Dictionary<IrVariable, IrExpression>? expansions)
            {
                var counts = new Dictionary<IrVariable, int>();
                var expanded = new HashSet<IrVariable>();
                var written = new HashSet<IrVariable>();
                // One list and one set for every statement's reads (each statement's distinct reads, in order).
                var reads = new List<IrVariable>();
                var distinct = new HashSet<IrVariable>();
                var expansionReads = new List<IrVariable>();
                for (int j = 0; j < statements.Count; j++)
                {
                    counts.Clear();
                    expanded.Clear();
                    written.Clear();
                    foreach (IrStatement nested in IrWalker.Deep(statements[j]))
                    {
                        reads.Clear();
                        distinct.Clear();
                        IrWalker.AddReadsOf(nested, reads);
                        foreach (IrVariable read in reads)
                        {
                            if (!distinct.Add(read)) continue;
                            counts.TryGetValue(read, out int count);
                            counts[read] = count + 1;
                            if (expansions is null) continue;
                            expanded.Add(read);
                            if (!expansions.TryGetValue(read, out IrExpression? expansion)) continue;
                            expansionReads.Clear();
                            expansion.AddReadVariables(expansionReads);
                            foreach (IrVariable inner in expansionReads) expanded.Add(inner);
                        }
                        if (IrWalker.WriteOf(nested) is { } target) written.Add(target);
                    }
                    foreach (var pair in counts) Append(_reads, pair.Key, (j, pair.Value));
                    foreach (IrVariable variable in expanded) Append(_expandedReads, variable, j);
                    foreach (IrVariable variable in written) Append(_writes, variable, j);
                }
            }

            private static void Append<T>(Dictionary<IrVariable, List<T>> index, IrVariable variable, T entry)
            {
                if (!index.TryGetValue(variable, out List<T>? list)) index[variable] = list = new List<T>();
                list.Add(entry);
            }

            /// <summary>The last statement after <paramref name="after"/> that reads the variable (-1 if none), and how many statements after it read it.</summary>
            public (int Last, int Readers) ReadersAfter(IrVariable variable, int after)
            {
                int last = -1, readers = 0;
                if (!_reads.TryGetValue(variable, out var list)) return (last, readers);
                foreach (var (index, count) in list)
                {
                    if (index <= after) continue;
                    last = index;
                    readers += count;
                }
                return (last, readers);
            }

            /// <summary>The last statement after <paramref name="after"/> that reads the variable through an expanded temporary or directly (-1 if none).</summary>
            public int LastExpandedReadAfter(IrVariable variable, int after) =>
                _expandedReads.TryGetValue(variable, out var list) && list[list.Count - 1] > after ? list[list.Count - 1] : -1;

            /// <summary>Whether a statement in (<paramref name="after"/>, <paramref name="last"/>] writes one of the variables.</summary>
            public bool AnyWrittenBetween(IEnumerable<IrVariable> variables, int after, int last)
            {
                foreach (IrVariable variable in variables)
                {
                    if (!_writes.TryGetValue(variable, out var list)) continue;
                    // The first write after `after`, by binary search: is it at or before `last`?
                    int lo = 0, hi = list.Count;
                    while (lo < hi)
                    {
                        int mid = (lo + hi) / 2;
                        if (list[mid] <= after) lo = mid + 1; else hi = mid;
                    }
                    if (lo < list.Count && list[lo] <= last) return true;
                }
                return false;
            }
        }

        /// <summary>
        /// Cheaper to recompute than to push and pop: arithmetic, comparisons, conversions, copies, the functions the rule
        /// table calls cheap (Abs/Max/Min/Clamp) and array elements.
        /// </summary>
        private static bool IsCheap(IrExpression value, HashSet<IrVariable> writtenArrays) => value switch
        {
            IrVariableReference or IrConstant or IrSimdLaneCount => true,
            // A vector load is an element read, Count lanes wide (the same condition on the array); a broadcast is one instruction.
            IrSimdCall { Function: SimdFunction.Load } load when load.Arguments[0] is IrSpan { Array: IrVariableReference { Variable: var loaded } } window =>
                (!writtenArrays.Contains(loaded) || loaded.Role != IrVariableRole.Parameter) && window.Children.All(c => IsCheap(c, writtenArrays)),
            IrSimdCall { Function: SimdFunction.Broadcast } broadcast => IsCheap(broadcast.Arguments[0], writtenArrays),
            IrUnary u => IsCheap(u.Operand, writtenArrays),
            IrBinary b => IsCheap(b.Left, writtenArrays) && IsCheap(b.Right, writtenArrays),
            IrConvert c => IsCheap(c.Operand, writtenArrays),
            // A comparison and a select: as cheap as arithmetic.
            IrMathCall call when RuleTable.Of(call.Function).Cost == RecomputeCost.Cheap
                => call.Arguments.All(a => IsCheap(a, writtenArrays)),
            // An element of a local array the method writes is as good: the reverse sweep restores the array's
            // elements before it reverses the read (a restore nothing reads is dropped later, DeadRestores). Not so a
            // parameter's: restoring it would leave the caller's array as it was on entry, not as the method left it.
            IrElementRead { Array: IrVariableReference { Variable: var array } } read =>
                (!writtenArrays.Contains(array) || array.Role != IrVariableRole.Parameter) && read.Indices.All(i => IsCheap(i, writtenArrays)),
            _ => false,
        };
    }

    /// <summary>What the reverse sweep recomputes instead of storing (see <see cref="RecomputationAnalysis"/>).</summary>
    internal sealed class RecomputationPlan
    {
        public RecomputationPlan(Dictionary<IrVariable, IrExpression> temporaries, Dictionary<IrStatement, List<(IrVariable Local, IrExpression Value)>> localsBefore,
            Dictionary<IrStatement, IrExpression> calls)
        {
            Temporaries = temporaries;
            LocalsBefore = localsBefore;
            Calls = calls;
        }

        /// <summary>
        /// Definition (by reference) → its value, when that is an elementary function worth recomputing rather than taping
        /// (<see cref="RecomputationAnalysis.RecomputeBudget"/>); the reverse sweep assigns it again before its first reader
        /// in reverse, where the operands still hold their values.
        /// </summary>
        public Dictionary<IrStatement, IrExpression> Calls { get; }

        /// <summary>Temporary → its definition, substituted where the reverse sweep reads the temporary.</summary>
        public Dictionary<IrVariable, IrExpression> Temporaries { get; }

        /// <summary>Statement (by reference) → the locals to assign again just before its reverse.</summary>
        public Dictionary<IrStatement, List<(IrVariable Local, IrExpression Value)>> LocalsBefore { get; }
    }
}
