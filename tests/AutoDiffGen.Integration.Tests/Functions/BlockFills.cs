using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>
/// A scratch array written as interleaved blocks every step, as the LSTM writes its gates (BlockFillTests): the engine
/// records it once per step instead of each element's old value per write (ReverseModeTransform.BlockFills.cs).
/// </summary>
public static partial class BlockFills
{
    /// <summary>
    /// Per unit i of n, over the steps t of x: a = tanh(w_i h + x_t), g = w_{n+i} x_t, c = tanh(w_{2n+i} h), kept in
    /// gates[i], gates[n + i], gates[2n + i] (written in another order), then h ← a c + g; returns Σ_t Σ_i h².
    /// </summary>
    [Differentiable]
    public static double GatedRecurrence(double[] w, double[] x, int n)
    {
        double[] h = new double[n];
        double[] gates = new double[3 * n];
        for (int i = 0; i < n; i++)
        {
            h[i] = 0.5;
        }
        double total = 0;
        for (int t = 0; t < x.Length; t++)
        {
            for (int i = 0; i < n; i++)
            {
                gates[2 * n + i] = Math.Tanh(w[2 * n + i] * h[i]);
                gates[i] = Math.Tanh(w[i] * h[i] + x[t]);
                gates[n + i] = w[n + i] * x[t];
            }
            for (int i = 0; i < n; i++)
            {
                h[i] = gates[i] * gates[2 * n + i] + gates[n + i];
                total += h[i] * h[i];
            }
        }
        return total;
    }

    /// <summary>The same with the blocks one element apart (gates[n + 1 + i] of 3n + 1): not a block fill, restored write by write.</summary>
    [Differentiable]
    public static double GatedRecurrenceWithGap(double[] w, double[] x, int n)
    {
        double[] h = new double[n];
        double[] gates = new double[3 * n + 1];
        for (int i = 0; i < n; i++)
        {
            h[i] = 0.5;
        }
        double total = 0;
        for (int t = 0; t < x.Length; t++)
        {
            for (int i = 0; i < n; i++)
            {
                gates[2 * n + 1 + i] = Math.Tanh(w[2 * n + i] * h[i]);
                gates[i] = Math.Tanh(w[i] * h[i] + x[t]);
                gates[n + 1 + i] = w[n + i] * x[t];
            }
            for (int i = 0; i < n; i++)
            {
                h[i] = gates[i] * gates[2 * n + 1 + i] + gates[n + 1 + i];
                total += h[i] * h[i];
            }
        }
        return total;
    }

    /// <summary>
    /// The fill loop's bound reads a parameter reassigned after the allocation: the fill leaves the last element alone, and
    /// that element carries a value from step to step. Not a fill of the whole array (ReverseModeTransform.Fusion.cs,
    /// ComputeFillWrites): its old values must be restored. Σ_k L_k with L_k = w L_{k−1} + x₀ w, L_0 = 0, three steps.
    /// </summary>
    [Differentiable]
    public static double CarriedPastTheFill(double[] x, double w, int n)
    {
        double[] a = new double[n];
        n = n - 1;
        double total = 0;
        for (int k = 0; k < 3; k++)
        {
            for (int i = 0; i < n; i++)
            {
                a[i] = x[i] * w;
            }
            a[n] = a[n] * w + a[0];
            total += a[n];
        }
        return total;
    }
}
