using System;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// The runtime tape's chunked storage (Tape.cs): growth adds a pooled chunk and copies nothing, <c>Expect</c> rents a
/// recording known in advance at once, pushes and pops cross chunk boundaries, and <see cref="PooledMemory"/> sees
/// exactly what the tape holds (the memory benchmark reads it).
/// </summary>
public class TapeChunkTests
{
    private const int DoubleBytes = sizeof(double);

    /// <summary>The chunk directory's first length (16 entries of a reference and an int, padded).</summary>
    private static readonly int DirectoryBytes = 16 * 2 * IntPtr.Size;

    private delegate void TapeBody<T>(ref Tape<T> tape);

    /// <summary>Runs <paramref name="body"/> on a fresh tape, disposes it, and checks it gave back every byte it held.</summary>
    private static void WithTape<T>(TapeBody<T> body)
    {
        long before = PooledMemory.CurrentBytes;
        var tape = new Tape<T>();
        try
        {
            body(ref tape);
        }
        finally
        {
            tape.Dispose();
        }
        Assert.Equal(before, PooledMemory.CurrentBytes);
    }

    /// <summary>Pops <paramref name="count"/> values and checks they are count − 1, …, 1, 0 (what the tests pushed).</summary>
    private static void AssertPopsCountingDown<T>(ref Tape<T> tape, int count)
    {
        for (int v = count - 1; v >= 0; v--)
        {
            double popped = Convert.ToDouble(tape.Pop());
            if (popped != v) Assert.Fail($"popped {popped}, expected {v}");
        }
    }

    [Fact]
    public void Push_and_pop_cross_many_chunk_boundaries_in_order() => WithTape((ref Tape<double> tape) =>
    {
        for (int round = 0; round < 2; round++)   // the second round reuses the chunks the first one added
        {
            for (int v = 0; v < 100_000; v++) tape.Push(v);
            Assert.Equal(100_000, tape.Count);
            AssertPopsCountingDown(ref tape, 100_000);
            Assert.Equal(0, tape.Count);
        }
    });

    [Fact]
    public void Reservations_that_do_not_fit_a_chunk_s_end_move_on_and_pop_back_in_order() => WithTape((ref Tape<int> tape) =>
    {
        // Reservations of 1 … 13 values: most chunk ends are too short for the next one and stay unused.
        int pushed = 0;
        for (int round = 0; round < 20_000; round++)
        {
            int k = 1 + round % 13;
            tape.Reserve(k);
            for (int j = 0; j < k; j++) tape.PushReserved(pushed++);
        }
        Assert.Equal(pushed, tape.Count);
        AssertPopsCountingDown(ref tape, pushed);
    });

    [Fact]
    public void Ranges_spanning_chunks_come_back_whole_with_the_reserved_room_kept() => WithTape((ref Tape<double> tape) =>
    {
        int next = 0;
        var lengths = new int[300];
        for (int r = 0; r < lengths.Length; r++)
        {
            // 0 … 5 000 values, some longer than every chunk held so far, between two reserved pushes.
            int length = (r * 617) % 5_001;
            lengths[r] = length;
            tape.Reserve(2);
            tape.PushReserved(-r - 1);
            var values = new double[length];
            for (int j = 0; j < length; j++) values[j] = next++;
            tape.PushRange(values);
            tape.PushReserved(r + 1);   // the promised slot is still there, after the range
        }
        for (int r = lengths.Length - 1; r >= 0; r--)
        {
            Assert.Equal(r + 1, tape.Pop());
            var back = new double[lengths[r]];
            tape.PopRange(back);
            for (int j = back.Length - 1; j >= 0; j--)
            {
                if (back[j] != --next) Assert.Fail($"range {r}, element {j}: {back[j]}, expected {next}");
            }
            Assert.Equal(-r - 1, tape.Pop());
        }
        Assert.Equal(0, tape.Count);
    });

    [Theory]
    [InlineData(1)]
    [InlineData(2_000)]
    [InlineData(20_000)]
    [InlineData(200_000)]
    public void Growth_holds_at_most_about_one_and_a_half_times_what_is_recorded(int n) => WithTape((ref Tape<double> tape) =>
    {
        long before = PooledMemory.CurrentBytes;
        PooledMemory.ResetPeak();
        for (int v = 0; v < n; v++) tape.Push(v);
        long held = PooledMemory.PeakBytes - before;
        long recorded = (long)n * DoubleBytes;
        // Growth adds about a quarter of what is held, rounded up to a power of two (a doubling array held about 3 ×:
        // this fails for it from 20 000 values on). Nothing recorded is copied: the peak is what is held at the end,
        // but for the directory's first 16 entries while it grows to 32.
        Assert.True(held <= 1.5 * recorded + 64 * DoubleBytes + 1_024, $"{held} B held for {recorded} B recorded");
        Assert.InRange(held - (PooledMemory.CurrentBytes - before), 0, DirectoryBytes);
    });

