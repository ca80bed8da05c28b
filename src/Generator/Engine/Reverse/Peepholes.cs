using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>Small local rewrites of the generated sweeps that save memory traffic.</summary>
    internal static partial class Peepholes
    {
        /// <summary>
        /// <c>if (s != 0) { a } if (s != 0) { b }</c>, two zero-adjoint guards on the same seed one after the other (the
        /// contributions of one seed to two operands), becomes <c>if (s != 0) { a b }</c> when <c>a</c> writes nothing
        /// the condition reads: the same behaviour, one test, and generated code that reads as the chain rule.
        /// </summary>
        /// <remarks>
        /// The block is compacted in place, each statement moved once: removing each merged guard from the list shifted
        /// the rest of a long reverse sweep every time (quadratic: 30 ms of a 3 200-statement branchy loop body).
        /// </remarks>
        public static void MergeAdjacentGuards(IrBlock block)
        {
            List<IrStatement> statements = block.Statements;
            // statements[0 .. kept) is the merged block so far.
            int kept = 0;
            for (int i = 0; i < statements.Count; i++)
            {
                IrStatement statement = statements[i];
                foreach (IrBlock child in IrWalker.ChildBlocks(statement)) MergeAdjacentGuards(child);
                if (kept > 0 && statements[kept - 1] is IrIf { Else.IsEmpty: true } first && statement is IrIf { Else.IsEmpty: true } second
                    && Key(first.Condition) == Key(second.Condition) && !WritesWhatItReads(first.Then, first.Condition))
                {
                    var then = new IrBlock();
                    then.AddRange(first.Then.Statements);
                    then.AddRange(second.Then.Statements);
                    statements[kept - 1] = first with { Then = then };
                    continue;
                }
                statements[kept++] = statement;
            }
            statements.RemoveRange(kept, statements.Count - kept);
        }

        /// <summary>
        /// Whether <paramref name="block"/> writes a variable <paramref name="condition"/> reads (a method of its own: a closure
        /// over the reads in the loop above was made for every statement of every block).
        /// </summary>
        private static bool WritesWhatItReads(IrBlock block, IrExpression condition)
        {
            var reads = new HashSet<IrVariable>(condition.ReadVariables());
            return IrWalker.AllStatements(block).Any(s => IrWalker.WriteOf(s) is { } written && reads.Contains(written));
        }

        /// <summary>
        /// <c>t = d[i]; d[i] = 0; …; d[i] += t</c> is how the reverse of an element updated in place (<c>a[i] = a[i] + e</c>,
        /// <c>a[i] += e</c>) passes the element's adjoint through: read it, reset it, add it back. With nothing in between
        /// touching <c>d</c> or what <c>i</c> reads, the reset and the accumulation cancel and both go; when the value
        /// added back is not provably the element's own (through copies of <c>t</c>), the pair becomes one store
        /// <c>d[i] = v</c>. Saves a store and a read-modify-write per element (GMM's triangular loop: 28 per component
        /// and sample).
        /// </summary>
        public static void CancelElementResets(IrBlock block)
        {
            foreach (IrStatement statement in block.Statements)
            {
                foreach (IrBlock child in IrWalker.ChildBlocks(statement)) CancelElementResets(child);
            }
            List<IrStatement> statements = block.Statements;
            for (int i = 0; i < statements.Count; i++)
            {
                // Adjoint buffers only: the generator allocates them, no other variable aliases their storage.
                if (statements[i] is not IrElementWrite { Value: IrConstant { Value: var zero }, Array.Role: IrVariableRole.Adjoint } reset || !IsZero(zero)) continue;
                string indices = ElementKey(reset.Indices);
                var indexReads = new HashSet<IrVariable>(reset.Indices.SelectMany(e => e.ReadVariables()));
                for (int j = i + 1; j < statements.Count; j++)
                {
                    IrStatement next = statements[j];
                    if (next is IrElementAccumulate added && added.Array == reset.Array && ElementKey(added.Indices) == indices
                        && !added.Value.ReadVariables().Contains(reset.Array))
                    {
                        if (HoldsTheElement(statements, i, j, reset, indices, indexReads))
                        {
                            statements.RemoveAt(j);
                        }
                        else
                        {
                            statements[j] = new IrElementWrite(added.Array, added.Indices, added.Value) { Origin = added.Origin };
                        }
                        statements.RemoveAt(i);
                        i--;
                        break;
                    }
                    if (Blocks(next, reset.Array, indexReads)) break;
                }
            }
        }

        /// <summary>The text that identifies an element by its indices: equal for the same element of an array.</summary>
        private static string ElementKey(ImmutableArray<IrExpression> indices) => string.Join(",", indices.Select(Key));

        private static bool IsZero(object? value) => value is double d ? d == 0 : value is float f ? f == 0 : value is int n && n == 0;

        /// <summary>Whether the statement may read the array, or change it or what its indices read.</summary>
        private static bool Blocks(IrStatement statement, IrVariable array, HashSet<IrVariable> indexReads) =>
            IrWalker.ReadsOf(statement).Contains(array) || Changes(statement, array, indexReads);

        /// <summary>Whether the statement may change the array or what its indices read (or does what is not followed here).</summary>
        private static bool Changes(IrStatement statement, IrVariable array, HashSet<IrVariable> indexReads) =>
            statement is IrIf or IrLoop or IrRepeat or IrBackwardCall or IrEffect or IrThrow or IrSpanStore or IrSimdStore or IrTangentCall or IrTapePopSpan
            || IrWalker.WriteOf(statement) is { } written && (written == array || indexReads.Contains(written));

        /// <summary>
        /// Whether the value added back at <paramref name="added"/> is a copy (through copies) of the element as read
        /// before the reset at <paramref name="resetAt"/>, with the element and its indices unchanged since the read.
        /// </summary>
        private static bool HoldsTheElement(List<IrStatement> statements, int resetAt, int added, IrElementWrite reset, string indices, HashSet<IrVariable> indexReads)
        {
            if (((IrElementAccumulate)statements[added]).Value is not IrVariableReference { Variable: var holder }) return false;
            // Back from the accumulation through the copies (the statements between the reset and it change nothing
            // the caller follows), then before the reset to the read, with nothing changing the element on the way.
            for (int k = added - 1; k >= 0; k--)
            {
                IrStatement statement = statements[k];
                if (k == resetAt) continue;
                if (IrWalker.WriteOf(statement) == holder)
                {
                    switch (statement)
                    {
                        case IrAssign { Value: IrVariableReference { Variable: var source } }:
                            holder = source;
                            continue;
                        case IrAssign { Value: IrElementRead { Array: IrVariableReference { Variable: var array } } read }
                            when k < resetAt && array == reset.Array && ElementKey(read.Indices) == indices:
                            return true;
                        default:
                            return false;
                    }
                }
                if (statement is IrIf or IrLoop or IrRepeat || (k < resetAt && Changes(statement, reset.Array, indexReads))) return false;
            }
            return false;
        }

        /// <summary>
        /// In a loop body that runs its forward and reverse together (a fused loop), the reverse part reads again
        /// expressions the forward part has just stored in temporaries (the reverse recomputes them when it runs
        /// alone): those reads become the temporaries, provided nothing in between changed what they read.
        /// </summary>
        public static void ReuseForwardTemporaries(IrBlock forwardPart, IrBlock reversePart)
        {
            // Key → the temporary holding that expression's value; and, so that a write finds the entries it
            // invalidates without scanning them all (a scan per write was quadratic in the loop body), the keys by
            // the ids of the variables their expression reads and by their temporary. Those lists may name keys already
            // removed or reassigned: each is checked again against the entry when used.
            var available = new Dictionary<string, IrVariable>();
            var keysReading = new Dictionary<int, List<string>>();
            var keysHeldBy = new Dictionary<IrVariable, List<string>>();
            // One builder and one id list for every key (a builder and a set of id strings per key before).
            var text = new StringBuilder();
            var ids = new List<int>();
            foreach (IrStatement statement in forwardPart.Statements)
            {
                // A write, here or nested, invalidates what was computed from the written variable (and its own entry).
                foreach (IrStatement nested in IrWalker.Deep(statement))
                {
                    if (IrWalker.WriteOf(nested) is not { } written) continue;
                    if (keysReading.TryGetValue(written.Id, out List<string>? reading))
                    {
                        foreach (string key in reading) available.Remove(key);
                        reading.Clear();
                    }
                    if (keysHeldBy.TryGetValue(written, out List<string>? held))
                    {
                        foreach (string key in held)
                        {
                            if (available.TryGetValue(key, out IrVariable? holder) && holder == written) available.Remove(key);
                        }
                        held.Clear();
                    }
                }
                if (statement is IrAssign { Target.Role: IrVariableRole.Temporary } assign && IsReusable(assign.Value)
                    && !assign.Value.ReadVariables().Contains(assign.Target))
                {
                    string key = Key(assign.Value, text);
                    available[key] = assign.Target;
                    IdsIn(key, ids);
                    foreach (int id in ids) Add(keysReading, id, key);
                    Add(keysHeldBy, assign.Target, key);
                }
            }
            if (available.Count == 0) return;
            var writtenInReverse = new HashSet<IrVariable>(IrWalker.AllStatements(reversePart).Select(IrWalker.WriteOf).OfType<IrVariable>());
            var idsWrittenInReverse = new HashSet<int>(writtenInReverse.Select(v => v.Id));
            // Only expressions whose inputs the reverse part never writes stay valid throughout it.
            // (The key's few ids are looked up, not every id the reverse part writes, which made this quadratic.)
            var usable = new Dictionary<string, IrVariable>();
            foreach (var pair in available)
            {
                if (writtenInReverse.Contains(pair.Value)) continue;
                IdsIn(pair.Key, ids);
                if (!ids.Any(idsWrittenInReverse.Contains)) usable.Add(pair.Key, pair.Value);
            }
            if (usable.Count == 0) return;
            Rewrite(reversePart, usable, text);
        }

        /// <summary>The expressions whose values the forward part's temporaries are reused for; only their keys can be found.</summary>
        private static bool IsReusable(IrExpression value) => value is IrElementRead or IrBinary or IrUnary or IrConvert;

        private static void Add<TKey>(Dictionary<TKey, List<string>> index, TKey variable, string key)
        {
            if (!index.TryGetValue(variable, out List<string>? keys)) index[variable] = keys = new List<string>();
            keys.Add(key);
        }

        /// <summary>
        /// Sets <paramref name="ids"/> to the ids <c>n</c> for which <paramref name="key"/> contains <c>"v" + n + ";"</c>: the
        /// variables the keyed expression reads (<see cref="Key(IrExpression)"/> writes each variable as <c>v</c>, its id in
        /// ASCII digits, <c>;</c>), found in one pass over the key; each id once.
        /// </summary>
        private static void IdsIn(string key, List<int> ids)
        {
            ids.Clear();
            for (int i = 0; i < key.Length; i++)
            {
                if (key[i] != 'v') continue;
                int end = i + 1;
                long id = 0;
                // An id is written without leading zeros, in at most nine digits here (more variables than any method has):
                // other digit runs (in a constant's text) name no variable.
                while (end < key.Length && key[end] >= '0' && key[end] <= '9' && end - i <= 9) id = id * 10 + (key[end++] - '0');
                bool leadingZero = end > i + 2 && key[i + 1] == '0';
                if (end > i + 1 && !leadingZero && end < key.Length && key[end] == ';' && !ids.Contains((int)id)) ids.Add((int)id);
            }
        }

        private static void Rewrite(IrBlock block, Dictionary<string, IrVariable> usable, StringBuilder text)
        {
            // Only an expression of a kind the forward part keyed can be found (the key's first letter tells the kind);
            // variables and constants are left as they are, as ReplaceChildren leaves them.
            IrExpression Map(IrExpression e) => e is IrVariableReference or IrConstant
                ? e
                : IsReusable(e) && usable.TryGetValue(Key(e, text), out IrVariable? t) && t.Type.CSharpName == e.Type.CSharpName
                    ? new IrVariableReference(t)
                    : IrRewriter.ReplaceChildren(e, Map);
            for (int i = 0; i < block.Statements.Count; i++)
            {
                IrStatement statement = block.Statements[i];
                foreach (IrBlock child in IrWalker.ChildBlocks(statement)) Rewrite(child, usable, text);
                block.Statements[i] = statement switch
                {
                    IrAssign s => s with { Value = Map(s.Value) },
                    IrAccumulate s => s with { Value = Map(s.Value) },
                    IrElementAccumulate s => s with { Indices = s.Indices.Select(Map).ToImmutableArray(), Value = Map(s.Value) },
                    IrElementWrite s => s with { Indices = s.Indices.Select(Map).ToImmutableArray(), Value = Map(s.Value) },
                    _ => statement,
                };
            }
        }

        /// <summary>A canonical text for an expression: equal texts, equal values (given equal variables).</summary>
        internal static string Key(IrExpression e) => Key(e, new StringBuilder());

        /// <summary><see cref="Key(IrExpression)"/>, written into <paramref name="text"/> (cleared first).</summary>
        private static string Key(IrExpression e, StringBuilder text)
        {
            text.Clear();
            Append(e, text);
            return text.ToString();
        }

        private static void Append(IrExpression e, StringBuilder text)
        {
            switch (e)
            {
                case IrVariableReference r: text.Append('v').Append(r.Variable.Id.ToString(CultureInfo.InvariantCulture)).Append(';'); return;
                case IrConstant c: text.Append('c').Append(c.Type.CSharpName).Append(':').Append(System.Convert.ToString(c.Value, CultureInfo.InvariantCulture)).Append(';'); return;
                case IrBinary b: text.Append("b").Append((int)b.Operator).Append(b.Type.CSharpName); break;
                case IrUnary u: text.Append("u").Append((int)u.Operator).Append(u.Type.CSharpName); break;
                case IrConvert cv: text.Append("t").Append(cv.TargetType.CSharpName); break;
                case IrElementRead: text.Append("e"); break;
                case IrMathCall m: text.Append("m").Append((int)m.Function).Append(m.Type.CSharpName); break;
                case IrOpaque o: text.Append("o").Append(o.Template); break;
                case IrConditional: text.Append("?"); break;
                default: text.Append('#').Append(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(e)); break;
            }
            text.Append('(');
            foreach (IrExpression child in e.Children) Append(child, text);
            text.Append(')');
        }
    }
}
