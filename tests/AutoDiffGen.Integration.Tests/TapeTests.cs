using System;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Integration.Tests;

/// <summary>The runtime tape's reservation contract, which generated code relies on (Tape.cs, CompanionEmitter.Tapes.cs).</summary>
public class TapeTests
{
    [Fact]
    public void Reserved_pushes_pop_in_reverse_order_across_growth()
    {
        var tape = new Tape<double>();
        try
        {
            for (int round = 0; round < 100; round++)
            {
                tape.Reserve(3);
                for (int k = 0; k < 3; k++) tape.PushReserved(round * 3 + k);
            }
            Assert.Equal(300, tape.Count);
            for (int v = 299; v >= 0; v--) Assert.Equal(v, tape.Pop());
        }
        finally
        {
            tape.Dispose();
        }
    }

    [Fact]
    public void A_push_without_reservation_throws_instead_of_writing_past_the_storage()
    {
        var tape = new Tape<int>();
        try
        {
            Assert.ThrowsAny<Exception>(() => { var t = new Tape<int>(); t.PushReserved(1); });
            tape.Reserve(1);
            tape.PushReserved(1);
            int capacity = 0;
            while (true)
            {
                // Fill exactly to the storage's end, then one more must throw (IndexOutOfRange), not corrupt memory.
                try { tape.PushReserved(capacity); capacity++; }
                catch (IndexOutOfRangeException) { break; }
            }
            Assert.True(capacity > 0);
        }
        finally
        {
            tape.Dispose();
        }
    }

    [Fact]
    public void Repeated_PushRange_and_pop_cycles_do_not_grow_the_storage()
    {
        // A TensorPrimitives loop records a span each iteration, inside a reserved region, and pops it all in reverse;
        // a warm gradient reuses the same storage. PushRange once asked for all the free room again and doubled it on
        // every call (the TensorMlp benchmark allocated terabytes per call).
        var values = new double[100];
        var back = new double[100];
        var tape = new Tape<double>();
        try
        {
            long before = 0;
            int wrong = 0;
            for (int call = 0; call < 50; call++)
            {
                if (call == 10) before = GC.GetAllocatedBytesForCurrentThread();
                for (int iteration = 0; iteration < 20; iteration++)
                {
                    values[iteration] = iteration;
                    tape.Reserve(2);
                    tape.PushReserved(iteration);
                    tape.PushRange(values);
                    tape.PushReserved(-iteration);
                }
                if (tape.Count != 20 * 102) wrong++;
                for (int iteration = 19; iteration >= 0; iteration--)
                {
                    if (tape.Pop() != -iteration) wrong++;
                    tape.PopRange(back);
                    if (back[iteration] != iteration) wrong++;
                    if (tape.Pop() != iteration) wrong++;
                }
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, wrong);
            Assert.Equal(0, tape.Count);
            Assert.True(allocated == 0, "the tape's storage was regrown while warm: " + allocated + " bytes");
        }
        finally
        {
            tape.Dispose();
        }
    }

    [Fact]
    public void PushRange_keeps_the_room_reserved_before_it()
    {
        var tape = new Tape<double>();
        try
        {
            tape.Reserve(2);
            tape.PushReserved(-1);
            tape.PushRange(new double[200]);   // grows the storage
            tape.PushReserved(-2);             // the second reserved slot must still be there
            Assert.Equal(202, tape.Count);
            Assert.Equal(-2, tape.Pop());
            var back = new double[200];
            tape.PopRange(back);
            Assert.Equal(-1, tape.Pop());
        }
        finally
        {
            tape.Dispose();
        }
    }

    // Chunked storage (Tape.cs): growth adds a chunk and copies nothing; Expect rents a known recording at once.

    private const int DoubleBytes = sizeof(double);

