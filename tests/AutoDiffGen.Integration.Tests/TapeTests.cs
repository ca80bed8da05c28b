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
}
