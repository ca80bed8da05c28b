using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Analysis;
using AutoDiffGen.Generator.Engine.Reverse;
using AutoDiffGen.Generator.Engine.SecondOrder;

namespace AutoDiffGen.Engine.Tests.Infrastructure;

/// <summary>The forward value of a differentiable callee.</summary>
internal delegate object? ForwardCall(IReadOnlyList<object?> arguments);

/// <summary>
/// A callee's <c>…Backward</c>: returns <c>seed · ∂f/∂p</c> for each differentiable parameter <c>p</c>, in order;
/// the interpreter adds them into the adjoints the <see cref="IrBackwardCall"/> names (api.md: Backward adds).
/// </summary>
internal delegate object?[] BackwardCall(IReadOnlyList<object?> arguments, object? seed);

/// <summary>A callee's <c>…Tangent</c>: its value and the tangent of its result, given one tangent per differentiable parameter.</summary>
internal delegate (object? Value, object? Tangent) TangentCall(IReadOnlyList<object?> arguments, IReadOnlyList<object?> tangents);

/// <summary>
/// What the interpreter calls for <see cref="IrDifferentiableCall"/>, <see cref="IrBackwardCall"/> (keyed by
/// <see cref="CallTarget.MethodName"/>) and <see cref="IrOpaque"/> (keyed by template).
/// </summary>
internal sealed class CallRegistry
{
    private readonly Dictionary<string, (ForwardCall Forward, BackwardCall Backward)> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<object?[], object?>> _opaque = new(StringComparer.Ordinal);

    public CallRegistry()
    {
        // The templates the reverse transform itself writes.
        _opaque["global::System.Math.Truncate({0})"] = a => Math.Truncate((double)a[0]!);
        _opaque["global::System.MathF.Truncate({0})"] = a => MathF.Truncate((float)a[0]!);
        _opaque["{0}.Length"] = a => ((Array)a[0]!).Length;
    }

    /// <summary>How many times each callee's backward ran.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> BackwardCounts { get; } = new(StringComparer.Ordinal);

    public void Register(string methodName, ForwardCall forward, BackwardCall backward) => _calls[methodName] = (forward, backward);

    private readonly Dictionary<string, TangentCall> _tangents = new(StringComparer.Ordinal);

    public void RegisterTangent(string methodName, TangentCall tangent) => _tangents[methodName] = tangent;

    public (object? Value, object? Tangent) Tangent(string methodName, IReadOnlyList<object?> arguments, IReadOnlyList<object?> tangents) =>
        _tangents.TryGetValue(methodName, out TangentCall? tangent) ? tangent(arguments, tangents) : throw new IrExecutionException("No tangent registered for " + methodName + ".");

    public void RegisterOpaque(string template, Func<object?[], object?> evaluate) => _opaque[template] = evaluate;

    /// <summary>
    /// Registers an IR function under its name: forward interprets its body, backward runs its reverse program
    /// with the seed (joint mode, as the generated <c>…Backward</c> does). Calls of itself make recursion work.
    /// </summary>
    /// <param name="program">Its reverse program, if already made.</param>
    public ReverseProgram RegisterInterpreted(IrFunction function, ReverseProgram? program = null)
    {
        program ??= IrRunner.Differentiate(function);
        Register(function.Name,
            arguments => IrRunner.Run(function, arguments, this),
            (arguments, seed) =>
            {
                GradientRun run = IrRunner.Gradient(program, arguments, seed, this);
                return function.Parameters.Select((p, i) => (p, i)).Where(x => x.p.IsDifferentiableParameter).Select(x => run.Gradients[x.i]).ToArray();
            });
        // Its MTangent: the callee's own tangent program, made on first use.
        var tangentProgram = new Lazy<AutoDiffGen.Generator.Engine.Tangent.TangentProgram>(() => TangentRunner.Differentiate(function));
        RegisterTangent(function.Name, (arguments, tangents) =>
        {
            TangentRun run = TangentRunner.Tangent(tangentProgram.Value, arguments, tangents, this);
            return (run.Value, run.Tangent);
        });
        // Its MBackwardTangent: the reverse program over its closed tangent ġ(p, v), as the generated one runs it.
        var closedTangent = new Lazy<HessianVectorProgram>(() => HessianVectorTransform.Transform(function, ActivityAnalysis.Analyze(function), tangentProgram.Value));
        _backwardTangents[function.Name] = (arguments, seed) =>
        {
            IrFunction closed = closedTangent.Value.Closed.Function;
            GradientRun run = IrRunner.Gradient(closedTangent.Value.Reverse, arguments, seed, this);
            return closed.Parameters.Select((p, i) => (p, i)).Where(x => x.p.IsDifferentiableParameter).Select(x => run.Gradients[x.i]).ToArray();
        };
        return program;
    }

    private readonly Dictionary<string, BackwardCall> _backwardTangents = new(StringComparer.Ordinal);

    /// <summary>
    /// A callee's <c>…BackwardTangent</c>: <paramref name="arguments"/> are its own followed by one direction per
    /// differentiable parameter; returns <c>seed · H·v</c> per differentiable parameter, then <c>seed · ∇g</c> per direction.
    /// </summary>
    public object?[] BackwardTangent(string methodName, IReadOnlyList<object?> arguments, object? seed)
    {
        BackwardCounts.AddOrUpdate(methodName + "Tangent", 1, (_, n) => n + 1);
        return _backwardTangents.TryGetValue(methodName, out BackwardCall? backward)
            ? backward(arguments, seed)
            : throw new IrExecutionException("No backward tangent registered for " + methodName + ".");
    }

    public object? Forward(string methodName, IReadOnlyList<object?> arguments) => Lookup(methodName).Forward(arguments);

    public object?[] Backward(string methodName, IReadOnlyList<object?> arguments, object? seed)
    {
        BackwardCounts.AddOrUpdate(methodName, 1, (_, n) => n + 1);
        return Lookup(methodName).Backward(arguments, seed);
    }

    public object? Opaque(string template, object?[] arguments) =>
        _opaque.TryGetValue(template, out Func<object?[], object?>? evaluate)
            ? evaluate(arguments)
            : throw new NotSupportedException("No interpretation registered for the opaque expression '" + template + "'.");

    private (ForwardCall Forward, BackwardCall Backward) Lookup(string methodName) =>
        _calls.TryGetValue(methodName, out var entry) ? entry : throw new IrExecutionException("No callee registered for " + methodName + ".");
}
