using System.Linq;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>The fixed slice of random programs exercises arrays of structs (RandomProgramGenerator.StructArrays.cs), so the property tests check them.</summary>
public class StructArrayCoverageTests
{
    [Fact]
    public void The_default_random_programs_contain_arrays_of_structs_locals_and_parameters_written_and_read()
    {
        var programs = Enumerable.Range(1_000, 200).Select(RandomProgramGenerator.Generate).ToList();
        var sources = programs.Select(p => p.Source).ToList();
        int parameters = programs.Count(p => p.HasStructArrayParameter);
        int parameterUses = sources.Count(s => s.Contains("pq[", System.StringComparison.Ordinal) || s.Contains(" in pq", System.StringComparison.Ordinal));
        int arrays = sources.Count(s => s.Contains("Pt[] pa", System.StringComparison.Ordinal) || s.Contains(" = new Pt[", System.StringComparison.Ordinal));
        int writes = sources.Count(s => s.Split('\n').Any(line => line.TrimStart().StartsWith("pa", System.StringComparison.Ordinal) && line.Contains("] ", System.StringComparison.Ordinal)));
        int reads = sources.Count(s => s.Contains("].Norm2", System.StringComparison.Ordinal) || s.Contains("].X", System.StringComparison.Ordinal));
        int loops = sources.Count(s => s.Contains(" in pa", System.StringComparison.Ordinal));
        Assert.True(arrays >= 10 && writes >= 5 && reads >= 6 && loops >= 2 && parameters >= 10 && parameterUses >= 5,
            $"arrays of structs in {arrays} programs, element writes in {writes}, element reads in {reads}, foreach in {loops}, Pt[] parameters in {parameters} (used in {parameterUses})");
    }
}
