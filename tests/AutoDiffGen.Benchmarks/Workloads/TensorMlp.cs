using System;
using System.Numerics.Tensors;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// The softmax MLP of <see cref="SoftmaxMlp"/> written with TensorPrimitives (issue 13): row-major weights, one SIMD
/// Dot per hidden and output unit, SoftMax; h = tanh(W1 x + b1), p = softmax(W2 h + b2), loss = mean(−log p[label]).
/// </summary>
public static partial class TensorMlp
{
    [Differentiable]
    public static double Loss(double[] w1, double[] b1, double[] w2, double[] b2, [NoDerivative] double[] x, [NoDerivative] int[] labels)
    {
        int batch = labels.Length, hidden = b1.Length, outputs = b2.Length, inputs = x.Length / batch;
        var h = new double[hidden];
        var z = new double[outputs];
        double loss = 0;
        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < hidden; j++) h[j] = TensorPrimitives.Dot(w1.AsSpan(j * inputs, inputs), x.AsSpan(s * inputs, inputs));
            TensorPrimitives.Add(h, b1, h);
            TensorPrimitives.Tanh(h, h);
            for (int c = 0; c < outputs; c++) z[c] = TensorPrimitives.Dot(w2.AsSpan(c * hidden, hidden), h);
            TensorPrimitives.Add(z, b2, z);
            TensorPrimitives.SoftMax(z, z);
            loss -= Math.Log(z[labels[s]]);
        }
        return loss / batch;
    }

    /// <summary>
    /// The hand-written gradient with the same primitives: per sample the forward pass into stack buffers, then
    /// dz = (p − onehot)/B, ∇W2 row c += dz[c]·h, dh = Σ dz[c]·W2 row c, da = dh ⊙ (1 − h²), ∇W1 row j += da[j]·x.
    /// </summary>
    public static double HandGradient(double[] w1, double[] b1, double[] w2, double[] b2, double[] x, int[] labels,
        Span<double> dw1, Span<double> db1, Span<double> dw2, Span<double> db2)
    {
        int batch = labels.Length, hidden = b1.Length, outputs = b2.Length, inputs = x.Length / batch;
        dw1.Clear();
        db1.Clear();
        dw2.Clear();
        db2.Clear();
        Span<double> h = stackalloc double[hidden];
        Span<double> dh = stackalloc double[hidden];
        Span<double> z = stackalloc double[outputs];
        double loss = 0, scale = 1.0 / batch;
        for (int s = 0; s < batch; s++)
        {
            ReadOnlySpan<double> xs = x.AsSpan(s * inputs, inputs);
            for (int j = 0; j < hidden; j++) h[j] = TensorPrimitives.Dot<double>(w1.AsSpan(j * inputs, inputs), xs);
            TensorPrimitives.Add<double>(h, b1, h);
            TensorPrimitives.Tanh<double>(h, h);
            for (int c = 0; c < outputs; c++) z[c] = TensorPrimitives.Dot<double>(w2.AsSpan(c * hidden, hidden), h);
            TensorPrimitives.Add<double>(z, b2, z);
            TensorPrimitives.SoftMax<double>(z, z);
            loss -= Math.Log(z[labels[s]]);

            z[labels[s]] -= 1;
            TensorPrimitives.Multiply<double>(z, scale, z);
            TensorPrimitives.Add<double>(db2, z, db2);
            dh.Clear();
            for (int c = 0; c < outputs; c++)
            {
                Span<double> row = dw2.Slice(c * hidden, hidden);
                TensorPrimitives.MultiplyAdd<double>(h, z[c], row, row);
                TensorPrimitives.MultiplyAdd<double>(w2.AsSpan(c * hidden, hidden), z[c], dh, dh);
            }
            TensorPrimitives.Multiply<double>(h, h, h);
            TensorPrimitives.Multiply<double>(h, dh, h);             // h ← h²·dh, then da = dh − h²·dh
            TensorPrimitives.Subtract<double>(dh, h, dh);
            TensorPrimitives.Add<double>(db1, dh, db1);
            for (int j = 0; j < hidden; j++)
            {
                Span<double> row = dw1.Slice(j * inputs, inputs);
                TensorPrimitives.MultiplyAdd<double>(xs, dh[j], row, row);
            }
        }
        return loss / batch;
    }
}
