using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Analysis;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Tangent;

namespace AutoDiffGen.Engine.Tests.Infrastructure;

/// <summary>The outcome of running a tangent program once: the value and the tangent of the result.</summary>
internal sealed record TangentRun(object? Value, object? Tangent, IrInterpreter Interpreter)
{
    public double TangentValue => IrValues.ToDouble(Tangent);
}

/// <summary>Runs tangent programs (forward mode) in the interpreter, as the generated <c>…Tangent</c> does.</summary>
internal static class TangentRunner
{
    public static TangentProgram Differentiate(IrFunction function) =>
        TangentModeTransform.Transform(function, ActivityAnalysis.Analyze(function));

    /// <summary>
    /// Binds the arguments and, for each differentiable parameter in order, its tangent (a scalar, or an array of the
    /// parameter's shape); runs prologue, body and cleanup; reads the value and the result's tangent.
    /// </summary>
    public static TangentRun Tangent(TangentProgram program, IReadOnlyList<object?> arguments, IReadOnlyList<object?> tangents, CallRegistry? calls = null)
    {
        IrFunction function = program.Function;
        var interpreter = new IrInterpreter(calls);
        if (arguments.Count != function.Parameters.Length) throw new ArgumentException(function.Name + " takes " + function.Parameters.Length + " arguments.");
        for (int i = 0; i < arguments.Count; i++) interpreter.Set(function.Parameters[i], IrValues.Clone(arguments[i]));
        var differentiable = function.Parameters.Where(p => p.IsDifferentiableParameter).ToList();
        if (tangents.Count != differentiable.Count) throw new ArgumentException(function.Name + " has " + differentiable.Count + " differentiable parameters, got " + tangents.Count + " tangents.");
        for (int k = 0; k < differentiable.Count; k++)
        {
            IrVariable buffer = program.ExtraVariables.First(v => v.GradientParameterOf == differentiable[k]);
            interpreter.Environment[buffer] = tangents[k] is Array array ? IrValues.Clone(array) : IrValues.Implicit(tangents[k], buffer.Type, "a tangent argument");
        }
        interpreter.Execute(program.Prologue);
        interpreter.Execute(program.Body);
        interpreter.Execute(program.Cleanup);
        if (interpreter.TapeCount != 0) throw new IrExecutionException("Forward mode used the tape.");
        return new TangentRun(interpreter.Get(function.Result), interpreter.Evaluate(program.ResultTangent), interpreter);
    }

    /// <summary>The tangent along <paramref name="direction"/>, given flat over the scalar differentiable parameters.</summary>
    public static TangentRun Tangent(TangentProgram program, IReadOnlyList<object?> arguments, params double[] direction) =>
        Tangent(program, arguments, direction.Cast<object?>().ToList());
}