    [Fact]
    public void Push_and_pop_cross_many_chunk_boundaries_in_order()
    {
        var tape = new Tape<double>();
        try
        {
            for (int round = 0; round < 2; round++)   // the second round reuses the chunks the first one added
            {
                for (int v = 0; v < 100_000; v++) tape.Push(v);
                Assert.Equal(100_000, tape.Count);
                for (int v = 99_999; v >= 0; v--)
                {
                    double popped = tape.Pop();
                    if (popped != v) Assert.Fail($"popped {popped}, expected {v}");
                }
                Assert.Equal(0, tape.Count);
            }
        }
        finally
        {
            tape.Dispose();
        }
    }

    [Fact]
    public void Reservations_that_do_not_fit_a_chunk_s_end_move_on_and_pop_back_in_order()
    {
        // Reservations of 1 … 13 values: most chunk ends are too short for the next one and stay unused.
        var tape = new Tape<int>();
        try
        {
            int pushed = 0;
            for (int round = 0; round < 20_000; round++)
            {
                int k = 1 + round % 13;
                tape.Reserve(k);
                for (int j = 0; j < k; j++) tape.PushReserved(pushed++);
            }
            Assert.Equal(pushed, tape.Count);
            for (int v = pushed - 1; v >= 0; v--)
            {
                int popped = tape.Pop();
                if (popped != v) Assert.Fail($"popped {popped}, expected {v}");
            }
        }
        finally
        {
            tape.Dispose();
        }
    }

