using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Tests.Infrastructure;

/// <summary>
/// A compiled test assembly loaded into its own collectible <see cref="AssemblyLoadContext"/>; disposing unloads it.
/// Its references (framework, AutoDiffGen.Runtime and Attributes) resolve from the default context.
/// </summary>
public sealed class LoadedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private LoadedAssembly(AssemblyLoadContext context, Assembly assembly)
    {
        _context = context;
        Assembly = assembly;
    }

    public Assembly Assembly { get; }

    public static LoadedAssembly Emit(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new Xunit.Sdk.XunitException("Emit failed:\n" + GeneratorHarness.Format(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }
        stream.Position = 0;
        var context = new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true);
        return new LoadedAssembly(context, context.LoadFromStream(stream));
    }

    /// <summary>A type by metadata name: nested types with '+', generic types with a backtick arity.</summary>
    public Type GetType(string metadataName) =>
        Assembly.GetType(metadataName, throwOnError: false) ?? throw new ArgumentException($"No type {metadataName} in the loaded assembly.");

    public object CreateInstance(string metadataName, params object?[] args) => CreateInstance(GetType(metadataName), args);

    public static object CreateInstance(Type type, params object?[] args) =>
        Activator.CreateInstance(type, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, binder: null, args, culture: null)!;

    /// <summary>Calls a static method; <see cref="Invocation.Arguments"/> holds the values of out/ref arguments afterwards.</summary>
    public Invocation InvokeStatic(string typeMetadataName, string methodName, params object?[] args) =>
        Invoke(GetType(typeMetadataName), null, methodName, args);

    /// <summary>Calls an instance method on <paramref name="target"/>.</summary>
    public static Invocation InvokeInstance(object target, string methodName, params object?[] args) =>
        Invoke(target.GetType(), target, methodName, args);

    public static Invocation Invoke(Type type, object? target, string methodName, object?[] args)
    {
        MethodInfo method = FindMethod(type, methodName, args, isStatic: target is null);
        object?[] actual = (object?[])args.Clone();
        ParameterInfo[] parameters = method.GetParameters();
        for (int i = 0; i < parameters.Length; i++)
        {
            // An unset out argument gets a default of the parameter's element type, so callers may pass null.
            if (actual[i] is null && parameters[i].ParameterType.IsByRef)
            {
                Type element = parameters[i].ParameterType.GetElementType()!;
                if (element.IsValueType) actual[i] = Activator.CreateInstance(element);
            }
        }
        try
        {
            object? value = method.Invoke(target, actual);
            return new Invocation(value, actual);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    public static MethodInfo FindMethod(Type type, string methodName, object?[] args, bool isStatic)
    {
        BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | (isStatic ? BindingFlags.Static : BindingFlags.Instance);
        var candidates = type.GetMethods(flags)
            .Where(m => m.Name == methodName && m.GetParameters().Length == args.Length)
            .Where(m => m.GetParameters().Select((p, i) => Accepts(p.ParameterType, args[i])).All(ok => ok))
            .ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new MissingMethodException(
                $"No {(isStatic ? "static" : "instance")} method {type.FullName}.{methodName} taking {args.Length} arguments like ({string.Join(", ", args.Select(a => a?.GetType().Name ?? "null"))}). " +
                $"Methods named so: {string.Join("; ", type.GetMethods(flags | BindingFlags.Static | BindingFlags.Instance).Where(m => m.Name == methodName).Select(m => m.ToString()))}"),
            _ => throw new AmbiguousMatchException($"{candidates.Count} overloads of {type.FullName}.{methodName} match."),
        };
    }

    private static bool Accepts(Type parameterType, object? arg)
    {
        Type t = parameterType.IsByRef ? parameterType.GetElementType()! : parameterType;
        if (arg is null) return !t.IsValueType || parameterType.IsByRef || Nullable.GetUnderlyingType(t) is not null;
        return t.IsInstanceOfType(arg);
    }

    public void Dispose() => _context.Unload();
}

/// <summary>The result of a reflective call: the return value and the arguments after the call (out/ref updated).</summary>
public sealed record Invocation(object? ReturnValue, object?[] Arguments)
{
    public double Value => Convert.ToDouble(ReturnValue, System.Globalization.CultureInfo.InvariantCulture);

    public double Arg(int index) => Convert.ToDouble(Arguments[index], System.Globalization.CultureInfo.InvariantCulture);
}
