using System.Linq;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// The default property run (seeds 1000–1199, GradientPropertyTests) really exercises the constructs of
/// RandomProgramGenerator.CSharpConstructs.cs: switch statements and expressions, property, positional and list patterns,
/// deconstruction and swaps.
/// </summary>
public class CSharpConstructsCoverageTests
{

    [Fact]
    public void The_default_random_programs_contain_switches_and_tuple_assignments()
    {
        var sources = Enumerable.Range(1_000, 200).Select(seed => RandomProgramGenerator.Generate(seed).Source).ToList();
        int switchStatements = sources.Count(s => s.Contains("switch (", System.StringComparison.Ordinal));
        int switchExpressions = sources.Count(s => s.Contains(" switch\n", System.StringComparison.Ordinal));
        int deconstructions = sources.Count(s => s.Contains("(double t", System.StringComparison.Ordinal));
        int tupleAssignments = sources.Count(s => s.Split('\n').Any(line => line.TrimStart().StartsWith('(') && line.Contains(") = (", System.StringComparison.Ordinal)));
        int tupleValues = sources.Count(s => s.Contains("(double First, double Second) pair", System.StringComparison.Ordinal));
        int structPatterns = sources.Count(s => s.Contains("{ X: > 0.5 } =>", System.StringComparison.Ordinal));
        int listPatterns = sources.Count(s => s.Contains(", .., var w", System.StringComparison.Ordinal));
        int tuplePatterns = sources.Count(s => s.Contains("(_, < -0.5) and not (> 1, _) =>", System.StringComparison.Ordinal));
        Assert.True(switchStatements >= 8 && switchExpressions >= 8 && deconstructions >= 10 && tupleAssignments >= 10 && tupleValues >= 5,
            $"switch statements in {switchStatements} programs, switch expressions in {switchExpressions}, deconstructions in {deconstructions}, tuple assignments in {tupleAssignments}, tuple values in {tupleValues}");
        // Pt is in a quarter of the programs and a list pattern needs an array in scope: a few programs each (the long mode runs three times as many).
        Assert.True(structPatterns >= 2 && listPatterns >= 2 && tuplePatterns >= 5,
            $"property patterns on Pt in {structPatterns} programs, list patterns in {listPatterns}, positional patterns on tuples in {tuplePatterns}");
    }

    [Fact]
    public void The_default_random_programs_contain_structs_params_and_local_functions()
    {
        var programs = Enumerable.Range(1_000, 200).Select(RandomProgramGenerator.Generate).ToList();
        int structParameters = programs.Count(p => p.HasStructParameter);
        int structLocals = programs.Count(p => p.Source.Contains(" = new Pt(", System.StringComparison.Ordinal) || p.Source.Contains("Pt r", System.StringComparison.Ordinal));
        int setters = programs.Count(p => p.Source.Split('\n').Any(line => line.TrimStart().StartsWith('r') && line.Contains(".X = ", System.StringComparison.Ordinal) || line.Contains("q.X = ", System.StringComparison.Ordinal)));
        int withs = programs.Count(p => p.Source.Contains(" with { ", System.StringComparison.Ordinal));
        int paramsCalls = programs.Count(p => p.Source.Contains("Sum0(", System.StringComparison.Ordinal) && p.Source.Split("Sum0(").Length > 2);
        int localFunctions = programs.Count(p => p.Source.Contains(RandomProgramGenerator.LocalFunctionsMarker, System.StringComparison.Ordinal));
        int calledLocalFunctions = programs.Count(p => p.Source.Contains("L0(", System.StringComparison.Ordinal) && p.Source.Split("L0(").Length > 2);
        int nullGuards = programs.Count(p => p.Source.Contains("nameof(a)", System.StringComparison.Ordinal));
                Assert.True(structParameters >= 15 && structLocals >= 10 && setters >= 5 && withs >= 5 && paramsCalls >= 5 && localFunctions >= 20 && calledLocalFunctions >= 10 && nullGuards >= 10,
            $"struct parameters in {structParameters} programs, struct locals in {structLocals}, setters in {setters}, with in {withs}, params calls in {paramsCalls}, local functions in {localFunctions} (called in {calledLocalFunctions}), null guards in {nullGuards}");
    }

    [Fact]
    public void The_default_random_programs_contain_views_ranges_and_stackalloc()
    {
        var sources = Enumerable.Range(1_000, 200).Select(seed => RandomProgramGenerator.Generate(seed).Source).ToList();
        int views = sources.Count(s => s.Contains("Span<double> v", System.StringComparison.Ordinal));
        int ranges = sources.Count(s => s.Contains("double[] c", System.StringComparison.Ordinal));
        int stackallocs = sources.Count(s => s.Contains("stackalloc", System.StringComparison.Ordinal));
        Assert.True(views >= 8 && ranges >= 3 && stackallocs >= 3, $"views in {views} programs, array ranges in {ranges}, stackalloc in {stackallocs}");
    }

    [Fact]
    public void The_default_random_programs_call_TensorPrimitives_also_in_place()
    {
        var sources = Enumerable.Range(1_000, 200).Select(seed => RandomProgramGenerator.Generate(seed).Source).ToList();
        int maps = sources.Count(s => s.Contains("TensorPrimitives.", System.StringComparison.Ordinal));
        int dots = sources.Count(s => s.Contains("TensorPrimitives.Dot<double>", System.StringComparison.Ordinal));
        // In place: a map whose destination (its last argument) is also one of its sources.
        int inPlace = sources.Count(s => s.Split('\n').Any(line =>
        {
            int open = line.IndexOf("TensorPrimitives.", System.StringComparison.Ordinal);
            if (open < 0 || line.Contains("Dot<", System.StringComparison.Ordinal)) return false;
            string[] args = line.Substring(line.IndexOf('(', open) + 1).TrimEnd(';', ')').Split(", ");
            return args.Take(args.Length - 1).Contains(args[^1]);
        }));
        // Maps whose adjoint reads their output (issue 13): SoftMax and Exp among them.
        int fromOutput = sources.Count(s => s.Contains("TensorPrimitives.SoftMax<double>", System.StringComparison.Ordinal)
            || s.Contains("TensorPrimitives.Exp<double>", System.StringComparison.Ordinal));
        Assert.True(maps >= 7 && dots >= 4 && inPlace >= 3 && fromOutput >= 2,
            $"TensorPrimitives in {maps} programs, Dot in {dots}, in place in {inPlace}, SoftMax or Exp in {fromOutput}");
    }
}
