using System;

namespace AutoDiffGen
{
    /// <summary>
    /// Marks an array or span parameter of a <see cref="DifferentiableAttribute"/> method as an output: the method
    /// writes its result there, and its value on exit (not on entry) is what the derivative companions differentiate.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    public sealed class OutputAttribute : Attribute
    {
    }
}
