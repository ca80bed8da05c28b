// Language features the netstandard2.0 target lacks a runtime type for.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
