using System.Linq;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>The fixed slice of random programs exercises arrays of structs (RandomProgramGenerator.StructArrays.cs), so the property tests check them.</summary>
public class StructArrayCoverageTests
{
    [Fact]
    public void The_default_random_programs_contain_local_arrays_of_structs_written_and_read()
    {
        var sources = Enumerable.Range(1_000, 200).Select(RandomProgramGenerator.Generate).Select(p => p.Source).ToList();
        int arrays = sources.Count(s => s.Contains("Pt[] pa", System.StringComparison.Ordinal) || s.Contains(" = new Pt[", System.StringComparison.Ordinal));
        int writes = sources.Count(s => s.Split('\n').Any(line => line.TrimStart().StartsWith("pa", System.StringComparison.Ordinal) && line.Contains("] ", System.StringComparison.Ordinal)));
        int reads = sources.Count(s => s.Contains("].Norm2", System.StringComparison.Ordinal) || s.Contains("].X", System.StringComparison.Ordinal));
        int loops = sources.Count(s => s.Contains(" in pa", System.StringComparison.Ordinal));
        Assert.True(arrays >= 10 && writes >= 5 && reads >= 6 && loops >= 2,
            $"arrays of structs in {arrays} programs, element writes in {writes}, element reads in {reads}, foreach in {loops}");
    }
}
