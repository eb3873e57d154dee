using System.Reflection;
using System.Reflection.Emit;
using CsPyLive.Live;

namespace CsPyLive.Tests.Architecture;

/// <summary>
/// The areas of CsPyLive.Core (CsPyLive.Audio, .Csound, .Live, .Python...) depend on each other in one direction
/// only: the picture in DESIGN.md, checked from what the compiled code actually references (signatures and every
/// token in every method body), not from using directives.
/// </summary>
public sealed class NamespaceTests
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>CsPyLive.Audio.Jack → CsPyLive.Audio: an area is the first two parts of a namespace.</summary>
    private static string Area(Type t)
    {
        while (t.DeclaringType is { } outer) t = outer;
        var parts = (t.Namespace ?? "").Split('.');
        return string.Join('.', parts.Take(2));
    }

    private static Dictionary<string, Dictionary<string, string>> Dependencies()
    {
        var assembly = typeof(Show).Assembly;
        var graph = new Dictionary<string, Dictionary<string, string>>();
        foreach (var type in assembly.GetTypes())
        {
            var from = Area(type);
            if (!from.StartsWith("CsPyLive", StringComparison.Ordinal)) continue;
            var edges = graph.TryGetValue(from, out var e) ? e : graph[from] = [];
            void Add(Type? to, string where)
            {
                if (to is null) return;
                if (to.IsGenericType && !to.IsGenericTypeDefinition) foreach (var a in to.GetGenericArguments()) Add(a, where);
                if (to.HasElementType) { Add(to.GetElementType(), where); return; }
                if (to.Assembly != assembly || to.IsGenericParameter) return;
                var area = Area(to);
                if (area != from) edges.TryAdd(area, $"{type.FullName} {where} {to.FullName}");
            }
            Add(type.BaseType, "derives from");
            foreach (var i in type.GetInterfaces()) Add(i, "implements");
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var f in type.GetFields(all)) Add(f.FieldType, "has a field of");
            foreach (var m in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if (m is MethodInfo mi) Add(mi.ReturnType, "returns");
                foreach (var p in m.GetParameters()) Add(p.ParameterType, "takes");
                foreach (var referenced in BodyReferences(m)) Add(referenced, $"uses in {m.Name}");
            }
        }
        return graph;
    }

    /// <summary>The declaring types of every member and type a method body's IL names.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var pos = 0; pos < il.Length;)
        {
            short value = il[pos++];
            if (value == 0xFE) value = (short)(0xFE00 | il[pos++]);
            var op = OpCodesByValue[value];
            var size = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, pos),
                _ => 4,
            };
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                Type? found = null;
                try
                {
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, pos), typeArgs, methodArgs);
                    found = member as Type ?? member?.DeclaringType;
                    if (member is FieldInfo field) found = field.DeclaringType;
                }
                catch (ArgumentException) { }
                if (found is not null) yield return found;
            }
            pos += size;
        }
    }

    [Fact]
    public void No_area_depends_on_one_that_depends_on_it()
    {
        var graph = Dependencies();
        var cycles = new List<string>();
        foreach (var (a, edges) in graph)
            foreach (var (b, why) in edges)
                if (string.CompareOrdinal(a, b) < 0 && graph.TryGetValue(b, out var back) && back.TryGetValue(a, out var whyBack))
                    cycles.Add($"{a} <-> {b}: {why}; and {whyBack}");
        Assert.Empty(cycles);
    }

    [Fact]
    public void Python_and_the_inputs_know_nothing_of_the_show_that_uses_them()
    {
        var graph = Dependencies();
        foreach (var area in new[] { "CsPyLive.Python", "CsPyLive.Midi", "CsPyLive.Osc", "CsPyLive.Inputs", "CsPyLive.Csound", "CsPyLive.Audio" })
            Assert.False(graph[area].TryGetValue("CsPyLive.Live", out var why), why);
        Assert.True(graph["CsPyLive.Live"].ContainsKey("CsPyLive.Python")); // the show builds reload: the one direction
    }
}
