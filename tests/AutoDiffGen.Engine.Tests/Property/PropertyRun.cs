using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace AutoDiffGen.Engine.Tests.Property;

/// <summary>
/// Which random programs the engine's property tests run. By default (CI) a fixed-seed slice. The same switches as the
/// C#-level GradientPropertyTests drive a campaign:
/// <list type="bullet">
/// <item><c>ADG_PROPERTY_LONG=1</c>: 100 000 programs from a fresh random base seed, printed;</item>
/// <item><c>ADG_PROPERTY_PROGRAMS=&lt;n&gt;</c>: n programs (with or without the long mode);</item>
/// <item><c>ADG_PROPERTY_BASE_SEED=&lt;s&gt;</c>: start at seed s (repeats a campaign);</item>
/// <item><c>ADG_PROPERTY_SEED=&lt;s&gt;</c>: only the program of seed s (reruns a failure).</item>
/// </list>
/// The count is that of the double random programs (RandomProgramTests); the array programs run a tenth of it, and
/// the float and mixed-precision twins the first fiftieth of the same seeds, so that 100 000 fit in about an hour on
/// two cores. In a campaign the programs are generated afresh (not cached), checked on every core, and every failure is printed
/// with its seed and program as it is found.
/// </summary>
internal sealed class PropertyRun
{
    public const int LongCount = 100_000;

    private static readonly Lazy<int> FreshSeed = new(() => Random.Shared.Next(1, 1_000_000_000));

    private PropertyRun(int baseSeed, int count, int batchSize, bool campaign, int? requested = null)
    {
        Requested = requested ?? count;
        BaseSeed = baseSeed;
        Count = count;
        BatchSize = batchSize;
        Campaign = campaign;
    }

    public int BaseSeed { get; }

    /// <summary>The campaign's count (ADG_PROPERTY_PROGRAMS), of which this generator runs its share (<see cref="Count"/>).</summary>
    public int Requested { get; }

    public int Count { get; }

    public int BatchSize { get; }

    /// <summary>Not the default slice: programs are not cached, batches run in parallel, failures print as found.</summary>
    public bool Campaign { get; }

    public static bool Long => Environment.GetEnvironmentVariable("ADG_PROPERTY_LONG") == "1";

    private static int? Variable(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;

    /// <summary>The run for a generator whose fixed slice is <paramref name="count"/> programs from <paramref name="baseSeed"/>.</summary>
    /// <param name="share">In a campaign, the share of its programs this generator runs (the first ones of its seeds).</param>
    public static PropertyRun For(int baseSeed, int count, int batchSize, double share = 1)
    {
        if (Variable("ADG_PROPERTY_SEED") is { } single) return new PropertyRun(single, 1, 1, campaign: true);
        int? programs = Variable("ADG_PROPERTY_PROGRAMS") is > 0 and var p ? p : null;
        int? chosenBase = Variable("ADG_PROPERTY_BASE_SEED");
        if (!Long && programs is null && chosenBase is null) return new PropertyRun(baseSeed, count, batchSize, campaign: false);
        int requested = programs ?? (Long ? LongCount : count);
        int total = Math.Max(1, (int)Math.Ceiling(requested * share));
        int start = chosenBase ?? (Long ? FreshSeed.Value : baseSeed);
        return new PropertyRun(start, total, Math.Max(batchSize, Math.Min(1_000, total / 20)), campaign: true, requested);
    }

    public int Batches => (Count + BatchSize - 1) / BatchSize;

    public IEnumerable<int> Seeds(int batch) =>
        Enumerable.Range(BaseSeed + batch * BatchSize, Math.Max(0, Math.Min(BatchSize, Count - batch * BatchSize)));

    public TheoryData<int> BatchData() => new(Enumerable.Range(0, Batches));

    public string Describe(string what) =>
        $"{what}: {Count} programs from base seed {BaseSeed} ({(Campaign ? "campaign" : "fixed slice")}; rerun one with ADG_PROPERTY_SEED=<seed>, "
        + $"this campaign with ADG_PROPERTY_BASE_SEED={BaseSeed} ADG_PROPERTY_PROGRAMS={Requested})";

    /// <summary>Prints the run's seed once per batch, to the test's output and to the console (a long run's log).</summary>
    public void Announce(ITestOutputHelper output, string what, int batch)
    {
        string line = Describe(what) + $", batch {batch + 1} of {Batches}";
        output.WriteLine(line);
        if (Campaign) Console.WriteLine(line);
    }

    /// <summary>
    /// Checks every seed of a batch (<paramref name="check"/> returns a failure's description, or null); in a campaign on
    /// every core, each failure printed as found. Failures in seed order.
    /// </summary>
    public List<(int Seed, string Failure)> Run(int batch, Func<int, string?> check)
    {
        var failures = new List<(int, string)>();
        var gate = new object();
        void One(int seed)
        {
            string? failure = check(seed);
            if (failure is null) return;
            lock (gate)
            {
                failures.Add((seed, failure));
                if (Campaign) Console.WriteLine("FAILURE " + failure + "\n");
            }
        }

        if (Campaign) Parallel.ForEach(Seeds(batch), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, One);
        else foreach (int seed in Seeds(batch)) One(seed);
        return failures.OrderBy(f => f.Item1).ToList();
    }

    /// <summary>The assertion message: how many failed, then the first few with their programs (all of them in a campaign's log).</summary>
    public string Report(string what, List<(int Seed, string Failure)> failures, int programs) =>
        Describe(what) + "\n" + failures.Count + " of " + programs + " programs of this batch failed (seeds " + string.Join(", ", failures.Select(f => f.Seed)) + "):\n\n"
        + string.Join("\n\n", failures.Take(Campaign ? 10 : 3).Select(f => f.Failure));
}
