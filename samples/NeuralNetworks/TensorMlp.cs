using System;
using System.Numerics.Tensors;
using AutoDiffGen;

namespace NeuralNetworks
{
    /// <summary>
    /// The MLP of <see cref="SoftmaxMlp"/> written the fast way, with <see cref="TensorPrimitives"/> on spans (issue 13):
    /// h = tanh(W1 x + b1), p = softmax(W2 h + b2), loss −log p_label. Weights are row-major vectors
    /// (<c>w1[i * inputs + j]</c> is W1ᵢⱼ), so each hidden or output unit is one SIMD <c>Dot</c> of a row slice, and the
    /// generated gradient is TensorPrimitives calls too (the reverse of each Dot is two MultiplyAdds).
    /// The calls name their type argument (<c>Dot&lt;double&gt;</c>) so that the sample compiles with C# before 14, which
    /// does not infer it through the array-to-span conversion.
    /// </summary>
    public static partial class TensorMlp
    {
        /// <summary>The cross-entropy of one example <paramref name="x"/> with class <paramref name="label"/>.</summary>
        [Differentiable]
        public static double CrossEntropy(double[] w1, double[] b1, double[] w2, double[] b2, [NoDerivative] double[] x, int label)
        {
            int inputs = x.Length, hidden = b1.Length;
            var h = new double[hidden];
            for (int i = 0; i < hidden; i++) h[i] = TensorPrimitives.Dot<double>(w1.AsSpan(i * inputs, inputs), x);
            TensorPrimitives.Add<double>(h, b1, h);
            TensorPrimitives.Tanh<double>(h, h);
            var z = new double[b2.Length];
            for (int k = 0; k < z.Length; k++) z[k] = TensorPrimitives.Dot<double>(w2.AsSpan(k * hidden, hidden), h);
            TensorPrimitives.Add<double>(z, b2, z);
            TensorPrimitives.SoftMax<double>(z, z);
            return -Math.Log(z[label]);
        }

        /// <summary>
        /// The mean cross-entropy of a batch: <paramref name="xs"/> holds <c>labels.Length</c> examples row-major. The
        /// activation buffers are reused by every example (the gradient restores them from its tape in reverse).
        /// </summary>
        [Differentiable]
        public static double BatchLoss(double[] w1, double[] b1, double[] w2, double[] b2, [NoDerivative] double[] xs, int[] labels)
        {
            int hidden = b1.Length, classes = b2.Length, inputs = xs.Length / labels.Length;
            var h = new double[hidden];
            var z = new double[classes];
            double total = 0;
            for (int n = 0; n < labels.Length; n++)
            {
                for (int i = 0; i < hidden; i++) h[i] = TensorPrimitives.Dot<double>(w1.AsSpan(i * inputs, inputs), xs.AsSpan(n * inputs, inputs));
                TensorPrimitives.Add<double>(h, b1, h);
                TensorPrimitives.Tanh<double>(h, h);
                for (int k = 0; k < classes; k++) z[k] = TensorPrimitives.Dot<double>(w2.AsSpan(k * hidden, hidden), h);
                TensorPrimitives.Add<double>(z, b2, z);
                TensorPrimitives.SoftMax<double>(z, z);
                total -= Math.Log(z[labels[n]]);
            }
            return total / labels.Length;
        }

        /// <summary>The predicted class of <paramref name="x"/> (not differentiated).</summary>
        public static int Predict(double[] w1, double[] b1, double[] w2, double[] b2, double[] x)
        {
            int inputs = x.Length, hidden = b1.Length;
            var h = new double[hidden];
            for (int i = 0; i < hidden; i++) h[i] = TensorPrimitives.Dot<double>(w1.AsSpan(i * inputs, inputs), x);
            TensorPrimitives.Add<double>(h, b1, h);
            TensorPrimitives.Tanh<double>(h, h);
            var z = new double[b2.Length];
            for (int k = 0; k < z.Length; k++) z[k] = TensorPrimitives.Dot<double>(w2.AsSpan(k * hidden, hidden), h);
            TensorPrimitives.Add<double>(z, b2, z);
            return TensorPrimitives.IndexOfMax<double>(z);
        }
    }
}
