using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// Multi-output random programs: the vector-valued twin V of each random program M (<see cref="VectorTwin"/>), compiled
/// with the generator, and checked at random points: V's outputs are M's value and the two derived from it; MJacobian
/// equals the Jacobian the chain rule gives from M's generated gradient (itself checked against finite differences by
/// <see cref="GradientPropertyTests"/>) and central differences of V; MJacobian = stacked MTangent columns = stacked
/// MBackward rows; and the dot-product test ⟨MTangent(v), w⟩ = ⟨v, MBackward(w)⟩. Fixed seeds, so failures reproduce.
/// </summary>
public class VectorValuedPropertyTests
{
    private const int BaseSeed = 50_000;
    private const int Programs = 100; // the default; ADG_PROPERTY_PROGRAMS sets another
    private const int ProgramsPerBatch = 50;
    private const int PointsPerProgram = 2;
    private const double ExactTolerance = 1e-9;
    private const double FiniteDifferenceTolerance = 1e-5;

    private readonly ITestOutputHelper _output;

    public VectorValuedPropertyTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// How many programs: <see cref="Programs"/>, or ADG_PROPERTY_PROGRAMS. Their seeds start at <see cref="BaseSeed"/>, or in the
    /// long mode (ADG_PROPERTY_LONG=1) at a fresh base seed printed for a rerun with ADG_PROPERTY_BASE_SEED.
    /// </summary>
    private static int ProgramCount => GradientPropertyTests.Number("ADG_PROPERTY_PROGRAMS") is int count and > 0 ? count : Programs;

    private static readonly Lazy<int> RunBaseSeed = new(() =>
    {
        if (GradientPropertyTests.Number("ADG_PROPERTY_BASE_SEED") is { } chosen) return chosen;
        if (!GradientPropertyTests.LongMode) return BaseSeed;
        int fresh = Random.Shared.Next(1_000_000, int.MaxValue - 1_000_000);
        Console.WriteLine($"ADG vector-valued property tests, long mode: base seed {fresh} (rerun with ADG_PROPERTY_BASE_SEED={fresh})");
        return fresh;
    });

    public static IEnumerable<object[]> Batches() => Enumerable.Range(0, (ProgramCount + ProgramsPerBatch - 1) / ProgramsPerBatch).Select(b => new object[] { b });

