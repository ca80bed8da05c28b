namespace AutoDiffGen.Benchmarks.Benchmarks;

/// <summary>
/// A workload whose data grows with <see cref="N"/> (samples, observations, sequence length): the memory benchmark
/// (<c>--memory</c>) measures the peak bytes of one gradient call at N, 10 N and 100 N.
/// </summary>
public interface IMemoryWorkload
{
    int N { get; set; }

    /// <summary>
    /// Bytes the hand-written gradient keeps in stack buffers (its heap and pooled memory are measured, stack
    /// memory cannot be): computed from the sizes, as its summary says.
    /// </summary>
    long HandScratchBytes { get; }
}
