using System;

namespace AutoDiffGen.Samples.Tests.Infrastructure
{
    /// <summary>
    /// The differentiable arguments of one model call, in declaration order: vectors, matrices and jagged arrays of
    /// double or float; a scalar is a one-element vector (pass <c>p.V(i)[0]</c>, <c>out g.V(i)[0]</c>, <c>ref a.V(i)[0]</c>).
    /// Flattens to one double vector for finite differences and comparisons.
    /// </summary>
    public sealed class Params
    {
        private readonly object[] _parts;

        public Params(params object[] parts)
        {
            foreach (object part in parts)
            {
                if (part is not (double[] or double[,] or double[][] or float[] or float[,] or float[][]))
                {
                    throw new ArgumentException($"Unsupported part type {part.GetType()}.", nameof(parts));
                }
            }
            _parts = parts;
        }

        public int Count => _parts.Length;

        public double[] V(int i) => (double[])_parts[i];
        public double[,] M(int i) => (double[,])_parts[i];
        public double[][] J(int i) => (double[][])_parts[i];
        public float[] VF(int i) => (float[])_parts[i];
        public float[,] MF(int i) => (float[,])_parts[i];
        public float[][] JF(int i) => (float[][])_parts[i];

        /// <summary>Every element, part after part, each part in row-major order.</summary>
        public double[] Flatten()
        {
            int length = 0;
            foreach (object part in _parts) length += Length(part);
            var flat = new double[length];
            int offset = 0;
            foreach (object part in _parts)
            {
                switch (part)
                {
                    case double[] v: foreach (double e in v) flat[offset++] = e; break;
                    case float[] v: foreach (float e in v) flat[offset++] = e; break;
                    case double[,] m: foreach (double e in m) flat[offset++] = e; break;
                    case float[,] m: foreach (float e in m) flat[offset++] = e; break;
                    case double[][] j: foreach (double[] row in j) foreach (double e in row) flat[offset++] = e; break;
                    case float[][] j: foreach (float[] row in j) foreach (float e in row) flat[offset++] = e; break;
                }
            }
            return flat;
        }

        /// <summary>Writes <paramref name="flat"/> (as <see cref="Flatten"/> lays it out) into the parts; float parts round.</summary>
        public void Load(double[] flat)
        {
            int offset = 0;
            foreach (object part in _parts)
            {
                switch (part)
                {
                    case double[] v: for (int i = 0; i < v.Length; i++) v[i] = flat[offset++]; break;
                    case float[] v: for (int i = 0; i < v.Length; i++) v[i] = (float)flat[offset++]; break;
                    case double[,] m:
                        for (int i = 0; i < m.GetLength(0); i++) for (int k = 0; k < m.GetLength(1); k++) m[i, k] = flat[offset++];
                        break;
                    case float[,] m:
                        for (int i = 0; i < m.GetLength(0); i++) for (int k = 0; k < m.GetLength(1); k++) m[i, k] = (float)flat[offset++];
                        break;
                    case double[][] j: foreach (double[] row in j) for (int i = 0; i < row.Length; i++) row[i] = flat[offset++]; break;
                    case float[][] j: foreach (float[] row in j) for (int i = 0; i < row.Length; i++) row[i] = (float)flat[offset++]; break;
                }
            }
            if (offset != flat.Length) throw new ArgumentException("Length mismatch.", nameof(flat));
        }

        /// <summary>Same shapes and element types, every element set to <paramref name="fill"/>.</summary>
        public Params Like(double fill = 0)
        {
            var copy = new object[_parts.Length];
            for (int i = 0; i < _parts.Length; i++)
            {
                copy[i] = _parts[i] switch
                {
                    double[] v => new double[v.Length],
                    float[] v => new float[v.Length],
                    double[,] m => new double[m.GetLength(0), m.GetLength(1)],
                    float[,] m => new float[m.GetLength(0), m.GetLength(1)],
                    double[][] j => Array.ConvertAll(j, row => new double[row.Length]),
                    float[][] j => Array.ConvertAll(j, row => new float[row.Length]),
                    _ => throw new InvalidOperationException(),
                };
            }
            var result = new Params(copy);
            double[] flat = new double[Flatten().Length];
            Array.Fill(flat, fill);
            result.Load(flat);
            return result;
        }

        /// <summary>A deep copy.</summary>
        public Params Clone()
        {
            Params copy = Like();
            copy.Load(Flatten());
            return copy;
        }

        /// <summary>The same values rounded to float, in float arrays of the same shapes.</summary>
        public Params ToSingle()
        {
            var parts = new object[_parts.Length];
            for (int i = 0; i < _parts.Length; i++)
            {
                parts[i] = _parts[i] switch
                {
                    double[] v => Array.ConvertAll(v, e => (float)e),
                    double[,] m => Matrices.ToSingle(m),
                    double[][] j => Array.ConvertAll(j, row => Array.ConvertAll(row, e => (float)e)),
                    _ => throw new InvalidOperationException("Already single precision."),
                };
            }
            return new Params(parts);
        }

        /// <summary>The same values in double arrays of the same shapes.</summary>
        public Params ToDouble()
        {
            var parts = new object[_parts.Length];
            for (int i = 0; i < _parts.Length; i++)
            {
                parts[i] = _parts[i] switch
                {
                    float[] v => Array.ConvertAll(v, e => (double)e),
                    float[,] m => Matrices.ToDouble(m),
                    float[][] j => Array.ConvertAll(j, row => Array.ConvertAll(row, e => (double)e)),
                    double[] v => (double[])v.Clone(),
                    double[,] m => (double[,])m.Clone(),
                    double[][] j => Array.ConvertAll(j, row => (double[])row.Clone()),
                    _ => throw new InvalidOperationException(),
                };
            }
            return new Params(parts);
        }

        private static int Length(object part) => part switch
        {
            Array a when part is double[][] or float[][] => Jagged(a),
            Array a => a.Length,
            _ => 0,
        };

        private static int Jagged(Array a)
        {
            int n = 0;
            foreach (Array row in a) n += row.Length;
            return n;
        }
    }
}
