using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace CsPyLive.Realtime;

/// <summary>
/// Compiles named methods now, on the calling (control) thread, so that their first call in a callback does not:
/// under the JIT with tiered compilation off (ADR 0007) each method is compiled at its first call. A NativeAOT build
/// compiled everything ahead and this does nothing (ADR 0015).
/// </summary>
public static class JitWarmup
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    public static void Prepare([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)] Type type,
        params string[] methods)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported) return;
        foreach (var name in methods)
            RuntimeHelpers.PrepareMethod((type.GetMethod(name, Declared) ?? throw new MissingMethodException(type.Name, name)).MethodHandle);
    }
}
