using System;
using System.Buffers;
using AutoDiffGen;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// The ADBench LSTM objective (Srajer, Kukelova, Fitzgibbon 2018; the C++ reference <c>lstm.h</c>), written as a user
/// would: an <c>l</c>-layer LSTM runs over a sequence of <c>c</c> characters of width <c>b</c> and the loss is
/// −Σ log softmax(prediction)·next character / ((c − 1) b). Parameters as in ADBench: <c>main</c> holds, per layer,
/// 4 b weights then 4 b biases (forget, input, output gates and the change, in that order); <c>extra</c> holds the
/// input scaling, the output weights and the output biases (b each); <c>state</c> holds per layer the hidden state
/// then the cell state (b each), copied into a local array that every time step overwrites: real loop-carried state.
/// The log-sum-exp adds 2 to the sum of exponentials, as ADBench's does.
/// </summary>
public static partial class Lstm
{
    [Differentiable]
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Differentiable]
    public static double Objective(double[] main, double[] extra, [NoDerivative] double[] state, [NoDerivative] double[] sequence, int layers, int b)
    {
        int c = sequence.Length / b;
        double[] s = new double[state.Length];
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = state[i];
        }
        double[] gates = new double[4 * b];
        double[] y = new double[b];
        double total = 0;
        for (int t = 0; t < c - 1; t++)
        {
            // lstm_predict: scale the input, run the layers (each reads the hidden state of the one below), project.
            for (int i = 0; i < b; i++)
            {
                y[i] = sequence[t * b + i] * extra[i];
            }
            for (int layer = 0; layer < layers; layer++)
            {
                int w = 8 * layer * b;
                int bias = w + 4 * b;
                int hidden = 2 * layer * b;
                int cell = hidden + b;
                for (int i = 0; i < b; i++)
                {
                    double input = layer == 0 ? y[i] : s[hidden - 2 * b + i];
                    gates[i] = Sigmoid(input * main[w + i] + main[bias + i]);
                    gates[b + i] = Sigmoid(s[hidden + i] * main[w + b + i] + main[bias + b + i]);
                    gates[2 * b + i] = Sigmoid(input * main[w + 2 * b + i] + main[bias + 2 * b + i]);
                    gates[3 * b + i] = Math.Tanh(s[hidden + i] * main[w + 3 * b + i] + main[bias + 3 * b + i]);
                }
                for (int i = 0; i < b; i++)
                {
                    s[cell + i] = s[cell + i] * gates[i] + gates[b + i] * gates[3 * b + i];
                }
                for (int i = 0; i < b; i++)
                {
                    s[hidden + i] = gates[2 * b + i] * Math.Tanh(s[cell + i]);
                }
            }
            int top = 2 * (layers - 1) * b;
            for (int i = 0; i < b; i++)
            {
                y[i] = s[top + i] * extra[b + i] + extra[2 * b + i];
            }
            double sum = 0;
            for (int i = 0; i < b; i++)
            {
                sum += Math.Exp(y[i]);
            }
            double lse = Math.Log(sum + 2);
            for (int i = 0; i < b; i++)
            {
                total += sequence[(t + 1) * b + i] * (y[i] - lse);
            }
        }
        return -total / ((c - 1) * b);
    }

    /// <summary>Doubles the hand-written gradient records per time step: per layer its input, the previous hidden and
    /// cell states, the four gates and the new cell state (8 b), and the prediction (b).</summary>
    public static int RecordPerStep(int layers, int b) => layers * 8 * b + b;

    /// <summary>
    /// The hand-written gradient: back-propagation through time. The forward pass records what each step's backward
    /// needs (<see cref="RecordPerStep"/> doubles per step, pooled), the backward pass walks the steps in reverse
    /// carrying the adjoints of every layer's hidden and cell states. O(c · l · b) memory, as ADBench's manual gradient.
    /// </summary>
    public static double HandGradient(double[] main, double[] extra, double[] state, double[] sequence, int layers, int b,
        Span<double> dmain, Span<double> dextra)
    {
        int c = sequence.Length / b;
        int perStep = RecordPerStep(layers, b);
        double[] record = ArrayPool<double>.Shared.Rent(Math.Max(1, (c - 1) * perStep));
        double[] s = ArrayPool<double>.Shared.Rent(state.Length);
        double[] carried = ArrayPool<double>.Shared.Rent(2 * layers * b + 2 * b);
        try
        {
            dmain.Clear();
            dextra.Clear();
            state.AsSpan().CopyTo(s);
            double total = 0;
            for (int t = 0; t < c - 1; t++)
            {
                Span<double> step = record.AsSpan(t * perStep, perStep);
                Span<double> y = step.Slice(layers * 8 * b, b);
                for (int i = 0; i < b; i++) y[i] = sequence[t * b + i] * extra[i];
                for (int layer = 0; layer < layers; layer++)
                {
                    Span<double> r = step.Slice(layer * 8 * b, 8 * b);
                    int w = 8 * layer * b, bias = w + 4 * b, hidden = 2 * layer * b, cell = hidden + b;
                    for (int i = 0; i < b; i++)
                    {
                        double input = layer == 0 ? y[i] : s[hidden - 2 * b + i];
                        double hprev = s[hidden + i], cprev = s[cell + i];
                        double f = Sigmoid(input * main[w + i] + main[bias + i]);
                        double ig = Sigmoid(hprev * main[w + b + i] + main[bias + b + i]);
                        double o = Sigmoid(input * main[w + 2 * b + i] + main[bias + 2 * b + i]);
                        double g = Math.Tanh(hprev * main[w + 3 * b + i] + main[bias + 3 * b + i]);
                        double cnew = cprev * f + ig * g;
                        r[i] = input; r[b + i] = hprev; r[2 * b + i] = cprev;
                        r[3 * b + i] = f; r[4 * b + i] = ig; r[5 * b + i] = o; r[6 * b + i] = g; r[7 * b + i] = cnew;
                        s[cell + i] = cnew;
                    }
                    // Every gate reads the hidden state before this step: overwrite it only once all are computed.
                    for (int i = 0; i < b; i++) s[hidden + i] = r[5 * b + i] * Math.Tanh(r[7 * b + i]);
                }
                int top = 2 * (layers - 1) * b;
                double sum = 0;
                for (int i = 0; i < b; i++)
                {
                    y[i] = s[top + i] * extra[b + i] + extra[2 * b + i];
                    sum += Math.Exp(y[i]);
                }
                double lse = Math.Log(sum + 2);
                for (int i = 0; i < b; i++) total += sequence[(t + 1) * b + i] * (y[i] - lse);
            }

            // Backward. dh/dc: the adjoints of each layer's hidden and cell states carried from step t + 1 to step t;
            // din: the adjoint of the current layer's input (the hidden state of the layer below, or the scaled input).
            double dtotal = -1.0 / ((c - 1) * b);
            Span<double> dh = carried.AsSpan(0, layers * b), dc = carried.AsSpan(layers * b, layers * b);
            Span<double> din = carried.AsSpan(2 * layers * b, b), dy = carried.AsSpan(2 * layers * b + b, b);
            dh.Clear();
            dc.Clear();
            for (int t = c - 2; t >= 0; t--)
            {
                Span<double> step = record.AsSpan(t * perStep, perStep);
                Span<double> y = step.Slice(layers * 8 * b, b);
                double sum = 0, targets = 0;
                for (int i = 0; i < b; i++)
                {
                    sum += Math.Exp(y[i]);
                    targets += sequence[(t + 1) * b + i];
                }
                sum += 2;
                int top = (layers - 1) * b;
                for (int i = 0; i < b; i++)
                {
                    dy[i] = dtotal * (sequence[(t + 1) * b + i] - targets * Math.Exp(y[i]) / sum);
                    // y = h_top · extra[b..2b) + extra[2b..3b); h_top is the top layer's new hidden state: r[5b..]·tanh(r[7b..]).
                    Span<double> rt = step.Slice((layers - 1) * 8 * b, 8 * b);
                    double htop = rt[5 * b + i] * Math.Tanh(rt[7 * b + i]);
                    dextra[b + i] += dy[i] * htop;
                    dextra[2 * b + i] += dy[i];
                    din[i] = dy[i] * extra[b + i];
                }
                for (int layer = layers - 1; layer >= 0; layer--)
                {
                    Span<double> r = step.Slice(layer * 8 * b, 8 * b);
                    int w = 8 * layer * b, bias = w + 4 * b, at = layer * b;
                    for (int i = 0; i < b; i++)
                    {
                        double input = r[i], hprev = r[b + i], cprev = r[2 * b + i];
                        double f = r[3 * b + i], ig = r[4 * b + i], o = r[5 * b + i], g = r[6 * b + i], tc = Math.Tanh(r[7 * b + i]);
                        double dhi = dh[at + i] + din[i];
                        double dci = dc[at + i] + dhi * o * (1 - tc * tc);
                        double zf = dci * cprev * f * (1 - f);
                        double zi = dci * g * ig * (1 - ig);
                        double zo = dhi * tc * o * (1 - o);
                        double zg = dci * ig * (1 - g * g);
                        dmain[w + i] += zf * input; dmain[bias + i] += zf;
                        dmain[w + b + i] += zi * hprev; dmain[bias + b + i] += zi;
                        dmain[w + 2 * b + i] += zo * input; dmain[bias + 2 * b + i] += zo;
                        dmain[w + 3 * b + i] += zg * hprev; dmain[bias + 3 * b + i] += zg;
                        dc[at + i] = dci * f;
                        dh[at + i] = zi * main[w + b + i] + zg * main[w + 3 * b + i];
                        din[i] = zf * main[w + i] + zo * main[w + 2 * b + i];
                    }
                }
                // The bottom layer's input is the scaled character: y0 = sequence[t b + i] · extra[i].
                for (int i = 0; i < b; i++) dextra[i] += din[i] * sequence[t * b + i];
            }
            return -total / ((c - 1) * b);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(carried);
            ArrayPool<double>.Shared.Return(s);
            ArrayPool<double>.Shared.Return(record);
        }
    }
}
