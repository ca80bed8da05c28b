using System;

namespace AutoDiffGen
{
    /// <summary>
    /// Marks a parameter of a <see cref="DifferentiableAttribute"/> method as data rather than a variable:
    /// no gradient is computed or returned for it, and the generated companions take it unchanged.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    public sealed class NoDerivativeAttribute : Attribute
    {
    }
}
