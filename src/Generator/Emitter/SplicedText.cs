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
            var result = new Parts();
            WriteTo(result, new char[4096]);
            return result.Join();
        }

        /// <summary>
        /// Where <see cref="ToString"/> writes: strings of about <see cref="PartLength"/> characters, joined into the result at
        /// the end, so that the only large object made is the result itself. A builder of the whole text (a large object
        /// like the string made from it) made the collector run a full collection at the end of a long method's emission,
        /// marking everything the engine still held.
        /// </summary>
        private sealed class Parts
        {
            /// <summary>32 KB strings: well below the large object heap's 85 000 bytes, even with the last append's overshoot.</summary>
            private const int PartLength = 16 * 1024;

            private readonly StringBuilder _part = new(PartLength + 8 * 1024);
            private readonly List<string> _done = new();

            public void Append(char[] buffer, int start, int count)
            {
                _part.Append(buffer, start, count);
                if (_part.Length >= PartLength) Flush();
            }

            public void Append(string text) => _part.Append(text);

            public void Append(char c) => _part.Append(c);

            private void Flush()
            {
                _done.Add(_part.ToString());
                _part.Clear();
            }

            /// <summary>The whole text: one string, each part copied into it once.</summary>
            public string Join()
            {
                if (_done.Count == 0) return _part.ToString();
                Flush();
                return string.Concat(_done.ToArray());
            }
        }

        private void WriteTo(Parts result, char[] buffer)
        {
            foreach (Piece piece in _pieces) piece.WriteTo(result, buffer);
            Copy(Current, result, buffer);
        }

        /// <summary>Appends <paramref name="text"/> without making a string of it (netstandard2.0 has no Append(StringBuilder)).</summary>
        private static void Copy(StringBuilder text, Parts result, char[] buffer)
        {
            for (int offset = 0; offset < text.Length; offset += buffer.Length)
            {
                int count = System.Math.Min(buffer.Length, text.Length - offset);
                text.CopyTo(offset, buffer, 0, count);
                result.Append(buffer, 0, count);
            }
        }

        /// <summary>Appends <paramref name="text"/> indented, as <see cref="AppendIndented"/> describes.</summary>
        private static void CopyIndented(StringBuilder text, Parts result, char[] buffer)
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

            public void WriteTo(Parts result, char[] buffer)
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