    [Theory]
    [MemberData(nameof(Batches))]
    public void Jacobian_tangents_and_pullbacks_of_vector_valued_programs_agree(int batch)
    {
        int count = Math.Min(ProgramsPerBatch, ProgramCount - batch * ProgramsPerBatch);
        var programs = Enumerable.Range(RunBaseSeed.Value + batch * ProgramsPerBatch, count).Select(RandomProgramGenerator.Generate)
            .Select(p => (Program: p, Twin: VectorTwin.For(p))).Where(p => p.Twin is not null).ToList();
        if (batch == 0) _output.WriteLine($"base seed {RunBaseSeed.Value}, {ProgramCount} programs");
        Assert.True(programs.Count >= count * 3 / 4, "too few programs have a twin: " + programs.Count);
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(programs.SelectMany(p => new[]
        {
            GeneratorHarness.Parse(p.Program.Source, p.Program.ClassName + ".cs"),
            GeneratorHarness.Parse(p.Program.HarnessSource, p.Program.ClassName + ".Harness.cs"),
            GeneratorHarness.Parse(p.Twin!.Value.Source, p.Program.ClassName + ".Twin.cs"),
            GeneratorHarness.Parse(p.Twin!.Value.Harness, p.Program.ClassName + ".TwinHarness.cs"),
        }));
        GeneratorRun run = GeneratorHarness.Run(compilation);
        Assert.Null(run.Result.Exception);
        var analyzerErrors = GeneratorHarness.RunAnalyzer(compilation).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (analyzerErrors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("the analyzer rejects a twin:\n" + GeneratorHarness.Format(analyzerErrors.Take(5)) + "\n" + SourceOf(programs, analyzerErrors[0]));
        }

        int checkedPoints = 0, fdPoints = 0;
        var failures = new List<string>();
        using LoadedAssembly loaded = run.Load();
        foreach (var (program, twin) in programs)
        {
            Type type = loaded.GetType("Prop." + program.ClassName);
            var probe = new HarnessProbe(type);
            var random = new Random(program.Seed * 31 + 5);
            for (int point = 0; point < PointsPerProgram; point++)
            {
                double Draw() => Math.Round(random.NextDouble() * 4 - 2, 6);
                double[] array = program.HasArrayParameter ? Enumerable.Range(0, 3 + random.Next(3)).Select(_ => Draw()).ToArray() : Array.Empty<double>();
                var p = new HarnessPoint(array, Enumerable.Range(0, program.ScalarCoordinates).Select(_ => Draw()).ToArray(), program.HasCountParameter ? random.Next(0, 5) : 0);
                try
                {
                    bool fd = CheckPoint(type, probe, p, random);
                    checkedPoints++;
                    if (fd) fdPoints++;
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException)
                {
                    failures.Add($"seed {program.Seed} at {p}: {e.Message}\n{twin!.Value.Source}");
                    break;
                }
            }
        }
        _output.WriteLine($"batch {batch}: {programs.Count} programs ({programs.Count(p => !p.Program.HasTangent)} with reverse sweeps only: over a hand-written …Backward), {checkedPoints} points, {fdPoints} also against finite differences, {failures.Count} failed");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(3)));
        Assert.True(fdPoints >= checkedPoints / 2, $"only {fdPoints} of {checkedPoints} points had stable finite differences");
    }

    /// <summary>Checks one point; returns whether finite differences were stable enough to compare with too.</summary>
    private static bool CheckPoint(Type type, HarnessProbe probe, HarnessPoint p, Random random)
    {
        int n = p.Dimension, m = VectorTwin.Outputs;
        var (f, g) = probe.Gradient(p);
        double u = p.Scalars[0] * p.Scalars[0];
        double[] outputs = Call(type, "TwinValue", p.Array, p.Scalars, p.N);
        Same(f, outputs[0], "V's first output is M's value");
        Close(u + f, outputs[1], "V's second output");
        Close(Math.Sin(f) * u, outputs[2], "V's out scalar");
        Close(f * (u + f), outputs[3], "V's struct output, field A");
        Close(Math.Sin(f) * u + f, outputs[4], "V's struct output, field B");

        // The chain rule from M's gradient: rows f, u + f, sin(f) u, f (u + f), sin(f) u + f.
        var exact = new double[m, n];
        for (int j = 0; j < n; j++)
        {
            double du = j == p.Array.Length ? 2 * p.Scalars[0] : 0;
            exact[0, j] = g[j];
            exact[1, j] = g[j] + du;
            exact[2, j] = Math.Cos(f) * u * g[j] + Math.Sin(f) * du;
            exact[3, j] = g[j] * (u + 2 * f) + f * du;
            exact[4, j] = exact[2, j] + g[j];
        }
        var J = new double[m, n];
        double[] fromJacobian = Call(type, "TwinJacobian", p.Array, p.Scalars, p.N, J);
        for (int i = 0; i < m; i++) Same(outputs[i], fromJacobian[i], "MJacobian output " + i);
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) Close(exact[i, j], J[i, j], $"J[{i}, {j}] against the chain rule");

        // Over a hand-written …Backward only (OverHand), V has no MTangent: its MJacobian ran reverse sweeps alone, checked above.
        bool hasTangent = type.GetMethod("TwinTangent") is not null;
        if (!hasTangent && type.GetMethod("VTangent") is not null) throw new Xunit.Sdk.XunitException("V has an MTangent though it calls OverHand, whose HandSoft has only a hand-written …Backward");
        for (int j = 0; j < n && hasTangent; j++)
        {
            var t = new double[m];
            double[] o = Call(type, "TwinTangent", p.Array, p.Scalars, p.N, Unit(n, j), t);
            for (int i = 0; i < m; i++) Same(outputs[i], o[i], "MTangent output " + i);
            for (int i = 0; i < m; i++) Close(J[i, j], t[i], $"MTangent along input {j}, output {i}");
        }
        for (int i = 0; i < m; i++)
        {
            var row = new double[n];
            double[] o = Call(type, "TwinBackward", p.Array, p.Scalars, p.N, Unit(m, i), row);
            for (int k = 0; k < m; k++) Same(outputs[k], o[k], "MBackward output " + k);
            for (int j = 0; j < n; j++) Close(J[i, j], row[j], $"MBackward with seed {i}, input {j}");
        }
        double[] v = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] w = Enumerable.Range(0, m).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var jv = new double[m];
        var jtw = new double[n];
        if (hasTangent) Call(type, "TwinTangent", p.Array, p.Scalars, p.N, v, jv);
        else for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) jv[i] += J[i, j] * v[j]; // J·v from the reverse sweeps' MJacobian
        Call(type, "TwinBackward", p.Array, p.Scalars, p.N, w, jtw);
        double left = jv.Zip(w, (a, b) => a * b).Sum(), right = v.Zip(jtw, (a, b) => a * b).Sum();
        double scale = 1 + jv.Zip(w, (a, b) => Math.Abs(a * b)).Sum() + v.Zip(jtw, (a, b) => Math.Abs(a * b)).Sum();
        if (!(Math.Abs(left - right) <= 1e-11 * scale)) throw new Xunit.Sdk.XunitException($"dot-product test: ⟨J·v, w⟩ = {left:R}, ⟨v, Jᵀ·w⟩ = {right:R}");

        // Central differences of V at two steps; compared only where they agree (no branch switch or kink in between).
        bool stable = true;
        var fdJ = new double[m, n];
        for (int j = 0; j < n && stable; j++)
        {
            double[] a = FiniteDifference(type, p, j, 1e-6), b = FiniteDifference(type, p, j, 1e-5);
            for (int i = 0; i < m; i++)
            {
                stable &= double.IsFinite(a[i]) && Math.Abs(a[i] - b[i]) <= 1e-5 * Math.Max(1, Math.Abs(a[i]));
                fdJ[i, j] = a[i];
            }
        }
        if (!stable) return false;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (!(Math.Abs(fdJ[i, j] - J[i, j]) <= FiniteDifferenceTolerance * Math.Max(1, Math.Abs(fdJ[i, j]))))
                    throw new Xunit.Sdk.XunitException($"J[{i}, {j}] = {J[i, j]:R}, finite differences {fdJ[i, j]:R}");
            }
        }
        return true;
    }

    private static double[] FiniteDifference(Type type, HarnessPoint p, int k, double step)
    {
        double h = step * Math.Max(1, Math.Abs(p[k]));
        HarnessPoint up = p.With(k, p[k] + h), down = p.With(k, p[k] - h);
        double[] fu = Call(type, "TwinValue", up.Array, up.Scalars, up.N), fd = Call(type, "TwinValue", down.Array, down.Scalars, down.N);
        return fu.Zip(fd, (a, b) => (a - b) / (2 * h)).ToArray();
    }

    private static double[] Call(Type type, string name, params object[] args)
    {
        try
        {
            return (double[])type.GetMethod(name)!.Invoke(null, args)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidOperationException(name + " threw " + e.InnerException.GetType().Name + ": " + e.InnerException.Message);
        }
    }

    private static double[] Unit(int n, int k) => Enumerable.Range(0, n).Select(i => i == k ? 1.0 : 0.0).ToArray();

    private static void Same(double expected, double actual, string what)
    {
        if (!expected.Equals(actual)) throw new Xunit.Sdk.XunitException($"{what}: expected {expected:R}, got {actual:R}");
    }

    private static void Close(double expected, double actual, string what)
    {
        if (!(Math.Abs(expected - actual) <= ExactTolerance * Math.Max(1, Math.Abs(expected))))
            throw new Xunit.Sdk.XunitException($"{what}: expected {expected:R}, got {actual:R}");
    }

    /// <summary>The twin source of the program whose file <paramref name="diagnostic"/> is in (HessianPropertyTests reads it too).</summary>
    internal static string SourceOf(List<(RandomProgram Program, (string Source, string Harness)? Twin)> programs, Diagnostic diagnostic) =>
        programs.FirstOrDefault(p => diagnostic.Location.SourceTree?.FilePath?.StartsWith(p.Program.ClassName + ".", StringComparison.Ordinal) == true).Twin?.Source ?? "";
}
