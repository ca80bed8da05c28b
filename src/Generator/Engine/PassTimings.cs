using System;
using System.Collections.Generic;

namespace AutoDiffGen.Generator.Engine
{
    /// <summary>
    /// Cost per engine pass, for finding the pass that grows faster than a method (issue 11; the benchmarks'
    /// <c>--passes</c> option prints it). Off unless a caller on the same thread asks for it with <see cref="Record"/>:
    /// then <see cref="Time"/> costs a thread-static read and nothing else. The caller supplies the meters (the
    /// generator targets netstandard2.0, which has neither a thread CPU clock nor an allocation counter).
    /// </summary>
    internal static class PassTimings
    {
        [ThreadStatic]
        private static Recording? _current;

        /// <summary>
        /// Runs <paramref name="run"/> and returns what each timed pass cost during it, read from <paramref name="clock"/>
        /// (any monotonic count: ticks, CPU nanoseconds) and <paramref name="allocatedBytes"/>. A nested pass's cost is
        /// also in its parent's.
        /// </summary>
        public static IReadOnlyDictionary<string, PassCost> Record(Action run, Func<long> clock, Func<long> allocatedBytes)
        {
            Recording? outer = _current;
            var recording = new Recording(clock, allocatedBytes);
            _current = recording;
            try
            {
                run();
            }
            finally
            {
                _current = outer;
            }
            return recording.Costs;
        }

        /// <summary>Measures the pass until the scope is disposed (when someone is recording).</summary>
        public static Scope Time(string pass) => _current is { } recording ? new Scope(pass, recording.Clock(), recording.AllocatedBytes()) : default;

        /// <summary>One pass's total time (in the recorder's clock units), bytes allocated, and how many times it ran.</summary>
        public readonly record struct PassCost(long Time, long Bytes, int Calls);

        public readonly struct Scope : IDisposable
        {
            private readonly string? _pass;
            private readonly long _start;
            private readonly long _startBytes;

            public Scope(string pass, long start, long startBytes)
            {
                _pass = pass;
                _start = start;
                _startBytes = startBytes;
            }

            public void Dispose()
            {
                if (_pass is null || _current is not { } recording) return;
                long time = recording.Clock() - _start;
                long bytes = recording.AllocatedBytes() - _startBytes;
                recording.Costs.TryGetValue(_pass, out PassCost sofar);
                recording.Costs[_pass] = new PassCost(sofar.Time + time, sofar.Bytes + bytes, sofar.Calls + 1);
            }
        }

        private sealed record Recording(Func<long> Clock, Func<long> AllocatedBytes)
        {
            public Dictionary<string, PassCost> Costs { get; } = new(StringComparer.Ordinal);
        }
    }
}
