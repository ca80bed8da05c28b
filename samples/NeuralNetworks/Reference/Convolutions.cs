using System;

namespace NeuralNetworks
{
    public static partial class ReferenceGradients
    {
        /// <summary>The valid cross-correlation (I ⋆ K)[r, c] = Σᵤᵥ I[r + u, c + v]·K[u, v].</summary>
        public static double[,] CrossCorrelate(double[,] image, double[,] kernel)
        {
            int kh = kernel.GetLength(0), kw = kernel.GetLength(1);
            var result = new double[image.GetLength(0) - kh + 1, image.GetLength(1) - kw + 1];
            for (int r = 0; r < result.GetLength(0); r++)
            {
                for (int c = 0; c < result.GetLength(1); c++)
                {
                    double sum = 0;
                    for (int u = 0; u < kh; u++)
                    {
                        for (int v = 0; v < kw; v++)
                        {
                            sum += image[r + u, c + v] * kernel[u, v];
                        }
                    }
                    result[r, c] = sum;
                }
            }
            return result;
        }

        /// <summary>A surrounded by <paramref name="rows"/> rows and <paramref name="cols"/> columns of zeros on every side.</summary>
        public static double[,] Pad(double[,] a, int rows, int cols)
        {
            var padded = new double[a.GetLength(0) + 2 * rows, a.GetLength(1) + 2 * cols];
            for (int i = 0; i < a.GetLength(0); i++)
            {
                for (int j = 0; j < a.GetLength(1); j++)
                {
                    padded[i + rows, j + cols] = a[i, j];
                }
            }
            return padded;
        }

        /// <summary>K rotated by 180°: flip(K)[u, v] = K[kh − 1 − u, kw − 1 − v].</summary>
        public static double[,] Flip(double[,] kernel)
        {
            int kh = kernel.GetLength(0), kw = kernel.GetLength(1);
            var flipped = new double[kh, kw];
            for (int u = 0; u < kh; u++)
            {
                for (int v = 0; v < kw; v++)
                {
                    flipped[u, v] = kernel[kh - 1 - u, kw - 1 - v];
                }
            }
            return flipped;
        }

        /// <summary>
        /// The convolution layer C = I ⋆ K + b, R = ReLU(C), P = 2×2 stride-2 max pooling of R, J = ½‖P − T‖².
        /// δP = P − T goes to the maximum of each pooling window (the first one on ties); δC = δR ⊙ [C &gt; 0];
        /// then δK = I ⋆ δC, δb = Σ δC and δI = pad(δC) ⋆ flip(K), padding by the kernel size minus one.
        /// </summary>
        public static double Convolution(
            double[,] image, double[,] kernel, double bias, double[,] target,
            out double[,] dImage, out double[,] dKernel, out double dBias)
        {
            double[,] c = CrossCorrelate(image, kernel);
            int rows = c.GetLength(0), cols = c.GetLength(1);
            var relu = new double[rows, cols];
            for (int r = 0; r < rows; r++)
            {
                for (int col = 0; col < cols; col++)
                {
                    c[r, col] += bias;
                    relu[r, col] = Math.Max(0, c[r, col]);
                }
            }

            double loss = 0;
            var deltaC = new double[rows, cols];
            for (int p = 0; p < rows / 2; p++)
            {
                for (int q = 0; q < cols / 2; q++)
                {
                    // The window's maximum, scanned row by row.
                    int bestR = 2 * p, bestC = 2 * q;
                    for (int r = 2 * p; r < 2 * p + 2; r++)
                    {
                        for (int col = 2 * q; col < 2 * q + 2; col++)
                        {
                            if (relu[r, col] > relu[bestR, bestC])
                            {
                                bestR = r;
                                bestC = col;
                            }
                        }
                    }
                    double deltaP = relu[bestR, bestC] - target[p, q];
                    loss += 0.5 * deltaP * deltaP;
                    deltaC[bestR, bestC] = c[bestR, bestC] > 0 ? deltaP : 0;
                }
            }

            dKernel = CrossCorrelate(image, deltaC);
            dBias = 0;
            foreach (double value in deltaC)
            {
                dBias += value;
            }
            int kh = kernel.GetLength(0), kw = kernel.GetLength(1);
            dImage = CrossCorrelate(Pad(deltaC, kh - 1, kw - 1), Flip(kernel));
            return loss;
        }

