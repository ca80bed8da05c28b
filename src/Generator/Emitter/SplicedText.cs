using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// Text written in order into <see cref="Current"/>, with other texts spliced in between by reference: nothing is
    /// copied until <see cref="ToString"/> writes every piece once, straight into the string it returns.
    /// </summary>
    /// <remarks>
    /// A companion's body is written before its declarations (which follow from what the body uses), and its sweeps
    /// before the body's own locals: each is its own text, spliced where it belongs. Copying each into the next (sweeps
    /// into body, body into file, file into a string) copied a long method's megabytes of generated code three times and
    /// kept every copy alive to be promoted by the garbage collector, which made emission grow faster than the method.
    /// </remarks>
    internal sealed class SplicedText
    {
        /// <summary>
        /// The characters a builder holds before <see cref="Current"/> sets it aside and starts another: a builder is a
        /// chain of chunks that <see cref="StringBuilder.CopyTo(int, char[], int, int)"/> walks back from its last one on
        /// every call, so copying out one builder of megabytes, a buffer at a time, took time quadratic in its length.
        /// 32 K characters; the builders after the first are made with room for that and a last line (one chunk, well
        /// below the large object heap's 85 000 bytes).
        /// </summary>
        private const int BuilderLength = 32 * 1024;

        /// <summary>The capacity of a builder started because the one before it is full: no chunk grows, no chunk is left half empty.</summary>
        private const int FullBuilderCapacity = BuilderLength + 1024;

        /// <summary>What comes before <see cref="Current"/>, in order: builders written earlier, and spliced texts.</summary>
        private readonly List<Piece> _pieces = new();

        private StringBuilder _current = new();

        /// <summary>
        /// Where text is appended now (ask again for each line: a splice, or a builder grown to <see cref="BuilderLength"/>,
        /// starts a new one after it).
        /// </summary>
        public StringBuilder Current
        {
            get
            {
                if (_current.Length >= BuilderLength)
                {
                    _pieces.Add(new Piece(_current));
                    _current = new StringBuilder(FullBuilderCapacity);
                }
                return _current;
            }
        }

        /// <summary>The length of the text, without the indentation of pieces spliced indented (added when written).</summary>
        public int Length
        {
            get
            {
                int length = _current.Length;
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
            if (_current.Length > 0) _pieces.Add(new Piece(_current));
            _pieces.Add(piece);
            _current = new StringBuilder();
        }

        /// <summary>
        /// The whole text, written once, straight into the string returned: its length is counted first (a walk over the
        /// same pieces, which copies only what is indented, to find its lines), then the string is made that long and filled.
        /// </summary>
        /// <remarks>
        /// The string is the only allocation of the text's length. Writing it first into a builder (a large object like
        /// the string: a large allocation can start a full collection, which marks everything the engine still holds) or
        /// into 32 KB strings joined at the end (the text made twice, the first copy living long enough to be promoted)
        /// made it twice. netstandard2.0 has no <c>string.Create</c>: the string is filled through
        /// <see cref="MemoryMarshal.AsMemory{T}"/>, which is sound here because the string is new (<c>new string(c, n)</c>
        /// with n &gt; 0 is never interned) and nothing else can see it before it is returned, complete.
        /// </remarks>
        public override string ToString()
        {
            var buffer = new char[4096];
            var counted = new Output(Memory<char>.Empty, counting: true);
            WriteTo(counted, buffer);
            if (counted.Position == 0) return "";
            string result = new string('\0', counted.Position);
            var written = new Output(MemoryMarshal.AsMemory(result.AsMemory()), counting: false);
            WriteTo(written, buffer);
            if (written.Position != result.Length)
            {
                throw new InvalidOperationException("The emitted text's length changed between counting it and writing it.");
            }
            return result;
        }

        private void WriteTo(ISink sink, char[] buffer)
        {
            foreach (Piece piece in _pieces) piece.WriteTo(sink, buffer);
            Copy(_current, sink, buffer);
        }

        /// <summary>Appends <paramref name="text"/> without making a string of it (netstandard2.0 has no CopyTo(Span)).</summary>
        private static void Copy(StringBuilder text, ISink sink, char[] buffer)
        {
            if (sink is Output { Counting: true } counting)
            {
                counting.Count(text.Length);
                return;
            }
            for (int offset = 0; offset < text.Length; offset += buffer.Length)
            {
                int count = Math.Min(buffer.Length, text.Length - offset);
                text.CopyTo(offset, buffer, 0, count);
                sink.Append(buffer, 0, count);
            }
        }

        /// <summary>Where a piece's characters go: the result, or an <see cref="Indenter"/> in front of it.</summary>
        private interface ISink
        {
            void Append(char[] buffer, int start, int count);
        }

        /// <summary>
        /// The result: nowhere while counting (only <see cref="Position"/> moves), then the returned string's characters.
        /// </summary>
        private sealed class Output : ISink
        {
            private readonly Memory<char> _target;

            public Output(Memory<char> target, bool counting)
            {
                _target = target;
                Counting = counting;
            }

            /// <summary>Whether this pass only counts: a builder's characters need not be copied to be counted.</summary>
            public bool Counting { get; }

            /// <summary>How many characters were written (or counted) so far.</summary>
            public int Position { get; private set; }

            public void Append(char[] buffer, int start, int count)
            {
                if (!Counting) new ReadOnlySpan<char>(buffer, start, count).CopyTo(_target.Span.Slice(Position));
                Position += count;
            }

            /// <summary>Counts <paramref name="count"/> characters without their text (only while <see cref="Counting"/>).</summary>
            public void Count(int count) => Position += count;
        }

        /// <summary>
        /// Indents what passes through it, as <see cref="AppendIndented"/> describes, a buffer at a time: newlines are
        /// held back until a character follows them (so the trailing ones are dropped), and <see cref="Finish"/> ends the
        /// last line. An indented text with indented pieces of its own gets both indentations (one indenter in front of the other).
        /// </summary>
        private sealed class Indenter : ISink
        {
            /// <summary>An indentation, then a newline.</summary>
            private static readonly char[] Spaces = "    \n".ToCharArray();

            private readonly ISink _next;

            /// <summary>Newlines read and not yet written.</summary>
            private int _newlines;

            private bool _lineStart = true;

            public Indenter(ISink next) => _next = next;

            public void Append(char[] buffer, int start, int count)
            {
                int from = start, end = start + count;
                while (from < end)
                {
                    if (buffer[from] == '\n')
                    {
                        _newlines++;
                        from++;
                        continue;
                    }
                    for (; _newlines > 0; _newlines--)
                    {
                        _next.Append(Spaces, 4, 1);
                        _lineStart = true;
                    }
                    if (_lineStart)
                    {
                        _next.Append(Spaces, 0, 4);
                        _lineStart = false;
                    }
                    // Up to the next newline (the search is vectorized).
                    int newline = Array.IndexOf(buffer, '\n', from, end - from);
                    int next = newline < 0 ? end : newline;
                    _next.Append(buffer, from, next - from);
                    from = next;
                }
            }

            /// <summary>Ends the last line: one newline, whatever number of them the text ended with.</summary>
            public void Finish() => _next.Append(Spaces, 4, 1);
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

            public void WriteTo(ISink sink, char[] buffer)
            {
                if (_builder is not null)
                {
                    Copy(_builder, sink, buffer);
                }
                else if (!_indented)
                {
                    _text!.WriteTo(sink, buffer);
                }
                else
                {
                    var indenter = new Indenter(sink);
                    _text!.WriteTo(indenter, buffer);
                    indenter.Finish();
                }
            }
        }
    }
}