    [Fact]
    public void A_recording_that_fits_one_chunk_holds_that_chunk_and_nothing_else() => WithTape((ref Tape<double> tape) =>
    {
        // Most gradients record a few values: no chunk directory until a second chunk is needed.
        long before = PooledMemory.CurrentBytes;
        for (int v = 0; v < 50; v++) tape.Push(v);
        Assert.Equal(64 * DoubleBytes, PooledMemory.CurrentBytes - before);
        for (int v = 50; v < 65; v++) tape.Push(v);
        Assert.Equal(2 * 64 * DoubleBytes + DirectoryBytes, PooledMemory.CurrentBytes - before);
        AssertPopsCountingDown(ref tape, 65);
    });

    [Theory]
    [InlineData(2, 1_000)]     // the recurrence: 2 values a step, 1 000 steps
    [InlineData(2, 100_000)]
    [InlineData(11, 7_000)]    // reservations that leave chunk ends unused
    public void Expect_holds_the_expected_recording_and_no_more(int perIteration, int iterations) => WithTape((ref Tape<double> tape) =>
    {
        long before = PooledMemory.CurrentBytes;
        PooledMemory.ResetPeak();
        tape.Expect(perIteration * iterations);
        for (int i = 0; i < iterations; i++)
        {
            tape.Reserve(perIteration);
            for (int j = 0; j < perIteration; j++) tape.PushReserved(i * perIteration + j);
        }
        long recorded = (long)perIteration * iterations * DoubleBytes;
        long held = PooledMemory.PeakBytes - before - DirectoryBytes;
        if (perIteration == 2)
        {
            // Chunk lengths are the binary digits of the count (16 at least): exact here.
            Assert.Equal(recorded, held);
        }
        else
        {
            // A reservation that does not fit a chunk's end leaves it unused (< 11 values a chunk): what is missing at
            // the end is a small growth (growth counts only what growth added, not the expected chunks).
            Assert.True(held <= recorded + 4 * 1024 * DoubleBytes, $"{held} B held for {recorded} B recorded");
        }
        AssertPopsCountingDown(ref tape, perIteration * iterations);
    });

    [Fact]
    public void Expect_counts_the_room_already_held() => WithTape((ref Tape<double> tape) =>
    {
        tape.Expect(1_000);
        long held = PooledMemory.CurrentBytes;
        tape.Expect(1_000);
        tape.Expect(0);
        tape.Expect(-5);
        Assert.Equal(held, PooledMemory.CurrentBytes);
        for (int v = 0; v < 1_000; v++) tape.Push(v);
        Assert.Equal(held, PooledMemory.CurrentBytes);   // no growth: the room was there
    });

    [Fact]
    public void Pushing_again_after_popping_back_across_a_chunk_reuses_the_chunks_held() => WithTape((ref Tape<double> tape) =>
    {
        // A checkpointed loop's reverse re-runs a segment (pushes) and reverses it (pops), segment after segment.
        for (int v = 0; v < 10_000; v++) tape.Push(v);
        long held = 0;
        for (int segment = 0; segment < 50; segment++)
        {
            if (segment == 1) held = PooledMemory.CurrentBytes;   // the first segment may add a chunk, no later one
            for (int v = 0; v < 3_000; v++) tape.Push(-v);
            for (int v = 2_999; v >= 0; v--) Assert.Equal(-v, tape.Pop());
            for (int v = 0; v < 5_000; v++) Assert.Equal(9_999 - v, tape.Pop());
            for (int v = 5_000; v < 10_000; v++) tape.Push(v);
        }
        Assert.Equal(held, PooledMemory.CurrentBytes);
        AssertPopsCountingDown(ref tape, 10_000);
        Assert.Equal(0, tape.Count);
    });

    [Fact]
    public void Underflow_throws_from_every_chunk_and_from_PopRange() => WithTape((ref Tape<double> tape) =>
    {
        Assert.Throws<InvalidOperationException>(() => { var t = new Tape<double>(); t.Pop(); });
        for (int v = 0; v < 1_000; v++) tape.Push(v);
        for (int v = 0; v < 1_000; v++) tape.Pop();
        Assert.Equal(0, tape.Count);
        Assert.Throws<InvalidOperationException>(Pop(tape));
        tape.Push(1);
        Assert.Throws<InvalidOperationException>(PopRange(tape, new double[2]));

        // A copy of the emptied tape shares its chunks (never copy a tape in generated code): popping it is enough here.
        static Action Pop(Tape<double> t) => () => t.Pop();
        static Action PopRange(Tape<double> t, double[] target) => () => t.PopRange(target);
    });

