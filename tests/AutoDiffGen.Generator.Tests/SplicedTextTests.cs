using System.Linq;
using AutoDiffGen.Generator.Emitter;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// The emitter's text with pieces spliced by reference (<see cref="SplicedText"/>): what it writes must be what copying
/// each piece into the next wrote (the snapshots check real companions; these the edge cases of indentation and order).
/// </summary>
public class SplicedTextTests
{
    private static SplicedText Of(string text)
    {
        var spliced = new SplicedText();
        spliced.Current.Append(text);
        return spliced;
    }

    [Fact]
    public void Pieces_come_out_in_the_order_written_and_a_spliced_text_is_not_copied_until_then()
    {
        var file = Of("header\n");
        var body = Of("{\n");
        file.Append(body);
        file.Current.Append("footer\n");
        body.Current.Append("}\n"); // written after the splice, before the file is made a string: included

        Assert.Equal("header\n{\n}\nfooter\n", file.ToString());
        Assert.Equal("header\n{\n}\nfooter\n".Length, file.Length);
    }

    [Theory]
    [InlineData("a;\nb;\n", "    a;\n    b;\n")]
    [InlineData("a;\n\nb;\n\n\n", "    a;\n\n    b;\n")] // empty lines stay empty; trailing newlines become one
    [InlineData("a;", "    a;\n")] // a last line without a newline gets one
    [InlineData("", "\n")] // an empty text gives one newline
    [InlineData("\n\n", "\n")]
    public void An_indented_splice_indents_each_non_empty_line_once(string sweeps, string expected)
    {
        var body = Of("try {\n");
        body.AppendIndented(Of(sweeps));
        body.Current.Append("}\n");

        Assert.Equal("try {\n" + expected + "}\n", body.ToString());
    }

    [Fact]
    public void Indentation_is_right_across_the_copy_buffer_and_for_a_text_with_pieces_of_its_own()
    {
        // Lines longer than the 4 096-character copy buffer, and line starts right at its boundary.
        string line = new string('x', 4095);
        string sweeps = string.Concat(Enumerable.Repeat(line + "\n", 5)) + new string('y', 9000) + "\n";
        var nested = Of("first\n");
        nested.Append(Of(sweeps));

        var body = new SplicedText();
        body.AppendIndented(nested);

        string expected = string.Concat(("first\n" + sweeps).TrimEnd('\n').Split('\n').Select(l => "    " + l + "\n"));
        Assert.Equal(expected, body.ToString());
    }

    [Fact]
    public void A_long_text_is_held_in_builders_of_bounded_length_and_comes_out_whole()
    {
        // StringBuilder.CopyTo walks a builder's chunks back from the last one on every call: copying one builder of
        // megabytes out a buffer at a time was quadratic. A builder grown past 32 K characters is set aside for the next.
        var sweeps = new SplicedText();
        var builders = new System.Collections.Generic.HashSet<System.Text.StringBuilder>();
        var expected = new System.Text.StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            string line = (i % 7 == 0 ? "" : "x" + i + " = y;") + "\n";
            System.Text.StringBuilder current = sweeps.Current;
            Assert.True(current.Length < 32 * 1024 + 64, "a builder grew past its bound");
            builders.Add(current);
            current.Append(line);
            expected.Append(line.Length > 1 ? "    " + line : line);
        }
        Assert.True(builders.Count > 5);

        var body = Of("{\n");
        body.AppendIndented(sweeps);
        body.Current.Append("}\n");
        Assert.Equal("{\n" + expected.ToString().TrimEnd('\n') + "\n}\n", body.ToString());
    }

    [Fact]
    public void An_indented_splice_inside_an_indented_splice_is_indented_twice()
    {
        var inner = Of("a;\n\nb;\n\n");
        var middle = Of("if (c)\n{\n");
        middle.AppendIndented(inner);
        middle.Current.Append("}\n\n");
        var outer = Of("try\n{\n");
        outer.AppendIndented(middle);
        outer.Current.Append("}\n");

        Assert.Equal("try\n{\n    if (c)\n    {\n        a;\n\n        b;\n    }\n}\n", outer.ToString());
    }
}
