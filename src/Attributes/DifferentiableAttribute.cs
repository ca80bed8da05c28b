using System;

namespace AutoDiffGen
{
    /// <summary>
    /// Marks a method whose gradient companions (<c>MGradient</c>, <c>MBackward</c>) the AutoDiffGen source
    /// generator emits at build time. The method must return <see cref="double"/> or <see cref="float"/> and be
    /// declared in a <c>partial</c> type (every enclosing type partial too).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class DifferentiableAttribute : Attribute
    {
    }
}
