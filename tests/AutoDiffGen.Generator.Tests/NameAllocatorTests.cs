using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Emitter;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// The emitter's name allocator: fresh names step around the user's identifiers and every name already given. It resumes
/// the suffix search of a stem where it last stopped (a loop body with hundreds of versions of one local made the search
/// from 1 quadratic); these pin that the names are the ones the search from 1 gives.
/// </summary>
public class NameAllocatorTests
{
    [Fact]
    public void Fresh_names_of_one_stem_skip_reserved_and_claimed_names_as_a_search_from_one_would()
    {
        var names = new NameAllocator(new[] { "a", "a_2", "a_5" });
        var given = new List<string>();
        for (int i = 0; i < 4; i++) given.Add(names.Fresh("a"));
        names.ClaimUserName("a_7"); // claimed after the search passed a_6: still skipped
        for (int i = 0; i < 3; i++) given.Add(names.Fresh("a"));
        Assert.Equal(new[] { "a_1", "a_3", "a_4", "a_6", "a_8", "a_9", "a_10" }, given);
    }

    [Fact]
    public void Stems_keep_their_own_suffixes_and_a_suffixed_stem_is_a_stem_of_its_own()
    {
        var names = new NameAllocator(System.Array.Empty<string>());
        string[] given = { names.Fresh("x"), names.Fresh("y"), names.Fresh("x"), names.Fresh("x_1"), names.Fresh("x"), names.Fresh("y") };
        Assert.Equal(new[] { "x", "y", "x_1", "x_1_1", "x_2", "y_1" }, given);
        Assert.Equal(given.Length, given.Distinct().Count());
    }
}
