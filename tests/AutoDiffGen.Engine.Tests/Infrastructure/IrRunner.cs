using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Analysis;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Infrastructure;

/// <summary>The outcome of running a reverse program once.</summary>
/// <param name="Value">The result after the forward sweep.</param>
/// <param name="Gradients">Per parameter: its adjoint after the reverse sweep (0 when it has none), or null when it is not differentiable.</param>
/// <param name="ResultAfterReverse">The result variable after the reverse sweep: the generated code returns it, so it must be unchanged.</param>
/// <param name="ForwardTrace">The control decisions of the forward sweep.</param>
/// <param name="TapePushes">Values pushed, per tape type.</param>
internal sealed record GradientRun(object? Value, object?[] Gradients, object? ResultAfterReverse, IReadOnlyList<TraceEvent> ForwardTrace,
    IReadOnlyDictionary<string, int> TapePushes, IrInterpreter Interpreter)
{
    public double Gradient(int parameter) => IrValues.ToDouble(Gradients[parameter]);
}

/// <summary>Runs IR functions and their reverse programs in the interpreter.</summary>
internal static class IrRunner
{
    public static ReverseProgram Differentiate(IrFunction function) =>
        ReverseModeTransform.Transform(function, ActivityAnalysis.Analyze(function));

    /// <summary>The function's value: its body interpreted over the arguments.</summary>
    public static object? Run(IrFunction function, IReadOnlyList<object?> arguments, CallRegistry? calls = null) =>
        RunTraced(function, arguments, calls).Value;

    public static (object? Value, List<TraceEvent> Trace) RunTraced(IrFunction function, IReadOnlyList<object?> arguments, CallRegistry? calls = null)
    {
        var interpreter = new IrInterpreter(calls);
        Bind(interpreter, function, arguments);
        interpreter.Execute(function.Body);
        return (interpreter.Get(function.Result), interpreter.Trace);
    }

    public static double RunDouble(IrFunction function, params object?[] arguments) => IrValues.ToDouble(Run(function, arguments));

    /// <summary>
    /// Runs the reverse program as the generated <c>…Backward</c> does: prologue, forward sweep, result adjoint =
    /// seed, reverse sweep, epilogue, cleanup; then reads each differentiable parameter's adjoint (absent = 0).
    /// Every tape must be empty at the end.
    /// </summary>
    public static GradientRun Gradient(ReverseProgram program, IReadOnlyList<object?> arguments, object? seed = null, CallRegistry? calls = null)
    {
        IrFunction function = program.Function;
        var interpreter = new IrInterpreter(calls);
        Bind(interpreter, function, arguments);
        foreach (IrVariable parameter in function.Parameters.Where(p => p.IsDifferentiableParameter && p.Type.Kind == IrTypeKind.Array))
        {
            // The caller's gradient buffer: zeroed, of the parameter's shape.
            if (program.Adjoints.TryGetValue(parameter, out IrVariable? adjoint) && interpreter.Get(parameter) is Array array)
            {
                IrVariable buffer = FindGradientBuffer(program, parameter) ?? adjoint;
                interpreter.Environment[buffer] = IrValues.ZeroedLike(array);
                if (buffer != adjoint && !interpreter.Environment.ContainsKey(adjoint)) interpreter.Environment[adjoint] = IrValues.ZeroedLike(array);
            }
        }

        interpreter.Execute(program.Prologue);
        // A fused loop propagates adjoints during the forward sweep: the seed is set first then, as the emitter does.
        if (program.SeedBeforeForward) interpreter.Set(program.ResultAdjoint, IrValues.Explicit(seed ?? 1.0, program.ResultAdjoint.Type));
        interpreter.Execute(program.Forward);
        object? value = interpreter.Get(function.Result);
        var forwardTrace = interpreter.Trace.ToList();
        if (!program.SeedBeforeForward) interpreter.Set(program.ResultAdjoint, IrValues.Explicit(seed ?? 1.0, program.ResultAdjoint.Type));
        interpreter.Execute(program.Reverse);
        interpreter.Execute(program.Epilogue);
        interpreter.Execute(program.Cleanup);
        if (interpreter.TapeCount != 0)
        {
            throw new IrExecutionException("The reverse sweep left values on the tape: "
                + string.Join(", ", interpreter.Tapes.Where(t => t.Value.Count > 0).Select(t => t.Value.Count + " " + t.Key)) + ".");
        }

        var gradients = new object?[function.Parameters.Length];
        for (int i = 0; i < function.Parameters.Length; i++)
        {
            IrVariable parameter = function.Parameters[i];
            if (!parameter.IsDifferentiableParameter) continue;
            if (parameter.Type.Kind == IrTypeKind.Array)
            {
                IrVariable? buffer = FindGradientBuffer(program, parameter);
                gradients[i] = buffer is not null ? interpreter.Get(buffer)
                    : program.Adjoints.TryGetValue(parameter, out IrVariable? a) ? interpreter.Get(a)
                    : interpreter.Get(parameter) is Array shape ? IrValues.ZeroedLike(shape) : null;
            }
            else
            {
                gradients[i] = program.Adjoints.TryGetValue(parameter, out IrVariable? adjoint) ? interpreter.Get(adjoint) : IrValues.Default(parameter.Type);
            }
        }
        return new GradientRun(value, gradients, interpreter.Get(function.Result), forwardTrace, new Dictionary<string, int>(interpreter.Pushes), interpreter);
    }

    private static IrVariable? FindGradientBuffer(ReverseProgram program, IrVariable parameter) =>
        program.ExtraVariables.FirstOrDefault(v => v.GradientParameterOf == parameter);

    private static void Bind(IrInterpreter interpreter, IrFunction function, IReadOnlyList<object?> arguments)
    {
        if (arguments.Count != function.Parameters.Length)
        {
            throw new ArgumentException(function.Name + " takes " + function.Parameters.Length + " arguments, got " + arguments.Count + ".");
        }
        for (int i = 0; i < arguments.Count; i++)
        {
            interpreter.Set(function.Parameters[i], IrValues.Clone(arguments[i]));
        }
    }
}
