namespace NeuralNetworks
{
    public static partial class ReferenceGradients
    {
        /// <summary>
        /// Ridge regression, J = (1/2n)‖Xw + b − y‖² + (λ/2)‖w‖²: with r = Xw + b − y,
        /// ∇w J = (1/n) Xᵀr + λw and ∂J/∂b = (1/n) Σᵢ rᵢ. λ = 0 gives plain linear regression.
        /// </summary>
        public static double Ridge(double[] w, double b, double[,] x, double[] y, double lambda, out double[] dw, out double db)
        {
            int n = x.GetLength(0), d = x.GetLength(1);
            double[] r = MatVec(x, w);
            double squares = 0;
            for (int i = 0; i < n; i++)
            {
                r[i] += b - y[i];
                squares += r[i] * r[i];
            }

            dw = MatVec(Transpose(x), r);
            db = 0;
            for (int i = 0; i < n; i++)
            {
                db += r[i];
            }
            db /= n;
            double penalty = 0;
            for (int j = 0; j < d; j++)
            {
                dw[j] = dw[j] / n + lambda * w[j];
                penalty += w[j] * w[j];
            }
            return squares / (2 * n) + 0.5 * lambda * penalty;
        }

        /// <summary>Linear regression, J = (1/2n)‖Xw + b − y‖²: ∇w J = (1/n) Xᵀr, ∂J/∂b = (1/n) Σᵢ rᵢ.</summary>
        public static double LinearRegression(double[] w, double b, double[,] x, double[] y, out double[] dw, out double db)
            => Ridge(w, b, x, y, 0, out dw, out db);

        /// <summary>
        /// The scalar net Yp = σ(X·W1 + b1)·W2 + b2, J = ½(Yp − Y)², averaged over the examples: with a = X·W1 + b1,
        /// h = σ(a), δ = Yp − Y: ∂J/∂W2 = δh, ∂J/∂b2 = δ, ∂J/∂W1 = δ·W2·σ(a)(1 − σ(a))·X, ∂J/∂b1 = δ·W2·σ(a)(1 − σ(a)).
        /// </summary>
        public static double ScalarNet(
            double w1, double b1, double w2, double b2, double[] x, double[] y,
            out double dw1, out double db1, out double dw2, out double db2)
        {
            int n = x.Length;
            double loss = 0;
            dw1 = db1 = dw2 = db2 = 0;
            for (int i = 0; i < n; i++)
            {
                double a = x[i] * w1 + b1;
                double h = Sigmoid(a);
                double delta = h * w2 + b2 - y[i];
                loss += 0.5 * delta * delta;

                dw2 += delta * h;
                db2 += delta;
                double g = delta * w2 * h * (1 - h);
                dw1 += g * x[i];
                db1 += g;
            }
            dw1 /= n;
            db1 /= n;
            dw2 /= n;
            db2 /= n;
            return loss / n;
        }
    }
}
