using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Generator.Tests.Infrastructure;

/// <summary>
/// Calls a [Differentiable] method and its generated companions by reflection, following api.md: the companions
/// take the method's parameters, then one gradient (out) or adjoint (ref) per differentiable parameter, in order.
/// Differentiable parameters are the double and float ones not marked [NoDerivative].
/// </summary>
public sealed class GradientProbe
{
    private readonly MethodInfo _method;
    private readonly object? _target;
    private readonly int[] _active;

    public GradientProbe(Type type, string methodName, object? target = null)
    {
        BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | (target is null ? BindingFlags.Static : BindingFlags.Instance);
        var methods = type.GetMethods(flags).Where(m => m.Name == methodName && m.GetCustomAttributes().Any(a => a.GetType().Name == "DifferentiableAttribute")).ToList();
        if (methods.Count != 1) throw new ArgumentException($"Expected one [Differentiable] {methodName} on {type}, found {methods.Count}.");
        _method = methods[0];
        _target = target;
        Type = type;
        _active = _method.GetParameters()
            .Select((p, i) => (p, i))
            .Where(t => (t.p.ParameterType == typeof(double) || t.p.ParameterType == typeof(float)) &&
                        !t.p.GetCustomAttributes().Any(a => a.GetType().Name == "NoDerivativeAttribute"))
            .Select(t => t.i)
            .ToArray();
    }

    public Type Type { get; }

    public string Name => _method.Name;

    public int ParameterCount => _method.GetParameters().Length;

    /// <summary>Indices of the differentiable parameters.</summary>
    public IReadOnlyList<int> ActiveParameters => _active;

    public double Value(params object[] args) => ToDouble(Call(_method, args));

    /// <summary>Calls MGradient: returns its value and the gradient, one entry per differentiable parameter.</summary>
    public (double Value, double[] Gradient) Gradient(params object[] args)
    {
        object?[] all = args.Cast<object?>().Concat(_active.Select(_ => (object?)null)).ToArray();
        Invocation result = LoadedAssembly.Invoke(Type, _target, _method.Name + "Gradient", all);
        return (ToDouble(result.ReturnValue), _active.Select((_, k) => result.Arg(args.Length + k)).ToArray());
    }

    /// <summary>Calls MBackward with <paramref name="seed"/> and the adjoints preset to <paramref name="adjoints"/>.</summary>
    public (double Value, double[] Adjoints) Backward(object[] args, double seed, double[] adjoints)
    {
        bool isFloat = _method.ReturnType == typeof(float);
        object seedArg = isFloat ? (float)seed : seed;
        object?[] all = args.Cast<object?>()
            .Append(seedArg)
            .Concat(_active.Select((p, k) => _method.GetParameters()[p].ParameterType == typeof(float) ? (object)(float)adjoints[k] : adjoints[k]))
            .ToArray();
        Invocation result = LoadedAssembly.Invoke(Type, _target, _method.Name + "Backward", all);
        return (ToDouble(result.ReturnValue), _active.Select((_, k) => result.Arg(args.Length + 1 + k)).ToArray());
    }

    /// <summary>Central differences of the original method in each differentiable parameter.</summary>
    public double[] FiniteDifferences(object[] args, double step = GradientCheck.DefaultStep)
    {
        var gradient = new double[_active.Length];
        for (int k = 0; k < _active.Length; k++)
        {
            int p = _active[k];
            bool isFloat = _method.GetParameters()[p].ParameterType == typeof(float);
            double x0 = ToDouble(args[p]);
            gradient[k] = GradientCheck.CentralDifference(x =>
            {
                object[] shifted = (object[])args.Clone();
                shifted[p] = isFloat ? (float)x : x;
                return Value(shifted);
            }, x0, step);
        }
        return gradient;
    }

    /// <summary>
    /// Asserts MGradient returns the method's value exactly and a gradient within <paramref name="tolerance"/>
    /// (relative, scale max(1,|g|)) of central differences.
    /// </summary>
    public void AssertMatchesFiniteDifferences(object[] args, double tolerance = 1e-6)
    {
        double value = Value(args);
        var (gradientValue, gradient) = Gradient(args);
        Assert.Equal(value, gradientValue);
        double[] fd = FiniteDifferences(args);
        double error = GradientCheck.MaxRelativeError(gradient, fd);
        if (!(error <= tolerance))
        {
            throw new Xunit.Sdk.XunitException(
                $"{Type.Name}.{Name}({string.Join(", ", args.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture)))}): " +
                $"gradient [{string.Join(", ", gradient.Select(g => g.ToString("R", CultureInfo.InvariantCulture)))}] " +
                $"vs finite differences [{string.Join(", ", fd.Select(g => g.ToString("R", CultureInfo.InvariantCulture)))}], error {error:E3}");
        }
    }

    private object? Call(MethodInfo method, object[] args)
    {
        try
        {
            return method.Invoke(_target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private static double ToDouble(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