        /// <summary>
        /// Shared weights Y = ReLU(X·W)·W, J = ½‖Y − T‖²: with A = X·W, H = ReLU(A), δY = Y − T, the gradient is the
        /// sum over both uses of W, ∇W = Hᵀ δY + Xᵀ((δY Wᵀ) ⊙ [A &gt; 0]).
        /// </summary>
        public static double SharedWeights(double[,] w, double[,] x, double[,] target, out double[,] dw)
        {
            double[,] a = MatMul(x, w);
            var h = new double[a.GetLength(0), a.GetLength(1)];
            for (int i = 0; i < a.GetLength(0); i++)
            {
                for (int k = 0; k < a.GetLength(1); k++)
                {
                    h[i, k] = Math.Max(0, a[i, k]);
                }
            }
            double[,] deltaY = MatMul(h, w);
            AddScaled(deltaY, target, -1);
            double loss = 0.5 * SquaredNorm(deltaY);

            double[,] deltaA = MatMul(deltaY, Transpose(w));
            for (int i = 0; i < deltaA.GetLength(0); i++)
            {
                for (int k = 0; k < deltaA.GetLength(1); k++)
                {
                    if (a[i, k] <= 0) deltaA[i, k] = 0;
                }
            }
            dw = MatMul(Transpose(h), deltaY);
            AddScaled(dw, MatMul(Transpose(x), deltaA));
            return loss;
        }

        /// <summary>The same-size cross-correlation Conv(x, w)ᵢ = Σᵤ w[u]·x[i + u − r], r = half the kernel length, zero outside x.</summary>
        public static double[] SameConv(double[] x, double[] w)
        {
            int radius = w.Length / 2;
            var result = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                for (int u = 0; u < w.Length; u++)
                {
                    int k = i + u - radius;
                    if (k >= 0 && k < x.Length) result[i] += w[u] * x[k];
                }
            }
            return result;
        }

        /// <summary>The transpose of <see cref="SameConv"/> as a linear map of x: Convᵀ(δ, w)ₖ = Σᵤ w[u]·δ[k − u + r].</summary>
        public static double[] SameConvTranspose(double[] delta, double[] w)
        {
            int radius = w.Length / 2;
            var result = new double[delta.Length];
            for (int k = 0; k < delta.Length; k++)
            {
                for (int u = 0; u < w.Length; u++)
                {
                    int i = k - u + radius;
                    if (i >= 0 && i < delta.Length) result[k] += w[u] * delta[i];
                }
            }
            return result;
        }

        /// <summary>
        /// The residual block z = Conv(ReLU(Conv(x, w1)), w2) + x, J = ½‖z − t‖²: with a = Conv(x, w1), h = ReLU(a),
        /// δz = z − t: δw2[u] = Σᵢ δzᵢ h[i + u − r], δh = Convᵀ(δz, w2), δa = δh ⊙ [a &gt; 0],
        /// δw1[u] = Σᵢ δaᵢ x[i + u − r], and δx = δz + Convᵀ(δa, w1), the skip path plus the convolution path.
        /// </summary>
        public static double ResidualBlock(
            double[] x, double[] w1, double[] w2, double[] target,
            out double[] dx, out double[] dw1, out double[] dw2)
        {
            int n = x.Length;
            double[] a = SameConv(x, w1);
            var h = new double[n];
            for (int i = 0; i < n; i++)
            {
                h[i] = Math.Max(0, a[i]);
            }
            double[] z = SameConv(h, w2);
            var deltaZ = new double[n];
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                z[i] += x[i];
                deltaZ[i] = z[i] - target[i];
                loss += 0.5 * deltaZ[i] * deltaZ[i];
            }

