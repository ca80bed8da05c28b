using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Store or recompute, for math calls: a derivative rule's partial often calls again a function the method itself
    /// has just called on the same argument — <c>sin'(θ) = cos θ</c>, <c>cos'(θ) = −sin θ</c> for a Rodrigues rotation
    /// that computes both <c>cos = Math.Cos(θ)</c> and <c>sin = Math.Sin(θ)</c>. The reverse then reads the local instead
    /// of calling the function again (two transcendental calls per observation of the bundle adjustment).
    /// </summary>
    /// <remarks>
    /// <para>Only where the local is sure to hold that value whenever the reverse reads it, without restoring anything:</para>
    /// <list type="bullet">
    /// <item>the block runs at most once (not in a loop), and the call's local <c>v = f(args)</c> is one of its statements
    /// (not nested: when the block runs, the statement runs) — every statement of the block, and all nested in them, runs
    /// if and only if it does, so their reverses run only once <c>v</c> holds its value;</item>
    /// <item><c>v</c> and every variable of <c>args</c> are assigned at most once in the whole method, none in a loop
    /// (a parameter: never): their values never change after they are set, and no reverse restores them (a single
    /// assignment outside a loop has no previous value to give back). C#'s definite assignment puts an argument's
    /// assignment before <c>v</c>'s, and before any statement whose partial reads the argument.</item>
    /// </list>
    /// <para>The reverse of <c>v</c>'s own statement is left alone (it may give <c>v</c> an adjoint reset first).</para>
    /// </remarks>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>Variables assigned in a loop anywhere in the method (found once).</summary>
        private HashSet<IrVariable>? _assignedInLoops;

        /// <summary>
        /// In the reverse pieces of <paramref name="block"/> (a block not in a loop), math calls that a statement of the
        /// block already keeps in a local become reads of it (the remarks above). Rewrites the pieces in place, keeping
        /// every statement that does not change (restores are known by reference).
        /// </summary>
        private void ReuseForwardCalls(IrBlock block, List<List<IrStatement>> reversed)
        {
            Dictionary<string, (IrVariable Holder, int At)>? held = null;
            for (int i = 0; i < block.Statements.Count; i++)
            {
                if (block.Statements[i] is IrAssign { Value: IrMathCall call, Target: var holder } && IsStable(holder) && OfStableScalars(call))
                {
                    held ??= new Dictionary<string, (IrVariable, int)>();
                    held[Peepholes.Key(call)] = (holder, i);
                }
            }
            if (held is null) return;
            for (int j = 0; j < reversed.Count; j++)
            {
                List<IrStatement> piece = reversed[j];
                int own = j;
                IrExpression Map(IrExpression e)
                {
                    if (e is IrMathCall m && held.TryGetValue(Peepholes.Key(m), out var found) && found.At != own && found.Holder.Type.CSharpName == m.Type.CSharpName)
                    {
                        return new IrVariableReference(found.Holder);
                    }
                    return CallsIn(e) ? IrRewriter.ReplaceChildren(e, Map) : e;
                }
                for (int k = 0; k < piece.Count; k++) piece[k] = Rewritten(piece[k], Map);
            }
        }

        /// <summary>Whether a variable never changes once set: a parameter never assigned, or a local or temporary assigned once, not in a loop.</summary>
        private bool IsStable(IrVariable variable)
        {
            if (_assignedInLoops is null)
            {
                _assignedInLoops = new HashSet<IrVariable>();
                foreach (IrStatement statement in IrWalker.AllStatements(_function.Body))
                {
                    if (statement is IrLoop or IrRepeat)
                    {
                        foreach (IrBlock child in IrWalker.ChildBlocks(statement))
                        {
                            _assignedInLoops.UnionWith(IrWalker.AllStatements(child).Select(IrWalker.WriteOf).OfType<IrVariable>());
                        }
                    }
                }
            }
            if (_assignedInLoops.Contains(variable)) return false;
            return _assignmentCounts.TryGetValue(variable, out int count)
                ? count == 1 && variable.Role is IrVariableRole.Local or IrVariableRole.Temporary
                : variable.Role == IrVariableRole.Parameter;
        }

        /// <summary>
        /// Whether an expression is arithmetic and math calls over stable variables and constants only: no element read
        /// (an array's elements may change while the array variable does not), no call of anything else. (Lowering's
        /// three-address form reads an element into a temporary of its own anyway; this keeps the rule sound without it.)
        /// </summary>
        private bool OfStableScalars(IrExpression expression) =>
            IrWalker.Subexpressions(expression).All(e => e is IrMathCall or IrBinary or IrUnary or IrConvert or IrConstant
                || e is IrVariableReference { Variable: var v } && v.Type.Kind != IrTypeKind.Array && IsStable(v));

        private static bool CallsIn(IrExpression expression) => IrWalker.Subexpressions(expression).Any(e => e is IrMathCall);

        /// <summary>The statement with <paramref name="map"/> applied to its values; the same object when nothing changes.</summary>
        private static IrStatement Rewritten(IrStatement statement, System.Func<IrExpression, IrExpression> map)
        {
            foreach (IrBlock child in IrWalker.ChildBlocks(statement))
            {
                for (int k = 0; k < child.Statements.Count; k++) child.Statements[k] = Rewritten(child.Statements[k], map);
            }
            bool Changes(IEnumerable<IrExpression> values) => values.Any(CallsIn);
            return statement switch
            {
                IrAssign s when Changes(new[] { s.Value }) => s with { Value = map(s.Value) },
                IrAccumulate s when Changes(new[] { s.Value }) => s with { Value = map(s.Value) },
                IrElementAccumulate s when Changes(s.Indices.Append(s.Value)) => s with { Indices = s.Indices.Select(map).ToImmutableArray(), Value = map(s.Value) },
                _ => statement,
            };
        }
    }
}