    [Fact]
    public void Dispose_returns_every_chunk_and_leaves_an_empty_reusable_tape() => WithTape((ref Tape<double> tape) =>
    {
        long before = PooledMemory.CurrentBytes;
        for (int v = 0; v < 50_000; v++) tape.Push(v);
        tape.PushRange(new double[3_000]);
        Assert.True(PooledMemory.CurrentBytes > before);
        tape.Dispose();
        Assert.Equal(before, PooledMemory.CurrentBytes);
        Assert.Equal(0, tape.Count);
        tape.Dispose();   // twice is harmless
        Assert.Equal(before, PooledMemory.CurrentBytes);
        tape.Reserve(1);
        tape.PushReserved(42);
        tape.Push(43);
        Assert.Equal(43, tape.Pop());
        Assert.Equal(42, tape.Pop());
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_warm_call_allocates_nothing_whatever_the_number_of_chunks(bool expected)
    {
        // As generated code uses it: a fresh tape per call, 200 000 values (about 25 chunks, several of one size),
        // disposed at the end. The pool keeps what the previous call returned.
        long before = 0;
        for (int call = 0; call < 10; call++)
        {
            if (call == 5) before = GC.GetAllocatedBytesForCurrentThread();
            var tape = new Tape<double>();
            try
            {
                if (expected) tape.Expect(200_000);
                for (int v = 0; v < 100_000; v++)
                {
                    tape.Reserve(2);
                    tape.PushReserved(v);
                    tape.PushReserved(-v);
                }
                for (int v = 0; v < 200_000; v++) tape.Pop();
            }
            finally
            {
                tape.Dispose();
            }
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, "warm calls allocated " + allocated + " bytes");
    }

    [Theory]
    [InlineData(5)]     // the GMM's li, one per component
    [InlineData(80)]    // the GMM's xc and qxc, 16 values per component
    [InlineData(256)]
    public void Expect_of_a_short_recording_rents_one_chunk_of_exactly_its_length(int count) => WithTape((ref Tape<double> tape) =>
    {
        long before = PooledMemory.CurrentBytes;
        PooledMemory.ResetPeak();
        tape.Expect(count);
        for (int v = 0; v < count; v++)
        {
            tape.Reserve(1);
            tape.PushReserved(v);
        }
        // No rounding to the shared pool's 16 or to a power of two, and no directory: one chunk.
        Assert.Equal(count * DoubleBytes, PooledMemory.PeakBytes - before);
        AssertPopsCountingDown(ref tape, count);
    });

    [Fact]
    public void Expect_of_a_longer_recording_still_rents_the_binary_digits() => WithTape((ref Tape<double> tape) =>
    {
        long before = PooledMemory.CurrentBytes;
        tape.Expect(257);
        // 256 + 16 (257 rounded up to 16), listed in a directory.
        Assert.Equal((256 + 16) * DoubleBytes + DirectoryBytes, PooledMemory.CurrentBytes - before);
    });

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(21)]
    [InlineData(300)]
    public void A_vector_adjoint_is_exactly_as_long_as_its_vector_up_to_256_and_a_warm_one_allocates_nothing(int length)
    {
        long heldBefore = PooledMemory.CurrentBytes;
        double[] first = AdjointArrays.RentZeroed<double>(length);
        if (length <= 256) Assert.Equal(length, first.Length);
        else Assert.True(first.Length >= length);
        Assert.Equal(first.Length * DoubleBytes, PooledMemory.CurrentBytes - heldBefore);
        first[0] = 1;
        AdjointArrays.Return(first);
        Assert.Equal(heldBefore, PooledMemory.CurrentBytes);
        // Nested rentals of one length (a helper's gradient inside another's) get distinct arrays, zeroed, and warm
        // rentals allocate nothing.
        for (int call = 0; call < 2; call++)
        {
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            double[] outer = AdjointArrays.RentZeroed<double>(length);
            double[] inner = AdjointArrays.RentZeroed<double>(length);
            bool zeroed = true;
            for (int e = 0; e < length; e++) zeroed &= outer[e] == 0 && inner[e] == 0;
            bool distinct = !ReferenceEquals(outer, inner);
            outer[0] = inner[0] = 2;
            AdjointArrays.Return(inner);
            AdjointArrays.Return(outer);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            Assert.True(zeroed && distinct);
            if (call == 1) Assert.True(allocated == 0, "warm rentals allocated " + allocated + " bytes");
        }
    }
}