            dw2 = KernelGradient(h, deltaZ, w2.Length);
            double[] deltaA = SameConvTranspose(deltaZ, w2);
            for (int i = 0; i < n; i++)
            {
                if (a[i] <= 0) deltaA[i] = 0;
            }
            dw1 = KernelGradient(x, deltaA, w1.Length);
            dx = SameConvTranspose(deltaA, w1);
            AddScaled(dx, deltaZ);
            return loss;
        }

        // δw[u] = Σᵢ δᵢ·x[i + u − r]: the gradient of Σᵢ δᵢ Conv(x, w)ᵢ with respect to the kernel.
        private static double[] KernelGradient(double[] x, double[] delta, int kernelLength)
        {
            int radius = kernelLength / 2;
            var dw = new double[kernelLength];
            for (int u = 0; u < kernelLength; u++)
            {
                for (int i = 0; i < x.Length; i++)
                {
                    int k = i + u - radius;
                    if (k >= 0 && k < x.Length) dw[u] += delta[i] * x[k];
                }
            }
            return dw;
        }

        /// <summary>
        /// The attention-style block zᵢⱼ = xᵢ·yⱼ, sᵢ = softmax(zᵢ), oᵢ = Σⱼ sᵢⱼ vⱼ, J = ½ Σᵢ ‖oᵢ − tᵢ‖² (vectors are the
        /// rows of jagged arrays): δoᵢ = oᵢ − tᵢ, δvⱼ = Σᵢ sᵢⱼ δoᵢ, δsᵢⱼ = vⱼ·δoᵢ, δzᵢ = Jⁱ δsᵢ with the softmax
        /// Jacobian Jⁱ = diag(sᵢ) − sᵢsᵢᵀ (formed explicitly), δxᵢ = Σⱼ δzᵢⱼ yⱼ, δyⱼ = Σᵢ δzᵢⱼ xᵢ.
        /// </summary>
        public static double Attention(
            double[][] x, double[][] y, double[][] v, double[][] target,
            out double[][] dx, out double[][] dy, out double[][] dv)
        {
            int queries = x.Length, keys = y.Length, width = x[0].Length, outputs = v[0].Length;
            dx = NewJagged(queries, width);
            dy = NewJagged(keys, width);
            dv = NewJagged(keys, outputs);
            double loss = 0;
            for (int i = 0; i < queries; i++)
            {
                var z = new double[keys];
                for (int j = 0; j < keys; j++)
                {
                    z[j] = Dot(x[i], y[j]);
                }
                double[] s = Softmax(z);

                var deltaO = new double[outputs];
                for (int c = 0; c < outputs; c++)
                {
                    double o = 0;
                    for (int j = 0; j < keys; j++)
                    {
                        o += s[j] * v[j][c];
                    }
                    deltaO[c] = o - target[i][c];
                    loss += 0.5 * deltaO[c] * deltaO[c];
                }

                var deltaS = new double[keys];
                for (int j = 0; j < keys; j++)
                {
                    deltaS[j] = Dot(v[j], deltaO);
                    AddScaled(dv[j], deltaO, s[j]);
                }

                // δzᵢ = Jⁱ δsᵢ, Jⁱ = diag(sᵢ) − sᵢ sᵢᵀ.
                var jacobian = new double[keys, keys];
                for (int j = 0; j < keys; j++)
                {
                    for (int k = 0; k < keys; k++)
                    {
                        jacobian[j, k] = (j == k ? s[j] : 0) - s[j] * s[k];
                    }
                }
                double[] deltaZ = MatVec(jacobian, deltaS);

                for (int j = 0; j < keys; j++)
                {
                    AddScaled(dx[i], y[j], deltaZ[j]);
                    AddScaled(dy[j], x[i], deltaZ[j]);
                }
            }
            return loss;
        }

        private static double Dot(double[] a, double[] b)
        {
            double sum = 0;
            for (int k = 0; k < a.Length; k++)
            {
                sum += a[k] * b[k];
            }
            return sum;
        }

        private static double[][] NewJagged(int rows, int cols)
        {
            var result = new double[rows][];
            for (int i = 0; i < rows; i++)
            {
                result[i] = new double[cols];
            }
            return result;
        }
    }
}
