namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// A workload benchmark: after its [GlobalSetup] (and with its [Params] set), <see cref="Check"/> verifies the
/// generated gradient against the hand-written one and throws on a mismatch.
/// </summary>
public interface IWorkload
{
    void Setup();

    void Check();
}
