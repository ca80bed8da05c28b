using System.Collections.Generic;
using System.Collections.Immutable;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>
    /// A statement of the structured IR. Control flow is only <see cref="IrIf"/> and loops: lowering has already
    /// turned break, continue and return into a control variable and guards, so every construct has one entry and
    /// one exit and reverses structurally.
    /// </summary>
    internal abstract record IrStatement
    {
        /// <summary>The C# source this statement came from, quoted in the generated code's comments (may be null).</summary>
        public string? Origin { get; init; }
    }

    /// <summary><c>Target = Value;</c></summary>
    internal sealed record IrAssign(IrVariable Target, IrExpression Value) : IrStatement
    {
        /// <summary>
        /// The initializer of a local's declaration: nothing before it can read the variable, so outside loops the
        /// reverse sweep never needs the value it overwrites.
        /// </summary>
        public bool IsDeclaration { get; init; }
    }

    /// <summary><c>Array[Indices] = Value;</c></summary>
    internal sealed record IrElementWrite(IrVariable Array, ImmutableArray<IrExpression> Indices, IrExpression Value) : IrStatement;

    /// <summary><c>Array[Indices] += Value;</c> — how the reverse sweep accumulates into array adjoints.</summary>
    internal sealed record IrElementAccumulate(IrVariable Array, ImmutableArray<IrExpression> Indices, IrExpression Value) : IrStatement;

    /// <summary>An expression evaluated for its effect (a runtime helper call).</summary>
    internal sealed record IrEffect(IrExpression Expression) : IrStatement;

    /// <summary>
    /// <c>throw Exception;</c> — a guard of the method (<c>throw new ArgumentException(…)</c>). A path that throws has no
    /// derivative: the statement stays in the forward sweep, at the point where the method throws, and has no reverse.
    /// <see cref="Exception"/> is a passive operand (an <see cref="IrOpaque"/> creating the exception, or a variable).
    /// </summary>
    internal sealed record IrThrow(IrExpression Exception) : IrStatement;

    /// <summary><c>Target += Value;</c> — how the reverse sweep accumulates adjoints.</summary>
    internal sealed record IrAccumulate(IrVariable Target, IrExpression Value) : IrStatement;

    /// <summary><c>if (Condition) { Then } else { Else }</c></summary>
    internal sealed record IrIf(IrExpression Condition, IrBlock Then, IrBlock Else) : IrStatement;

    /// <summary>
    /// The one forward loop form: <c>while (true) { Head; if (!Condition) break; Body; }</c>. <c>for</c>, <c>while</c>
    /// and <c>do</c> lower to it; the head computes the condition (and is where <c>for</c>'s test runs).
    /// </summary>
    internal sealed record IrLoop(IrBlock Head, IrExpression Condition, IrBlock Body) : IrStatement
    {
        /// <summary>Counts iterations for the reverse sweep (set by the reverse transform, null in lowered code).</summary>
        public IrVariable? TripCounter { get; init; }
    }

    /// <summary><c>for (int Counter = Count; Counter &gt; 0; Counter--) { Body }</c> — a reversed loop.</summary>
    internal sealed record IrRepeat(IrVariable Counter, IrExpression Count, IrBlock Body) : IrStatement
    {
        /// <summary>
        /// When set, the loop is <c>for (Down.Variable = Down.Floor + Count - 1; Down.Variable &gt;= Down.Floor; Down.Variable--) { Body }</c>
        /// instead (<see cref="Counter"/> is then unused): the reverse of a counted loop walks its own counter back, one
        /// induction variable the JIT can see (Reverse/CountedDownLoops.cs). The body does not assign the variable, nor
        /// what the floor reads; after the loop the variable holds <c>Floor - 1</c>.
        /// </summary>
        public IrCountedDown? Down { get; init; }
    }

    /// <summary>The integer variable an <see cref="IrRepeat"/> counts down, and the last value it takes.</summary>
    internal sealed record IrCountedDown(IrVariable Variable, IrExpression Floor);

    /// <summary>Records a value on the tape of its type.</summary>
    internal sealed record IrTapePush(IrExpression Value) : IrStatement;

    /// <summary>
    /// <c>Tape.Expect(Count)</c>: the tape of <see cref="ElementType"/> is about to record <see cref="Count"/> (an int)
    /// values, so it rents that much at once instead of growing (a taped loop whose whole recording the engine counts:
    /// ReverseModeTransform.Checkpoint.cs). Changes no value: the interpreter and every pass may ignore it.
    /// </summary>
    internal sealed record IrTapeExpect(IrType ElementType, IrExpression Count) : IrStatement;

    /// <summary>
    /// <c>Callee.MBackward(args…, Seed, ref adjoints…)</c>: the reverse of a differentiable call. An adjoint is null
    /// where the argument is passive; the emitter then passes a scratch variable.
    /// </summary>
    internal sealed record IrBackwardCall(IrDifferentiableCall Call, IrExpression Seed, ImmutableArray<IrVariable?> Adjoints) : IrStatement
    {
        /// <summary>
        /// Where the callee's value goes (<c>Result = Callee.MBackward(…)</c>: a scalar <c>…Backward</c> returns it), when the
        /// pullback replaces the call itself (Reverse/PullbackValues.cs); null when the value is not wanted.
        /// </summary>
        public IrVariable? Result { get; init; }
    }

    /// <summary>A comment line in the generated code.</summary>
    internal sealed record IrComment(string Text) : IrStatement;

    /// <summary>An ordered list of statements.</summary>
    internal sealed class IrBlock
    {
        public IrBlock()
        {
            Statements = new List<IrStatement>();
        }

        public IrBlock(IEnumerable<IrStatement> statements)
        {
            Statements = new List<IrStatement>(statements);
        }

        public List<IrStatement> Statements { get; }

        public bool IsEmpty => Statements.Count == 0;

        public void Add(IrStatement statement) => Statements.Add(statement);

        public void AddRange(IEnumerable<IrStatement> statements) => Statements.AddRange(statements);
    }
}