    [Fact]
    public void Ranges_spanning_chunks_come_back_whole_with_the_reserved_room_kept()
    {
        var tape = new Tape<double>();
        try
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
        }
        finally
        {
            tape.Dispose();
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2_000)]
    [InlineData(20_000)]
    [InlineData(200_000)]
    public void Growth_holds_at_most_about_one_and_a_half_times_what_is_recorded(int n)
    {
        long before = PooledMemory.CurrentBytes;
        PooledMemory.ResetPeak();
        var tape = new Tape<double>();
        try
        {
            for (int v = 0; v < n; v++) tape.Push(v);
            long held = PooledMemory.PeakBytes - before;
            long recorded = (long)n * DoubleBytes;
            // Growth adds about a quarter of what is held, rounded up to a power of two; the directory is 16 × 16 B
            // until it needs more than 16 chunks. Nothing recorded is copied: the peak is what is held at the end, but
            // for the directory's first 16 entries while it grows to 32.
            Assert.True(held <= 1.5 * recorded + 64 * DoubleBytes + 1_024, $"{held} B held for {recorded} B recorded");
            Assert.InRange(held - (PooledMemory.CurrentBytes - before), 0, 16 * 2 * IntPtr.Size);
        }
        finally
        {
            tape.Dispose();
        }
        Assert.Equal(before, PooledMemory.CurrentBytes);
    }

    [Fact]
    public void A_recording_that_fits_one_chunk_holds_that_chunk_and_nothing_else()
    {
        // Most gradients record a few values: no chunk directory until a second chunk is needed.
        long before = PooledMemory.CurrentBytes;
        var tape = new Tape<double>();
        try
        {
            for (int v = 0; v < 50; v++) tape.Push(v);
            Assert.Equal(64 * DoubleBytes, PooledMemory.CurrentBytes - before);
            for (int v = 50; v < 65; v++) tape.Push(v);
            Assert.Equal(2 * 64 * DoubleBytes + 16 * 2 * IntPtr.Size, PooledMemory.CurrentBytes - before);
            for (int v = 64; v >= 0; v--) Assert.Equal(v, tape.Pop());
        }
        finally
        {
            tape.Dispose();
        }
        Assert.Equal(before, PooledMemory.CurrentBytes);
    }

    [Theory]
    [InlineData(2, 1_000)]     // the recurrence: 2 values a step, 1 000 steps
    [InlineData(2, 100_000)]
    [InlineData(11, 7_000)]    // reservations that leave chunk ends unused
    public void Expect_holds_the_expected_recording_and_no_more(int perIteration, int iterations)
    {
        long before = PooledMemory.CurrentBytes;
        PooledMemory.ResetPeak();
        var tape = new Tape<double>();
        try
        {
            tape.Expect(perIteration * iterations);
            for (int i = 0; i < iterations; i++)
            {
                tape.Reserve(perIteration);
                for (int j = 0; j < perIteration; j++) tape.PushReserved(i * perIteration + j);
            }
            long recorded = (long)perIteration * iterations * DoubleBytes;
            long directory = 16 * 2 * IntPtr.Size;
            long held = PooledMemory.PeakBytes - before - directory;
            if (perIteration == 2)
            {
                // Chunk lengths are the binary digits of the count (16 at least): exact here.
                Assert.Equal(recorded, held);
            }
            else
            {
                // A reservation that does not fit a chunk's end leaves it unused (< 11 values a chunk); the short last
                // chunks are then replaced by one as long as them all, rounded to a power of two.
                Assert.True(held <= recorded + 4 * 1024 * DoubleBytes, $"{held} B held for {recorded} B recorded");
            }
            for (int v = perIteration * iterations - 1; v >= 0; v--)
            {
                double popped = tape.Pop();
                if (popped != v) Assert.Fail($"popped {popped}, expected {v}");
            }
        }
        finally
        {
            tape.Dispose();
        }
        Assert.Equal(before, PooledMemory.CurrentBytes);
    }

    [Fact]
    public void Expect_counts_the_room_already_held()
    {
        long before = PooledMemory.CurrentBytes;
        var tape = new Tape<double>();
        try
        {
            tape.Expect(1_000);
            long held = PooledMemory.CurrentBytes;
            tape.Expect(1_000);
            tape.Expect(0);
            tape.Expect(-5);
            Assert.Equal(held, PooledMemory.CurrentBytes);
            for (int v = 0; v < 1_000; v++) tape.Push(v);
            Assert.Equal(held, PooledMemory.CurrentBytes);   // no growth: the room was there
        }
        finally
        {
            tape.Dispose();
        }
        Assert.Equal(before, PooledMemory.CurrentBytes);
    }

    [Fact]
    public void Pushing_again_after_popping_back_across_a_chunk_reuses_the_chunks_held()
    {
        // A checkpointed loop's reverse re-runs a segment (pushes) and reverses it (pops), segment after segment.
        var tape = new Tape<double>();
        try
        {
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
            for (int v = 9_999; v >= 0; v--) Assert.Equal(v, tape.Pop());
            Assert.Equal(0, tape.Count);
        }
        finally
        {
            tape.Dispose();
        }
    }

    [Fact]
    public void Underflow_throws_from_every_chunk_and_from_PopRange()
    {
        var tape = new Tape<double>();
        try
        {
            Assert.Throws<InvalidOperationException>(() => { var t = new Tape<double>(); t.Pop(); });
            for (int v = 0; v < 1_000; v++) tape.Push(v);
            for (int v = 0; v < 1_000; v++) tape.Pop();
            Assert.Equal(0, tape.Count);
            Assert.Throws<InvalidOperationException>(() => Pop(ref tape));
            tape.Push(1);
            Assert.Throws<InvalidOperationException>(() => PopRange(ref tape, new double[2]));
        }
        finally
        {
            tape.Dispose();
        }

        static double Pop(ref Tape<double> t) => t.Pop();
        static void PopRange(ref Tape<double> t, double[] target) => t.PopRange(target);
    }

    [Fact]
    public void Dispose_returns_every_chunk_and_leaves_an_empty_reusable_tape()
    {
        long before = PooledMemory.CurrentBytes;
        var tape = new Tape<double>();
        for (int v = 0; v < 50_000; v++) tape.Push(v);
        tape.PushRange(new double[3_000]);
        Assert.True(PooledMemory.CurrentBytes > before);
        tape.Dispose();
        Assert.Equal(before, PooledMemory.CurrentBytes);
        Assert.Equal(0, tape.Count);
        tape.Dispose();   // twice is harmless
        Assert.Equal(before, PooledMemory.CurrentBytes);
        try
        {
            tape.Reserve(1);
            tape.PushReserved(42);
            tape.Push(43);
            Assert.Equal(43, tape.Pop());
            Assert.Equal(42, tape.Pop());
        }
        finally
        {
            tape.Dispose();
        }
        Assert.Equal(before, PooledMemory.CurrentBytes);
    }

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
}
