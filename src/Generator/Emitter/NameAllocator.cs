using System.Collections.Generic;
using System.Globalization;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// Gives every variable of the generated code a name that can never clash with the user's: user locals keep their
    /// names where they can, generated names (<c>_t0</c>, <c>_d_x</c>, <c>seed</c>, <c>dx</c>…) step around every
    /// identifier that occurs in the method, and two variables never share a name.
    /// </summary>
    internal sealed class NameAllocator
    {
        private readonly HashSet<string> _reserved;
        private readonly HashSet<string> _taken = new();
        private readonly Dictionary<IrVariable, string> _names = new();
        private int _temporaryCounter;

        /// <param name="reserved">Every identifier that occurs in the user's method (and its parameter names).</param>
        public NameAllocator(IEnumerable<string> reserved)
        {
            _reserved = new HashSet<string>(reserved);
        }

        /// <summary>Claims a name the user chose (a parameter): it is used as it is.</summary>
        public void ClaimUserName(string name) => _taken.Add(name);

        /// <summary>Gives a variable a name already chosen (a gradient parameter of the companion).</summary>
        public void Assign(IrVariable variable, string name) => _names[variable] = name;

        /// <summary>A fresh generated name based on <paramref name="stem"/>.</summary>
        public string Fresh(string stem)
        {
            stem = stem.Replace('.', '_'); // a struct leaf's name (p.X) in a generated stem: _d_p_X
            if (IsFree(stem))
            {
                _taken.Add(stem);
                return stem;
            }
            // The suffixes below the last one given for this stem were all taken then, and names are never given back, so
            // the search resumes there: the same names as searching from 1, without a walk over every earlier suffix (a
            // loop body with 800 versions of one local made that walk quadratic in the emitter).
            int start = _nextSuffix.TryGetValue(stem, out int next) ? next : 1;
            for (int i = start; ; i++)
            {
                string candidate = stem + "_" + i.ToString(CultureInfo.InvariantCulture);
                if (IsFree(candidate))
                {
                    _taken.Add(candidate);
                    _nextSuffix[stem] = i + 1;
                    return candidate;
                }
            }
        }

        /// <summary>Per stem given a suffix, the first suffix <see cref="Fresh"/> has not yet found taken.</summary>
        private readonly Dictionary<string, int> _nextSuffix = new();

        public string NameOf(IrVariable variable)
        {
            if (_names.TryGetValue(variable, out string? name)) return name;
            name = variable.Role switch
            {
                IrVariableRole.Parameter => variable.PreferredName,
                IrVariableRole.Local => _taken.Contains(variable.PreferredName) ? Fresh(variable.PreferredName) : Claim(variable.PreferredName),
                IrVariableRole.Temporary => FreshTemporary(),
                IrVariableRole.Adjoint when variable.Primal is not null => Fresh("_d_" + NameOf(variable.Primal).TrimStart('_', '@')),
                _ => Fresh(variable.PreferredName),
            };
            _names[variable] = name;
            return name;
        }

        private string Claim(string name)
        {
            _taken.Add(name);
            return name;
        }

        private string FreshTemporary()
        {
            while (true)
            {
                string candidate = "_t" + (_temporaryCounter++).ToString(CultureInfo.InvariantCulture);
                if (IsFree(candidate))
                {
                    _taken.Add(candidate);
                    return candidate;
                }
            }
        }

        private bool IsFree(string name) => !_reserved.Contains(name) && !_taken.Contains(name);
    }
}
