using System;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// A two-layer perceptron with a tanh hidden layer and a softmax cross-entropy loss, averaged over a batch:
/// h = tanh(W1 x + b1), logits = W2 h + b2, loss = mean(logsumexp(logits) − logits[label]).
/// </summary>
public static partial class SoftmaxMlp
{
    [Differentiable]
    public static double Loss(double[,] w1, double[] b1, double[,] w2, double[] b2, [NoDerivative] double[,] x, [NoDerivative] int[] labels)
    {
        int batch = x.GetLength(0);
        int inputs = x.GetLength(1);
        int hidden = b1.Length;
        int outputs = b2.Length;
        double[] h = new double[hidden];
        double[] logits = new double[outputs];
        double loss = 0;
        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double a = b1[j];
                for (int k = 0; k < inputs; k++)
                {
                    a += w1[j, k] * x[s, k];
                }
                h[j] = Math.Tanh(a);
            }
            double max = double.NegativeInfinity;
            for (int c = 0; c < outputs; c++)
            {
                double a = b2[c];
                for (int j = 0; j < hidden; j++)
                {
                    a += w2[c, j] * h[j];
                }
                logits[c] = a;
                max = Math.Max(max, a);
            }
            double sumExp = 0;
            for (int c = 0; c < outputs; c++)
            {
                sumExp += Math.Exp(logits[c] - max);
            }
            loss += Math.Log(sumExp) + max - logits[labels[s]];
        }
        return loss / batch;
    }

    /// <summary>
    /// The hand-written gradient: a forward pass per sample keeping h and the softmax in stack buffers, then the
    /// textbook backward pass (dlogits = softmax − onehot, dh = W2ᵀ dlogits ⊙ (1 − h²)) accumulated into the outputs.
    /// </summary>
    public static double HandGradient(double[,] w1, double[] b1, double[,] w2, double[] b2, double[,] x, int[] labels,
        double[,] dw1, Span<double> db1, double[,] dw2, Span<double> db2)
    {
        int batch = x.GetLength(0);
        int inputs = x.GetLength(1);
        int hidden = b1.Length;
        int outputs = b2.Length;
        Array.Clear(dw1);
        Array.Clear(dw2);
        db1.Clear();
        db2.Clear();
        Span<double> h = stackalloc double[hidden];
        Span<double> p = stackalloc double[outputs];
        Span<double> dh = stackalloc double[hidden];
        double scale = 1.0 / batch;
        double loss = 0;
        for (int s = 0; s < batch; s++)
        {
            int label = labels[s];
            for (int j = 0; j < hidden; j++)
            {
                double a = b1[j];
                for (int k = 0; k < inputs; k++)
                {
                    a += w1[j, k] * x[s, k];
                }
                h[j] = Math.Tanh(a);
            }
            double max = double.NegativeInfinity;
            double labelLogit = 0;
            for (int c = 0; c < outputs; c++)
            {
                double a = b2[c];
                for (int j = 0; j < hidden; j++)
                {
                    a += w2[c, j] * h[j];
                }
                p[c] = a;
                if (a > max) max = a;
                if (c == label) labelLogit = a;
            }
            double sumExp = 0;
            for (int c = 0; c < outputs; c++)
            {
                double e = Math.Exp(p[c] - max);
                p[c] = e;
                sumExp += e;
            }
            loss += Math.Log(sumExp) + max - labelLogit;

            // Backward: dlogits = (softmax − onehot) / batch.
            dh.Clear();
            double inv = 1 / sumExp;
            for (int c = 0; c < outputs; c++)
            {
                double g = (p[c] * inv - (c == label ? 1 : 0)) * scale;
                db2[c] += g;
                for (int j = 0; j < hidden; j++)
                {
                    dw2[c, j] += g * h[j];
                    dh[j] += g * w2[c, j];
                }
            }
            for (int j = 0; j < hidden; j++)
            {
                double g = dh[j] * (1 - h[j] * h[j]);
                db1[j] += g;
                for (int k = 0; k < inputs; k++)
                {
                    dw1[j, k] += g * x[s, k];
                }
            }
        }
        return loss * scale;
    }
}
