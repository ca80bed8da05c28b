using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Passes
{
    /// <summary>
    /// Shares repeated reads of one array element within a straight-line region of the lowered IR: in
    /// <c>double b = x[i + 1] - x[i] * x[i];</c> lowering gives each <c>x[i]</c> a temporary of its own (<c>_t5 = x[i]; _t6 = x[i];</c>);
    /// this pass makes the later temporaries read the first one instead, and drops their loads. Every mode reads the lowered
    /// function, so each gains: the tangent loads <c>dx[i]</c> once instead of three times, the reverse sweep accumulates into
    /// <c>dx[i]</c> once.
    /// </summary>
    /// <remarks>
    /// <para>An element read <c>t = a[k…]</c> is available (held by <c>t</c>) from its statement until, in the same block:</para>
    /// <list type="bullet">
    /// <item>the holder, the array variable or an index variable is assigned;</item>
    /// <item>any element of any array with the same element type is written (<c>b[j] = …</c> with <c>b</c> another parameter
    /// may be <c>a</c> itself, a slice of it, or a row of a jagged array: aliasing is not analysed, every array of that
    /// element type counts as written);</item>
    /// <item>a statement whose effects the pass does not model runs (a call, a span primitive, a runtime helper, a throw,
    /// a property read through <see cref="IrOpaque"/>): everything is forgotten.</item>
    /// </list>
    /// <para>A nested block (a branch, a loop head or body) starts with nothing available, and its writes invalidate what
    /// the enclosing block holds. A later read <c>u = a[k…]</c> of an available element is removed and every read of
    /// <c>u</c> reads the holder instead, only when <c>u</c> is a lowering temporary assigned by that statement alone, all of
    /// its reads follow in the same block, and the holder is not assigned before the last of them.</para>
    /// <para>Cost: one walk over the statements, plus, per shared read, a scan forward to the temporary's last read (a
    /// temporary lives within the source statement that made it, so the scans are short).</para>
    /// </remarks>
    internal static class SharedElementReads
    {
        /// <summary>Rewrites a function's <paramref name="body"/> in place; <paramref name="keep"/> are temporaries that must stay (operands of pending diagnostics).</summary>
        /// <returns>How many element reads were shared.</returns>
        public static int Run(IrBlock body, ICollection<IrVariable>? keep = null)
        {
            var facts = new TemporaryFacts(body);
            var pass = new Pass(facts, keep);
            pass.Block(body);
            return pass.Shared;
        }

        /// <summary>
        /// How often each variable is assigned and read in the whole body (reads of nested blocks included): a temporary
        /// with one assignment, whose reads are all found after it in one block, can be replaced there.
        /// </summary>
        private sealed class TemporaryFacts
        {
            public readonly Dictionary<IrVariable, int> Assignments = new();
            public readonly Dictionary<IrVariable, int> Reads = new();

            private readonly List<IrVariable> _reads = new();

            public TemporaryFacts(IrBlock body) => Block(body);

            // Only temporaries can be replaced: the counts of the other variables are never asked for.
            private void Block(IrBlock block)
            {
                foreach (IrStatement statement in block.Statements)
                {
                    _reads.Clear();
                    IrWalker.AddReadsOf(statement, _reads);
                    foreach (IrVariable read in _reads) if (read.Role == IrVariableRole.Temporary) Reads[read] = Count(Reads, read) + 1;
                    if (IrWalker.WriteOf(statement) is { Role: IrVariableRole.Temporary } written) Assignments[written] = Count(Assignments, written) + 1;
                    foreach (IrBlock child in IrWalker.ChildBlocks(statement)) Block(child);
                }
            }

            public static int Count(Dictionary<IrVariable, int> counts, IrVariable variable) => counts.TryGetValue(variable, out int n) ? n : 0;
        }

        /// <summary>An element read's identity: its array variable and up to three indices, each a variable or a constant's value.</summary>
        private readonly struct ReadKey : System.IEquatable<ReadKey>
        {
            public readonly IrVariable Array;
            private readonly object? _first, _second, _third;

            private ReadKey(IrVariable array, object? first, object? second, object? third)
            {
                Array = array;
                _first = first;
                _second = second;
                _third = third;
            }

            /// <summary>The key of <paramref name="read"/>, or null when its array or an index is not a variable or a constant.</summary>
            public static ReadKey? Of(IrElementRead read)
            {
                if (read.Array is not IrVariableReference { Variable: var array } || read.Indices.Length is 0 or > 3) return null;
                var parts = new object?[3];
                for (int i = 0; i < read.Indices.Length; i++)
                {
                    switch (read.Indices[i])
                    {
                        case IrVariableReference { Variable: var index }:
                            parts[i] = index;
                            break;
                        case IrConstant { Value: int or long } constant:
                            parts[i] = constant.Value;
                            break;
                        default:
                            return null;
                    }
                }
                return new ReadKey(array, parts[0], parts[1], parts[2]);
            }

            /// <summary>The index variables (the constants need no invalidation).</summary>
            public IEnumerable<IrVariable> IndexVariables()
            {
                if (_first is IrVariable a) yield return a;
                if (_second is IrVariable b) yield return b;
                if (_third is IrVariable c) yield return c;
            }

            public bool Equals(ReadKey other) => Array == other.Array && Equals(_first, other._first) && Equals(_second, other._second) && Equals(_third, other._third);

            public override bool Equals(object? obj) => obj is ReadKey other && Equals(other);

            public override int GetHashCode()
            {
                unchecked
                {
                    int hash = Array.Id;
                    hash = hash * 31 + (_first?.GetHashCode() ?? 0);
                    hash = hash * 31 + (_second?.GetHashCode() ?? 0);
                    return hash * 31 + (_third?.GetHashCode() ?? 0);
                }
            }
        }

        /// <summary>The element reads available at one point of one block, with what invalidates each.</summary>
        private sealed class Available
        {
            private readonly Dictionary<ReadKey, IrVariable> _holders = new();
            // Keys to drop when a variable (holder, array, index) is assigned, or an array of an element type is written.
            // Entries may be stale (the key since dropped, or held anew): dropping too much is safe.
            private readonly Dictionary<IrVariable, List<ReadKey>> _byVariable = new();
            private readonly Dictionary<string, List<ReadKey>> _byElementType = new();

            public bool TryGet(ReadKey key, out IrVariable holder) => _holders.TryGetValue(key, out holder!);

            public void Add(ReadKey key, IrVariable holder, IrType elementType)
            {
                _holders[key] = holder;
                Depend(holder, key);
                Depend(key.Array, key);
                foreach (IrVariable index in key.IndexVariables()) Depend(index, key);
                if (!_byElementType.TryGetValue(elementType.CSharpName, out List<ReadKey>? keys)) _byElementType[elementType.CSharpName] = keys = new List<ReadKey>();
                keys.Add(key);
            }

            public void Assigned(IrVariable variable)
            {
                if (_holders.Count == 0 || !_byVariable.TryGetValue(variable, out List<ReadKey>? keys)) return;
                foreach (ReadKey key in keys) _holders.Remove(key);
                keys.Clear();
            }

            public void ElementsWritten(IrType elementType)
            {
                if (_holders.Count == 0 || !_byElementType.TryGetValue(elementType.CSharpName, out List<ReadKey>? keys)) return;
                foreach (ReadKey key in keys) _holders.Remove(key);
                keys.Clear();
            }

            public void Clear()
            {
                _holders.Clear();
                _byVariable.Clear();
                _byElementType.Clear();
            }

            private void Depend(IrVariable variable, ReadKey key)
            {
                if (!_byVariable.TryGetValue(variable, out List<ReadKey>? keys)) _byVariable[variable] = keys = new List<ReadKey>();
                keys.Add(key);
            }
        }

        private sealed class Pass
        {
            private readonly TemporaryFacts _facts;
            private readonly ICollection<IrVariable>? _keep;
            private readonly List<IrVariable> _reads = new();

            public Pass(TemporaryFacts facts, ICollection<IrVariable>? keep)
            {
                _facts = facts;
                _keep = keep;
            }

            public int Shared { get; private set; }

            /// <summary>Shares the reads of one block (its nested blocks each on their own), with nothing available at its start.</summary>
            public void Block(IrBlock block)
            {
                var available = new Available();
                List<IrStatement> statements = block.Statements;
                for (int i = 0; i < statements.Count; i++)
                {
                    IrStatement statement = statements[i];
                    if (statement is IrAssign { Value: IrElementRead read } assign && ReadKey.Of(read) is { } key)
                    {
                        if (available.TryGet(key, out IrVariable holder) && TryReplace(statements, i, assign.Target, holder))
                        {
                            Shared++;
                            i--; // the statement is gone; the next one is at i now
                            continue;
                        }
                        available.Assigned(assign.Target);
                        // `t = t[i]` cannot happen (t is an array, a[i] a scalar), so the read holds after the assignment.
                        if (assign.Target != key.Array && !ReadsIndex(key, assign.Target)) available.Add(key, assign.Target, read.Type);
                        continue;
                    }
                    foreach (IrBlock child in IrWalker.ChildBlocks(statement)) Block(child);
                    Invalidate(statement, available);
                }
            }

            private static bool ReadsIndex(ReadKey key, IrVariable variable)
            {
                foreach (IrVariable index in key.IndexVariables()) if (index == variable) return true;
                return false;
            }

            /// <summary>Forgets what <paramref name="statement"/> (and every statement nested in it) may overwrite.</summary>
            private static void Invalidate(IrStatement statement, Available available)
            {
                switch (statement)
                {
                    case IrAssign assign when IsModelled(assign.Value):
                        available.Assigned(assign.Target);
                        break;
                    case IrElementWrite write when IsModelled(write.Value) && AllModelled(write.Indices):
                        available.Assigned(write.Array);
                        available.ElementsWritten(write.Array.Type.Element ?? write.Value.Type);
                        break;
                    case IrIf or IrLoop or IrComment:
                        // A condition only reads; the nested statements may write.
                        foreach (IrBlock child in IrWalker.ChildBlocks(statement))
                        {
                            foreach (IrStatement inner in child.Statements) Invalidate(inner, available);
                        }
                        break;
                    default:
                        // A call, a span primitive, a throw, something a later transform made: it may write anything.
                        available.Clear();
                        break;
                }
            }

            /// <summary>Whether evaluating <paramref name="expression"/> writes nothing: arithmetic, Math calls, element reads, lengths.</summary>
            private static bool IsModelled(IrExpression expression)
            {
                switch (expression)
                {
                    case IrVariableReference or IrConstant:
                        return true;
                    case IrUnary or IrBinary or IrConvert or IrConditional or IrMathCall or IrElementRead or IrNewArray:
                        foreach (IrExpression child in expression.Children) if (!IsModelled(child)) return false;
                        return true;
                    case IrOpaque { Template: "{0}.Length" } length:
                        return IsModelled(length.Arguments[0]);
                    default:
                        return false;
                }
            }

            private static bool AllModelled(ImmutableArray<IrExpression> expressions)
            {
                foreach (IrExpression expression in expressions) if (!IsModelled(expression)) return false;
                return true;
            }

            /// <summary>
            /// Removes <c>statements[at]</c>, <c>temporary = a[k…]</c>, and makes every read of <paramref name="temporary"/> read
            /// <paramref name="holder"/>, when that is the same value at each of them; false (nothing changed) otherwise.
            /// </summary>
            private bool TryReplace(List<IrStatement> statements, int at, IrVariable temporary, IrVariable holder)
            {
                if (temporary.Role != IrVariableRole.Temporary || temporary == holder || temporary.Type != holder.Type
                    || TemporaryFacts.Count(_facts.Assignments, temporary) != 1 || _keep?.Contains(temporary) == true)
                {
                    return false;
                }
                int remaining = TemporaryFacts.Count(_facts.Reads, temporary);
                int last = at;
                while (remaining > 0)
                {
                    if (++last >= statements.Count) return false; // read after the block (a loop's condition): keep it
                    // The holder assigned in a statement that still reads the temporary (or after which reads remain): not the same value.
                    if (!Scan(statements[last], temporary, holder, ref remaining)) return false;
                }
                statements.RemoveAt(at);
                for (int i = at; i < last; i++) statements[i] = Substitute(statements[i], temporary, holder);
                return true;
            }

            /// <summary>
            /// Counts <paramref name="statement"/>'s reads of <paramref name="temporary"/> (nested ones included) off
            /// <paramref name="remaining"/>; false when it may assign <paramref name="holder"/> (or is a statement the pass does not model).
            /// </summary>
            private bool Scan(IrStatement statement, IrVariable temporary, IrVariable holder, ref int remaining)
            {
                if (statement is not (IrAssign or IrElementWrite or IrIf or IrLoop or IrComment) || IrWalker.WriteOf(statement) == holder) return false;
                _reads.Clear();
                IrWalker.AddReadsOf(statement, _reads);
                foreach (IrVariable read in _reads) if (read == temporary) remaining--;
                foreach (IrBlock child in IrWalker.ChildBlocks(statement))
                {
                    foreach (IrStatement inner in child.Statements) if (!Scan(inner, temporary, holder, ref remaining)) return false;
                }
                return true;
            }

            private static IrStatement Substitute(IrStatement statement, IrVariable temporary, IrVariable holder)
            {
                IrExpression? Replacement(IrVariable v) => v == temporary ? new IrVariableReference(holder) : null;
                IrExpression Map(IrExpression e) => IrRewriter.Replace(e, Replacement);
                IrBlock MapBlock(IrBlock block)
                {
                    for (int i = 0; i < block.Statements.Count; i++) block.Statements[i] = Substitute(block.Statements[i], temporary, holder);
                    return block;
                }
                return statement switch
                {
                    IrAssign s => s with { Value = Map(s.Value) },
                    IrElementWrite s => s with { Indices = s.Indices.Select(Map).ToImmutableArray(), Value = Map(s.Value) },
                    IrIf s => s with { Condition = Map(s.Condition), Then = MapBlock(s.Then), Else = MapBlock(s.Else) },
                    IrLoop s => s with { Head = MapBlock(s.Head), Condition = Map(s.Condition), Body = MapBlock(s.Body) },
                    _ => statement, // a comment (TryReplace accepts no other statement between the read and the last use)
                };
            }
        }
    }
}
