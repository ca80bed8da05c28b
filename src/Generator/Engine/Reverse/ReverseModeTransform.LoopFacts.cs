using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Facts about one loop that recomputation and fusion ask once per variable, restore or assignment of the loop:
    /// each question used to walk the whole loop, which made a loop of n statements cost n² (issue 11). They are now
    /// read from an index built once per loop, shared by the rounds of a transform (<see cref="FunctionChoices"/>).
    /// </summary>
    internal sealed partial class ReverseModeTransform
    {
        /// <summary>What one walk of a loop finds (see <see cref="FactsOf"/>).</summary>
        private sealed class LoopFacts
        {
            /// <summary>Variable → how many assignments to it the loop holds (nested ones included), and whether one declares it.</summary>
            public Dictionary<IrVariable, (int Count, bool Declared)> Assignments { get; } = new();

            /// <summary>Variables the loop's head reads or writes.</summary>
            public HashSet<IrVariable> TouchedByHead { get; } = new();

            /// <summary>Variable → index of the first top-level statement of the body that reads or writes it (nested ones included).</summary>
            public Dictionary<IrVariable, int> FirstTouchInBody { get; } = new();

            /// <summary>Top-level statement of the body (by reference) → its index.</summary>
            public Dictionary<object, int> BodyIndex { get; } = new(ReferenceComparer<object>.Instance);
        }

        private readonly Dictionary<object, LoopFacts> _loopFacts = new(ReferenceComparer<object>.Instance); // set in the constructor for a later round
        private readonly Dictionary<(IrLoop, IrVariable), IReadOnlyList<IrStatement>?> _iterationScratch = new(LoopVariableComparer.Instance);

        private LoopFacts FactsOf(IrLoop loop)
        {
            if (_loopFacts.TryGetValue(loop, out LoopFacts? facts)) return facts;
            facts = new LoopFacts();
            foreach (IrAssign assign in IrWalker.Deep(loop).OfType<IrAssign>())
            {
                facts.Assignments.TryGetValue(assign.Target, out var seen);
                facts.Assignments[assign.Target] = (seen.Count + 1, seen.Declared || assign.IsDeclaration);
            }
            foreach (IrStatement statement in IrWalker.AllStatements(loop.Head))
            {
                facts.TouchedByHead.UnionWith(IrWalker.ReadsOf(statement));
                if (IrWalker.WriteOf(statement) is { } written) facts.TouchedByHead.Add(written);
            }
            List<IrStatement> body = loop.Body.Statements;
            for (int i = 0; i < body.Count; i++)
            {
                facts.BodyIndex[body[i]] = i;
                foreach (IrStatement statement in IrWalker.Deep(body[i]))
                {
                    foreach (IrVariable read in IrWalker.ReadsOf(statement))
                    {
                        if (!facts.FirstTouchInBody.ContainsKey(read)) facts.FirstTouchInBody[read] = i;
                    }
                    if (IrWalker.WriteOf(statement) is { } written && !facts.FirstTouchInBody.ContainsKey(written)) facts.FirstTouchInBody[written] = i;
                }
            }
            _loopFacts[loop] = facts;
            return facts;
        }

        /// <summary>
        /// Whether a variable lives within one iteration of the loop: every assignment is inside it, and it is an
        /// expression temporary or a local declared inside (C# scoping: neither carries a value between iterations).
        /// </summary>
        private bool BelongsToOneIteration(IrVariable variable, IrLoop loop)
        {
            if (!FactsOf(loop).Assignments.TryGetValue(variable, out var inside)) inside = (0, false);
            if (!_assignmentCounts.TryGetValue(variable, out int all) || inside.Count != all) return false;
            return variable.Role == IrVariableRole.Temporary || inside.Declared;
        }

        /// <summary>Whether <paramref name="assign"/> is a top-level statement of the loop body and nothing before it there touches its target.</summary>
        private bool IsFirstAssignmentInIteration(IrAssign assign, IrLoop loop)
        {
            LoopFacts facts = FactsOf(loop);
            IrVariable target = assign.Target;
            if (facts.TouchedByHead.Contains(target) || !facts.BodyIndex.TryGetValue(assign, out int index)) return false;
            // The assignment itself touches its target, so the first touch is at or before it.
            return facts.FirstTouchInBody[target] == index && !assign.Value.ReadVariables().Contains(target);
        }

        private sealed class LoopVariableComparer : IEqualityComparer<(IrLoop Loop, IrVariable Variable)>
        {
            public static readonly LoopVariableComparer Instance = new();

            public bool Equals((IrLoop Loop, IrVariable Variable) x, (IrLoop Loop, IrVariable Variable) y) =>
                ReferenceEquals(x.Loop, y.Loop) && x.Variable == y.Variable;

            public int GetHashCode((IrLoop Loop, IrVariable Variable) obj) =>
                System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Loop) * 31 + obj.Variable.GetHashCode();
        }
    }
}
