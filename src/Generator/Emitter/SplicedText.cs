using System.Collections.Generic;
using System.Text;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// Text written in order into <see cref="Current"/>, with other texts spliced in between by reference: nothing is
    /// copied until <see cref="ToString"/> writes every piece once, into one builder.
    /// </summary>
    /// <remarks>
    /// A companion's body is written before its declarations (which follow from what the body uses), and its sweeps
    /// before the body's own locals: each is its own text, spliced where it belongs. Copying each into the next (sweeps
    /// into body, body into file, file into a string) copied a long method's megabytes of generated code three times and
    /// kept every copy alive to be promoted by the garbage collector, which made emission grow faster than the method.
    /// </remarks>
    internal sealed class SplicedText
    {
        /// <summary>What comes before <see cref="Current"/>, in order: builders written earlier, and spliced texts.</summary>
        private readonly List<Piece> _pieces = new();

        /// <summary>Where text is appended now; a splice starts a new one after the spliced text.</summary>
        public StringBuilder Current { get; private set; } = new();

        /// <summary>The length of the text, without the indentation of pieces spliced indented (added when written).</summary>
        public int Length
        {
            get
            {
                int length = Current.Length;
                foreach (Piece piece in _pieces) length += piece.Length;
                return length;
            }
        }

        /// <summary>Splices <paramref name="text"/> here, as it is.</summary>
        public void Append(SplicedText text) => Add(new Piece(text, indented: false));

        /// <summary>
        /// Splices <paramref name="text"/> here one indentation level deeper: four spaces before each non-empty line,
        /// trailing newlines dropped, every line ended by one newline (an empty text gives one newline).
        /// </summary>
        public void AppendIndented(SplicedText text) => Add(new Piece(text, indented: true));

        private void Add(Piece piece)
        {
            if (Current.Length > 0) _pieces.Add(new Piece(Current));
            _pieces.Add(piece);
            Current = new StringBuilder();
        }

        public override string ToString()
        {
            // Room for the indentation of indented pieces too, so that a long text is one array rather than many chunks.
            var result = new StringBuilder(Length + Length / 8 + 16);
            WriteTo(result, new char[4096]);
            return result.ToString();
        }

        private void WriteTo(StringBuilder result, char[] buffer)
        {
            foreach (Piece piece in _pieces) piece.WriteTo(result, buffer);
            Copy(Current, result, buffer);
        }

        /// <summary>Appends <paramref name="text"/> without making a string of it (netstandard2.0 has no Append(StringBuilder)).</summary>
        private static void Copy(StringBuilder text, StringBuilder result, char[] buffer)
        {
            for (int offset = 0; offset < text.Length; offset += buffer.Length)
            {
                int count = System.Math.Min(buffer.Length, text.Length - offset);
                text.CopyTo(offset, buffer, 0, count);
                result.Append(buffer, 0, count);
            }
        }

        /// <summary>Appends <paramref name="text"/> indented, as <see cref="AppendIndented"/> describes.</summary>
        private static void CopyIndented(StringBuilder text, StringBuilder result, char[] buffer)
        {
            int end = text.Length;
            while (end > 0 && text[end - 1] == '\n') end--;
            bool lineStart = true;
            for (int offset = 0; offset < end; offset += buffer.Length)
            {
                int count = System.Math.Min(buffer.Length, end - offset);
                text.CopyTo(offset, buffer, 0, count);
                // Line by line (the search for the newline is vectorized): the indentation goes before a non-empty line.
                int from = 0;
                while (from < count)
                {
                    if (lineStart && buffer[from] != '\n') result.Append("    ");
                    int newline = System.Array.IndexOf(buffer, '\n', from, count - from);
                    int next = newline < 0 ? count : newline + 1;
                    result.Append(buffer, from, next - from);
                    lineStart = newline >= 0;
                    from = next;
                }
            }
            result.Append('\n');
        }

        /// <summary>A builder written earlier, or a spliced text (indented or not).</summary>
        private readonly struct Piece
        {
            private readonly StringBuilder? _builder;
            private readonly SplicedText? _text;
            private readonly bool _indented;

            public Piece(StringBuilder builder)
            {
                _builder = builder;
                _text = null;
                _indented = false;
            }

            public Piece(SplicedText text, bool indented)
            {
                _builder = null;
                _text = text;
                _indented = indented;
            }

            public int Length => _builder?.Length ?? _text!.Length;

            public void WriteTo(StringBuilder result, char[] buffer)
            {
                if (_builder is not null)
                {
                    Copy(_builder, result, buffer);
                }
                else if (!_indented)
                {
                    _text!.WriteTo(result, buffer);
                }
                else if (_text!._pieces.Count == 0)
                {
                    CopyIndented(_text.Current, result, buffer);
                }
                else
                {
                    // A spliced text indented as a whole (not written so far): made one builder first.
                    CopyIndented(new StringBuilder(_text.ToString()), result, buffer);
                }
            }
        }
    }
}
