using System;
using System.Collections.Generic;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// Which locals of a companion can be declared where they are first assigned (<c>double a = 1.0 - _t2;</c>) instead of
    /// at the top of the method: those whose every use lies in one nested C# block (a branch, a loop body, a repeat body)
    /// and whose first use there, in the text, is an unconditional assignment that does not read them. Such a local
    /// holds nothing from one execution of its block to the next (or to the code after it), so declaring it there
    /// changes no value; the JIT then sees a short live range and keeps it in a register, and the reader sees where it is
    /// born. Everything else (values read across iterations, after a loop, by the reverse sweep, or by code the emitter
    /// writes outside the IR) stays at method scope, zero-initialised, as before.
    /// </summary>
    /// <remarks>
    /// The C# blocks follow the emitter: an if's arms are blocks; a loop <c>while (true) { head; if (!c) break; body }</c>
    /// is one block for its head, condition and body, except a loop whose head only computes its condition, written
    /// <c>while (test) { body }</c>, whose test belongs to the enclosing block; a repeat's body is a block. One walk over
    /// the statements in the order the emitter writes them; each use moves the variable's block up to the nearest common
    /// ancestor (a climb bounded by the nesting depth).
    /// </remarks>
    internal static class DeclarationScopes
    {
        /// <param name="roots">The companion's top-level blocks, in the order they are written (all in the method's own scope).</param>
        /// <param name="eligible">Whether a variable may move at all (the emitter's exclusions: names written outside the IR).</param>
        /// <param name="folded">Whether a loop is written <c>while (test)</c> (its head not emitted inside the loop).</param>
        public static HashSet<IrVariable> DeclaredAtDefinition(IEnumerable<IrBlock> roots, Func<IrVariable, bool> eligible, Func<IrLoop, bool> folded)
        {
            var walk = new Walk(folded);
            var method = new Scope(null);
            foreach (IrBlock root in roots) walk.Block(root, method);
            var result = new HashSet<IrVariable>();
            var reads = new List<IrVariable>();
            foreach (var entry in walk.Uses)
            {
                IrVariable variable = entry.Key;
                Use use = entry.Value;
                if (use.Scope != method && use.Scope == use.FirstScope && use.First is IrAssign { } assign && assign.Target == variable
                    && IsScalar(variable.Type) && eligible(variable) && !ReadsVariable(assign.Value, variable, reads))
                {
                    result.Add(variable);
                }
            }
            return result;
        }

        private static bool IsScalar(IrType type) =>
            type.Kind is IrTypeKind.Double or IrTypeKind.Float or IrTypeKind.GenericReal or IrTypeKind.Integer or IrTypeKind.Bool;

        private static bool ReadsVariable(IrExpression expression, IrVariable variable, List<IrVariable> reads)
        {
            reads.Clear();
            expression.AddReadVariables(reads);
            return reads.Contains(variable);
        }

        /// <summary>A C# block of the companion.</summary>
        private sealed class Scope
        {
            public Scope(Scope? parent)
            {
                Parent = parent;
                Depth = parent is null ? 0 : parent.Depth + 1;
            }

            public Scope? Parent { get; }

            public int Depth { get; }

            public static Scope CommonAncestor(Scope a, Scope b)
            {
                while (a.Depth > b.Depth) a = a.Parent!;
                while (b.Depth > a.Depth) b = b.Parent!;
                while (a != b)
                {
                    a = a.Parent!;
                    b = b.Parent!;
                }
                return a;
            }
        }

        /// <summary>Where a variable is used: the block holding every use, and the first use (statement and its block).</summary>
        private sealed class Use
        {
            public Use(Scope scope, IrStatement first)
            {
                Scope = scope;
                FirstScope = scope;
                First = first;
            }

            public Scope Scope { get; set; }

            public Scope FirstScope { get; }

            public IrStatement First { get; }
        }

        private sealed class Walk
        {
            private readonly Func<IrLoop, bool> _folded;
            private readonly List<IrVariable> _touched = new();

            public Walk(Func<IrLoop, bool> folded) => _folded = folded;

            /// <summary>Every variable used, in order of first use (deterministic).</summary>
            public Dictionary<IrVariable, Use> Uses { get; } = new();

            public void Block(IrBlock block, Scope scope)
            {
                foreach (IrStatement statement in block.Statements) Statement(statement, scope);
            }

            private void Statement(IrStatement statement, Scope scope)
            {
                Touch(statement, scope);
                switch (statement)
                {
                    case IrIf branch:
                        Block(branch.Then, new Scope(scope));
                        Block(branch.Else, new Scope(scope));
                        break;
                    case IrLoop loop when _folded(loop):
                        // while (test) { body }: the test is written (and evaluated) outside the loop's block.
                        foreach (IrStatement head in loop.Head.Statements) Touch(head, scope);
                        Block(loop.Body, new Scope(scope));
                        break;
                    case IrLoop loop:
                    {
                        var inside = new Scope(scope);
                        Block(loop.Head, inside);
                        Record(ReadsOfCondition(loop), inside, statement);
                        Block(loop.Body, inside);
                        break;
                    }
                    case IrRepeat repeat:
                        Block(repeat.Body, new Scope(scope));
                        break;
                }
            }

            private List<IrVariable> ReadsOfCondition(IrLoop loop)
            {
                _touched.Clear();
                loop.Condition.AddReadVariables(_touched);
                return _touched;
            }

            /// <summary>The variables <paramref name="statement"/> itself uses (not its nested blocks, nor a loop's condition, which is in the loop's block).</summary>
            private void Touch(IrStatement statement, Scope scope)
            {
                _touched.Clear();
                switch (statement)
                {
                    case IrLoop loop:
                        if (loop.TripCounter is { } trips) _touched.Add(trips);
                        break;
                    case IrTangentCall call:
                        call.Call.AddReadVariables(_touched);
                        foreach (IrExpression? tangent in call.Tangents) tangent?.AddReadVariables(_touched);
                        if (call.Target is not null) _touched.Add(call.Target);
                        _touched.Add(call.ResultTangent);
                        break;
                    default:
                        IrWalker.AddReadsOf(statement, _touched);
                        if (IrWalker.WriteOf(statement) is { } written) _touched.Add(written);
                        if (statement is IrBackwardCall backward)
                        {
                            foreach (IrVariable? adjoint in backward.Adjoints) if (adjoint is not null) _touched.Add(adjoint);
                        }
                        // A repeat counting a variable down (Down) leaves its own counter unused.
                        if (statement is IrRepeat { Down: null } repeat) _touched.Add(repeat.Counter);
                        break;
                }
                Record(_touched, scope, statement);
            }

            private void Record(List<IrVariable> variables, Scope scope, IrStatement statement)
            {
                foreach (IrVariable variable in variables)
                {
                    if (Uses.TryGetValue(variable, out Use? use))
                    {
                        if (use.Scope != scope) use.Scope = Scope.CommonAncestor(use.Scope, scope);
                    }
                    else
                    {
                        Uses[variable] = new Use(scope, statement);
                    }
                }
            }
        }
    }
}
